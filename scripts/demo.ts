// `npm run demo`: brings a running Vigil to life for a first look. Signs in as admin,
// creates a few units with an agent key each, then posts realistic antivirus and network
// events from simulated hosts for a while (an EICAR test first, so an alert shows at once).
import { parseArgs } from 'node:util';
import { eicarEvent, mixedEvent, seededRandom } from './simulate/realistic-events.ts';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: process.env.VIGIL_URL ?? 'http://127.0.0.1:8080' },
    password: { type: 'string', default: process.env.VIGIL_ADMIN_PASSWORD },
    seconds: { type: 'string', default: '60' },
    rate: { type: 'string', default: '20' },
  },
});

const units = [
  { id: 'so-y-te', name: 'Sở Y tế', hosts: 'SYT-PC' },
  { id: 'ubnd-phuong-1', name: 'UBND Phường 1', hosts: 'P1-PC' },
  { id: 'truong-thpt-le-loi', name: 'Trường THPT Lê Lợi', hosts: 'LL-PC' },
  { id: 'benh-vien-da-khoa', name: 'Bệnh viện Đa khoa tỉnh', hosts: 'BV-PC' },
];

async function call(path: string, init: RequestInit & { cookie?: string } = {}): Promise<Response> {
  const response = await fetch(`${values.url}${path}`, {
    ...init,
    headers: { 'Content-Type': 'application/json', ...(init.cookie ? { Cookie: init.cookie } : {}), ...(init.headers ?? {}) },
  });
  if (response.status >= 400) throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${await response.text()}`);
  return response;
}

async function main() {
  if (!values.password) {
    throw new Error('give the admin password: VIGIL_ADMIN_PASSWORD=<password> npm run demo (or --password)');
  }
  const login = await call('/api/v1/auth/login', { method: 'POST', body: JSON.stringify({ username: 'admin', password: values.password }) });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;

  const keys: { unit: (typeof units)[number]; key: string }[] = [];
  for (const unit of units) {
    await call('/api/v1/units', { method: 'POST', cookie, body: JSON.stringify({ id: unit.id, name: unit.name }) });
    const agent = (await (await call('/api/v1/agents', { method: 'POST', cookie, body: JSON.stringify({ unit: unit.id, name: 'demo antivirus server' }) })).json()) as { key: string };
    keys.push({ unit, key: agent.key });
  }

  const post = (key: string, events: unknown[]) =>
    call('/api/v1/events', {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/x-ndjson' },
      body: events.map((e) => JSON.stringify(e)).join('\n'),
    });

  await post(keys[0]!.key, [eicarEvent(`${keys[0]!.unit.hosts}-001`)]);
  process.stdout.write(`posted an EICAR test from ${keys[0]!.unit.hosts}-001; open ${values.url}/ to watch\n`);

  const random = seededRandom(Date.now());
  const perTick = Math.max(1, Math.round(Number(values.rate) / 2));
  const end = Date.now() + Number(values.seconds) * 1000;
  let sent = 1;
  while (Date.now() < end) {
    for (const { unit, key } of keys) {
      const events = Array.from({ length: Math.ceil(perTick / keys.length) }, () =>
        mixedEvent(`${unit.hosts}-${String(1 + Math.floor(random() * 60)).padStart(3, '0')}`, `FW-${unit.id.toUpperCase()}`, random, 0.05),
      );
      await post(key, events);
      sent += events.length;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  process.stdout.write(`done: ${sent} events from ${units.length} units\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`demo: ${(error as Error).message}\n`);
  process.exit(1);
});
