// Realistic events for the demo and the benchmarks: what a provincial SOC's antivirus
// console, firewalls, IDS and DNS resolvers send. Most traffic is benign; a steady
// trickle is worth an alert (EICAR tests, ransomware, hack tools, miners, IDS hits).
// `vigil simulate` (simulate/) models the whole province with ground truth; these quick
// generators stay for the benches and the demo, which need a steady stream now.
import { randomUUID } from 'node:crypto';
import { pick, seededRandom } from '../../simulate/random.ts';

export const EICAR_SHA256 = '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f';

type Event = Record<string, unknown>;

// The PRNG now lives with the simulator (simulate/random.ts); re-exported for the benches.
export { seededRandom };

const benignSignatures = ['Trojan.GenericKD.4711', 'Adware.Agent.Win32', 'PUA.Win32.Toolbar', 'Trojan.Win32.Agent.xyz', 'Worm.VBS.Dinihou'];
const users = ['ketoan', 'vanthu', 'giaovien', 'bacsi', 'ketoan2', 'hanhchinh'];

export function antivirusEvent(host: string, random: () => number, at = new Date()): Event {
  const user = pick(users, random);
  return {
    '@timestamp': at.toISOString(),
    event: { id: randomUUID(), kind: 'alert', category: ['malware'], type: ['info'], action: 'quarantined', outcome: 'success', module: 'antivirus', dataset: 'antivirus.detection' },
    observer: { vendor: 'Vigil Demo AV', product: 'Endpoint Security', type: 'antivirus' },
    host: { id: host.toLowerCase(), name: host, os: { family: 'windows', name: 'Windows 10 Pro' } },
    user: { name: user },
    file: { path: `C:\\Users\\${user}\\AppData\\Local\\Temp\\setup_${Math.floor(random() * 1e6)}.exe`, name: 'setup.exe' },
    rule: { name: pick(benignSignatures, random) },
  };
}

export function eicarEvent(host: string, at = new Date()): Event {
  return {
    '@timestamp': at.toISOString(),
    event: { id: randomUUID(), kind: 'alert', category: ['malware'], type: ['info'], action: 'quarantined', outcome: 'success', module: 'antivirus' },
    observer: { vendor: 'Vigil Demo AV', product: 'Endpoint Security', type: 'antivirus' },
    host: { id: host.toLowerCase(), name: host },
    file: { path: 'C:\\Users\\ketoan\\Downloads\\eicar.com', name: 'eicar.com', hash: { sha256: EICAR_SHA256 } },
    rule: { name: 'EICAR-Test-File (not a virus)' },
  };
}

function threatEvent(host: string, random: () => number, at: Date): Event {
  const threat = pick(
    [
      { name: 'Ransom.Win32.LockBit.A', action: 'failed', outcome: 'failure', path: 'C:\\Users\\ketoan\\Documents\\invoice.pdf.exe' },
      { name: 'HackTool.Win64.Mimikatz', action: 'quarantined', outcome: 'success', path: 'C:\\Windows\\Temp\\m64.exe' },
      { name: 'Trojan.CoinMiner.XMRig', action: 'detected', outcome: 'failure', path: 'C:\\ProgramData\\svchost\\xmrig.exe' },
      { name: 'Trojan.Win32.Emotet', action: 'cleaned', outcome: 'success', path: 'E:\\USB\\Tai lieu.doc.exe' },
    ],
    random,
  );
  return {
    '@timestamp': at.toISOString(),
    event: { id: randomUUID(), kind: 'alert', category: ['malware'], action: threat.action, outcome: threat.outcome, module: 'antivirus' },
    observer: { vendor: 'Vigil Demo AV', product: 'Endpoint Security', type: 'antivirus' },
    host: { id: host.toLowerCase(), name: host },
    file: { path: threat.path, name: threat.path.split('\\').at(-1) },
    rule: { name: threat.name },
  };
}

export function firewallEvent(sensor: string, random: () => number, at = new Date()): Event {
  const port = pick([443, 443, 443, 80, 53, 123, 8443], random);
  return {
    '@timestamp': at.toISOString(),
    event: { id: randomUUID(), kind: 'event', category: ['network'], type: ['connection', 'allowed'], action: 'accept', outcome: 'success', module: 'firewall' },
    observer: { vendor: 'Fortinet', product: 'FortiGate', type: 'firewall', name: sensor },
    host: { id: sensor.toLowerCase(), name: sensor },
    source: { ip: `10.${20 + Math.floor(random() * 10)}.${Math.floor(random() * 255)}.${1 + Math.floor(random() * 250)}`, port: 40000 + Math.floor(random() * 20000) },
    destination: { ip: `203.0.113.${Math.floor(random() * 255)}`, port },
    network: { transport: 'tcp', direction: 'outbound' },
  };
}

function suspiciousNetworkEvent(sensor: string, random: () => number, at: Date): Event {
  const choice = Math.floor(random() * 3);
  if (choice === 0) {
    return {
      '@timestamp': at.toISOString(),
      event: { id: randomUUID(), kind: 'alert', category: ['network', 'intrusion_detection'], action: 'alert', module: 'suricata', severity: 1 },
      observer: { vendor: 'OISF', product: 'Suricata', type: 'ids', name: sensor },
      host: { id: sensor.toLowerCase(), name: sensor },
      source: { ip: '10.21.4.17', port: 49822 },
      destination: { ip: '198.51.100.23', port: 443 },
      rule: { name: 'ET MALWARE Cobalt Strike Beacon Observed', category: 'A Network Trojan was detected' },
    };
  }
  if (choice === 1) {
    return { ...firewallEvent(sensor, random, at), destination: { ip: '198.51.100.77', port: 3333 } };
  }
  return {
    '@timestamp': at.toISOString(),
    event: { id: randomUUID(), kind: 'event', category: ['network'], type: ['protocol'], action: 'query', module: 'dns' },
    observer: { vendor: 'ISC', product: 'BIND', type: 'dns', name: sensor },
    host: { id: sensor.toLowerCase(), name: sensor },
    source: { ip: '10.22.8.40' },
    dns: { question: { name: `x${Math.floor(random() * 1e8).toString(36)}.update-check.xyz`, type: 'A' } },
  };
}

/**
 * A mixed stream: `alertShare` of the events are worth an alert; of the rest,
 * `antivirusShare` are commodity antivirus detections and the others firewall records.
 * The default share (about half) is a stress mix: every detection feeds the spread,
 * outbreak and reinfection correlations. The province sees far fewer (2 million a month
 * is under one a second) beside its network sensors' traffic.
 */
export function mixedEvent(
  host: string,
  sensor: string,
  random: () => number,
  alertShare = 0.02,
  at = new Date(),
  antivirusShare = 0.53,
): Event {
  const roll = random();
  if (roll < alertShare / 2) return threatEvent(host, random, at);
  if (roll < alertShare) return suspiciousNetworkEvent(sensor, random, at);
  return roll < alertShare + antivirusShare ? antivirusEvent(host, random, at) : firewallEvent(sensor, random, at);
}
