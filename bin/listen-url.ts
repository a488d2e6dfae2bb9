// The URL a listening server answers on, for banners and logs: the configured host
// (bracketed when IPv6) and the port the OS gave (VIGIL_PORT=0 picks a free one).
import type { Server } from 'node:http';

export function listenUrl(server: Server, config: { host: string; port: number }): string {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  return `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
}
