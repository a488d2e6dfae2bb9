// Realistic test events as agents post them.
import { randomUUID } from 'node:crypto';

export const EICAR_SHA256 = '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f';

export function eicarEvent(host = 'PC-KETOAN-01', extra: Record<string, unknown> = {}) {
  return {
    '@timestamp': new Date().toISOString(),
    event: { id: randomUUID(), kind: 'alert', category: ['malware'], action: 'quarantined', outcome: 'success', module: 'antivirus' },
    host: { id: host.toLowerCase(), name: host },
    file: { path: 'C:\\Users\\ketoan\\Downloads\\eicar.com', name: 'eicar.com', hash: { sha256: EICAR_SHA256 } },
    rule: { name: 'EICAR-Test-File (not a virus)' },
    ...extra,
  };
}

export function benignNetworkEvent(host = 'FW-01', port = 443) {
  return {
    '@timestamp': new Date().toISOString(),
    event: { id: randomUUID(), kind: 'event', category: ['network'], type: ['connection'], action: 'allowed', module: 'firewall' },
    observer: { type: 'firewall', vendor: 'Fortinet', product: 'FortiGate' },
    host: { id: host.toLowerCase(), name: host },
    source: { ip: '10.20.1.15', port: 51234 },
    destination: { ip: '203.0.113.10', port },
    network: { transport: 'tcp' },
  };
}

export async function postEvents(
  url: string,
  key: string,
  body: string | Buffer,
  headers: Record<string, string> = { 'Content-Type': 'application/json' },
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${url}/api/v1/events`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, ...headers },
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}
