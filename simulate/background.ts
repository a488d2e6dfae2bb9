// The province's everyday traffic, one simulated minute at a time: antivirus threat
// cases (about 2 million a month for 5,661 hosts, most blocked or cleaned; commodity
// adware, activators and USB worms dominate, as on real government PCs), firewall flows
// from the agencies' network and the data center, DNS queries and a trickle of IDS
// alerts. Volumes follow office hours and weekends (rhythm.ts) and scale with the hosts.
import type { Host, Province, Unit } from './province.ts';
import { pick, pickWeighted, poisson, seededId } from './random.ts';
import { officeActivity, serverActivity, weeklyMean } from './rhythm.ts';

export type SimEventBody = Record<string, unknown>;

/** One event and the unit whose agent sends it. */
export interface SimEvent {
  time: number;
  unit: string;
  /** Which of the unit's agents sends it: the usual one, or the one with a wrong clock. */
  agent: 'main' | 'wrong-clock';
  event: SimEventBody;
}

/** Threat cases a month for the real province (5,661 hosts). */
export const AV_CASES_PER_MONTH = 2_000_000;
const HOSTS_BASE = 5661;
const MONTH_HOURS = 30 * 24;
/** Per host per day: firewall flow records (sampled) and DNS queries logged. */
export const FLOWS_PER_HOST_DAY = 30;
export const DNS_PER_HOST_DAY = 15;
/** IDS alerts a day per unit network, and at the data center. */
export const IDS_PER_UNIT_DAY = 0.5;
export const IDS_DATA_CENTER_DAY = 20;

/** The data center's servers see this fraction of a PC's threat cases. */
const SERVER_AV_SHARE = 0.05;

const OFFICE_MEAN = weeklyMean(officeActivity);
const SERVER_MEAN = weeklyMean(serverActivity);

interface Signature {
  name: string;
  path: string;
}

// [weight, family]: a family picks a concrete signature name and file path.
const FAMILIES: readonly (readonly [number, (random: () => number, user: string) => Signature])[] = [
  [26, (r, u) => ({ name: pick(['Adware.Agent.Win32', 'PUA.Win32.Toolbar.Ask', 'not-a-virus:AdWare.Win32.OpenCandy', 'PUP.Optional.Bundler', 'Adware.DealPly.Gen'], r), path: `C:\\Users\\${u}\\Downloads\\setup_${Math.floor(r() * 9000 + 1000)}.exe` })],
  [14, (r, u) => ({ name: pick(['HackTool.Win32.KMSAuto', 'Riskware.KMSpico', 'HackTool.Win32.AutoKMS', 'Keygen.Win32.Generic', 'Activator.Office.Crack'], r), path: `C:\\Users\\${u}\\Desktop\\KMSAuto Net\\KMSAuto.exe` })],
  [16, (r) => ({ name: pick(['Worm.VBS.Dinihou', 'Worm.Win32.Autorun.gen', 'Trojan.LNK.Agent', 'Worm.Win32.Jenxcus'], r), path: `E:\\${pick(['Tai lieu', 'Bao cao', 'Hop dong'], r)}.lnk` })],
  [22, (r, u) => ({ name: `Trojan.GenericKD.${Math.floor(r() * 9_000_000) + 1_000_000}`, path: `C:\\Users\\${u}\\AppData\\Local\\Temp\\${Math.floor(r() * 1e6)}.tmp.exe` })],
  [8, (r, u) => ({ name: pick(['Trojan-Downloader.MSOffice.Agent', 'W97M.Downloader', 'Trojan.Script.Agent'], r) + `.${Math.floor(r() * 5000)}`, path: `C:\\Users\\${u}\\Downloads\\Cong van ${Math.floor(r() * 900)}.doc` })],
  [5, (r, u) => ({ name: pick(['Virus.Win32.Sality.gen', 'Virus.Win32.Virut.ce', 'Virus.Win32.Ramnit.A'], r), path: `C:\\Users\\${u}\\Documents\\phan mem\\setup.exe` })],
  [4, (r, u) => ({ name: pick(['Trojan-PSW.Win32.Stealer', 'Trojan.Win32.AgentTesla', 'Trojan-Banker.Win32.Emotet'], r) + `.${Math.floor(r() * 900)}`, path: `C:\\Users\\${u}\\AppData\\Roaming\\${Math.floor(r() * 1e5)}.exe` })],
  [3, (r) => ({ name: pick(['Trojan.CoinMiner.XMRig', 'HEUR:Trojan.Win32.Miner.gen'], r), path: 'C:\\ProgramData\\svchost\\xmrig.exe' })],
  // EICAR: a unit's IT officer checking protection now and then (about one a month per unit), not 1 case in 100.
  [0.01, (r, u) => ({ name: 'EICAR-Test-File (not a virus)', path: `C:\\Users\\${u}\\Downloads\\eicar${r() < 0.5 ? '.com' : '.txt'}` })],
  [0.4, (r, u) => ({ name: pick(['Ransom.Win32.Phobos', 'Trojan-Ransom.Win32.Crypren'], r) + `.${Math.floor(r() * 900)}`, path: `C:\\Users\\${u}\\Downloads\\invoice.pdf.exe` })],
  [0.3, (r) => ({ name: pick(['HackTool.Win64.Mimikatz', 'HackTool.Win32.NetScan'], r), path: 'C:\\Windows\\Temp\\tool.exe' })],
];

// Most cases are dealt with; a few fail (a locked file, a network share).
const OUTCOMES: readonly (readonly [number, { action: string; outcome: string }])[] = [
  [55, { action: 'quarantined', outcome: 'success' }],
  [20, { action: 'blocked', outcome: 'success' }],
  [12, { action: 'deleted', outcome: 'success' }],
  [10, { action: 'cleaned', outcome: 'success' }],
  [2, { action: 'detected', outcome: 'unknown' }],
  [1, { action: 'quarantine_failed', outcome: 'failure' }],
];

export function antivirusCase(unit: Unit, host: Host, time: number, random: () => number, signature?: Signature, result?: { action: string; outcome: string }): SimEventBody {
  const threat = signature ?? pickWeighted(FAMILIES, random)(random, host.user);
  const { action, outcome } = result ?? pickWeighted(OUTCOMES, random);
  return {
    '@timestamp': new Date(time).toISOString(),
    event: { id: seededId(random), kind: 'alert', category: ['malware'], type: ['info'], action, outcome, module: 'antivirus', dataset: 'antivirus.detection' },
    observer: { vendor: 'Vigil Sim AV', product: 'Endpoint Security', type: 'antivirus', hostname: `${unit.id}-av-console` },
    host: { id: host.id, name: host.name, ip: [host.ip], os: { family: 'windows', name: host.server ? 'Windows Server 2019' : 'Windows 10 Pro' } },
    user: { name: host.user },
    file: { path: threat.path, name: threat.path.split('\\').at(-1) },
    rule: { name: threat.name },
  };
}

const WEB_DESTINATIONS = ['203.113.131.1', '203.162.4.191', '14.225.0.10', '142.250.66.78', '20.190.160.20', '104.18.32.7', '113.160.248.20'];
const SCAN_SOURCES = ['45.95.147.23', '193.163.125.80', '162.142.125.9', '167.94.138.35'];

export function firewallFlow(unit: Unit, host: Host, time: number, random: () => number, overrides: Partial<{ destIp: string; destPort: number; srcIp: string; action: string; outcome: string }> = {}): SimEventBody {
  const port = overrides.destPort ?? pick([443, 443, 443, 443, 80, 80, 53, 123, 8443], random);
  const action = overrides.action ?? 'accept';
  return {
    '@timestamp': new Date(time).toISOString(),
    event: { id: seededId(random), kind: 'event', category: ['network'], type: ['connection', action === 'accept' ? 'allowed' : 'denied'], action, outcome: overrides.outcome ?? (action === 'accept' ? 'success' : 'failure'), module: 'firewall' },
    observer: { vendor: 'Fortinet', product: 'FortiGate', type: 'firewall', name: `${unit.id}-fw` },
    source: { ip: overrides.srcIp ?? host.ip, port: 40000 + Math.floor(random() * 20000) },
    destination: { ip: overrides.destIp ?? pick(WEB_DESTINATIONS, random), port },
    network: { transport: port === 53 || port === 123 ? 'udp' : 'tcp', direction: 'outbound' },
  };
}

/** Internet scanners knocking on the data center's public side, denied at the edge. */
function inboundDenied(unit: Unit, time: number, random: () => number): SimEventBody {
  return {
    // Logged after address translation: the server's own address.
    ...firewallFlow(unit, unit.hosts[0]!, time, random, { srcIp: pick(SCAN_SOURCES, random), destIp: unit.hosts[0]!.ip, destPort: pick([22, 23, 3389, 445, 1433], random), action: 'deny' }),
    network: { transport: 'tcp', direction: 'inbound' },
  };
}

const DOMAINS = ['gov.vn', 'chinhphu.vn', 'google.com', 'microsoft.com', 'windowsupdate.com', 'zalo.me', 'facebook.com', 'vnexpress.net', 'youtube.com', 'office.com'];

function dnsQuery(unit: Unit, host: Host, time: number, random: () => number): SimEventBody {
  return {
    '@timestamp': new Date(time).toISOString(),
    event: { id: seededId(random), kind: 'event', category: ['network'], type: ['protocol'], action: 'query', module: 'dns' },
    observer: { vendor: 'ISC', product: 'BIND', type: 'dns', name: `${unit.id}-dns` },
    source: { ip: host.ip },
    dns: { question: { name: `${pick(['www', 'mail', 'login', 'cdn', 'api'], random)}.${pick(DOMAINS, random)}`, type: pick(['A', 'A', 'AAAA', 'HTTPS'], random) } },
  };
}

const IDS_SIGNATURES = [
  { name: 'ET SCAN Suspicious inbound to MSSQL port 1433', category: 'Potentially Bad Traffic', severity: 2 },
  { name: 'ET POLICY Outdated Windows Flash Version IE', category: 'Potential Corporate Privacy Violation', severity: 3 },
  { name: 'ET INFO Observed DNS Query to .cloud TLD', category: 'Potentially Bad Traffic', severity: 3 },
  { name: 'ET SCAN Potential SSH Scan', category: 'Attempted Information Leak', severity: 2 },
];

function idsAlert(unit: Unit, host: Host, time: number, random: () => number): SimEventBody {
  const signature = pick(IDS_SIGNATURES, random);
  return {
    '@timestamp': new Date(time).toISOString(),
    event: { id: seededId(random), kind: 'alert', category: ['network', 'intrusion_detection'], action: 'alert', module: 'suricata', severity: signature.severity },
    observer: { vendor: 'OISF', product: 'Suricata', type: 'ids', name: `${unit.id}-ids` },
    source: { ip: pick(SCAN_SOURCES, random), port: 40000 + Math.floor(random() * 20000) },
    destination: { ip: host.ip, port: pick([22, 1433, 80], random) },
    rule: { name: signature.name, category: signature.category },
  };
}

export interface BackgroundRates {
  avCasesPerMonth: number;
  flowsPerHostDay: number;
  dnsPerHostDay: number;
}

/** The real province's rates, scaled to its host count. */
export function provinceRates(province: Province): BackgroundRates {
  return { avCasesPerMonth: (AV_CASES_PER_MONTH * province.hostCount) / HOSTS_BASE, flowsPerHostDay: FLOWS_PER_HOST_DAY, dnsPerHostDay: DNS_PER_HOST_DAY };
}

/** Background events of one unit for the minute starting at `minute`, in time order. */
export function backgroundMinute(unit: Unit, province: Province, rates: BackgroundRates, minute: number, random: () => number): SimEvent[] {
  const activity = unit.dataCenter ? serverActivity(minute) / SERVER_MEAN : officeActivity(minute) / OFFICE_MEAN;
  const hosts = unit.hosts.length;
  const perMinute = (perHostDay: number) => (hosts * perHostDay * activity) / 1440;
  const avPerHostDay = (rates.avCasesPerMonth / province.hostCount / MONTH_HOURS) * 24;
  const events: SimEvent[] = [];
  const add = (count: number, make: (host: Host, time: number) => SimEventBody) => {
    for (let i = 0; i < count; i += 1) {
      const time = minute + Math.floor(random() * 60_000);
      events.push({ time, unit: unit.id, agent: 'main', event: make(pick(unit.hosts, random), time) });
    }
  };
  // Threat cases pile up on a few PCs (the same infected USB drive, the same crack
  // re-downloaded); servers, managed and rarely browsed from, see few.
  const pcs = unit.hosts.filter((host) => !host.server);
  const avHost = (): Host => (pcs.length > 0 && random() < 0.97 ? pcs[Math.floor(pcs.length * random() ** 3)]! : pick(unit.hosts, random));
  const avShare = pcs.length > 0 ? 1 : SERVER_AV_SHARE;
  for (let i = poisson(perMinute(avPerHostDay) * avShare, random); i > 0; i -= 1) {
    const time = minute + Math.floor(random() * 60_000);
    events.push({ time, unit: unit.id, agent: 'main', event: antivirusCase(unit, avHost(), time, random) });
  }
  add(poisson(perMinute(rates.flowsPerHostDay), random), (host, time) => firewallFlow(unit, host, time, random));
  add(poisson(perMinute(rates.dnsPerHostDay), random), (host, time) => dnsQuery(unit, host, time, random));
  const idsPerDay = unit.dataCenter ? IDS_DATA_CENTER_DAY * Math.max(1, province.hostCount / HOSTS_BASE) : IDS_PER_UNIT_DAY;
  add(poisson((idsPerDay * activity) / 1440, random), (host, time) => idsAlert(unit, host, time, random));
  if (unit.dataCenter) add(poisson((200 * activity) / 1440, random), (_host, time) => inboundDenied(unit, time, random));
  return events.sort((a, b) => a.time - b.time);
}
