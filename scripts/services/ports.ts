// Free TCP ports on 127.0.0.1: any port the OS hands out, or a port in a fixed range
// (the OpenSearch runner refuses HTTP ports above 9299).
import net from 'node:net';

export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('services: the OS gave no free port'))));
    });
  });
}

/** A port `p` in [low, high) with `p` and `p+1` both free, tried in random order. */
export async function freePortPair(low: number, high: number, avoid: number[] = []): Promise<number> {
  const ports = Array.from({ length: high - low }, (_, i) => low + i);
  for (let i = ports.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [ports[i], ports[j]] = [ports[j]!, ports[i]!];
  }
  for (const p of ports) {
    if (avoid.includes(p) || avoid.includes(p + 1)) continue;
    if ((await isPortFree(p)) && (await isPortFree(p + 1))) return p;
  }
  throw new Error(`services: no free port pair between ${low} and ${high}`);
}
