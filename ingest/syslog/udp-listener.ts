// Syslog over UDP (RFC 5426): each datagram is a message; a datagram holding several
// LF-separated messages (some relays batch them) is split. UDP cannot slow a sender, so
// when the bus is down the events are dropped and counted (event-batcher.ts drop mode).
import dgram from 'node:dgram';
import { isIPv6 } from 'node:net';
import { VigilError } from '../../core/errors.ts';
import type { Logger } from '../../core/log.ts';
import type { RunningListener } from './running-listener.ts';
import type { SyslogPipeline } from './syslog-pipeline.ts';

/** Kernel receive buffer asked for, so a burst is not lost before we read it (Linux caps it at rmem_max). */
const RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;

export async function startUdpListener(pipeline: SyslogPipeline, log: Logger): Promise<RunningListener> {
  const { listener } = pipeline;
  const socket = dgram.createSocket({ type: isIPv6(listener.host) ? 'udp6' : 'udp4', recvBufferSize: RECEIVE_BUFFER_BYTES });
  socket.on('message', (datagram, remote) => {
    const sender = { address: remote.address, port: remote.port };
    let start = 0;
    while (start < datagram.length) {
      let end = datagram.indexOf(0x0a, start);
      if (end < 0) end = datagram.length;
      let stop = end;
      if (stop > start && datagram[stop - 1] === 0x0d) stop -= 1;
      if (stop > start) pipeline.receive(datagram.subarray(start, stop), sender);
      start = end + 1;
    }
  });
  await new Promise<void>((resolve, reject) => {
    const failed = (error: Error) => reject(bindError(listener.name, error));
    socket.once('error', failed);
    socket.bind({ address: listener.host, port: listener.port, exclusive: true }, () => {
      socket.off('error', failed);
      resolve();
    });
  });
  socket.on('error', (error) => log.error({ err: error, listener: listener.name }, 'syslog UDP socket error'));
  const bound = socket.address();
  let stopping: Promise<void> | undefined;
  return {
    name: listener.name,
    protocol: 'udp',
    host: bound.address,
    port: bound.port,
    unit: listener.unit,
    stop() {
      stopping ??= (async () => {
        await new Promise<void>((resolve) => socket.close(() => resolve()));
        await pipeline.batcher.stop();
      })();
      return stopping;
    },
  };
}

export function bindError(name: string, error: Error): VigilError {
  const code = (error as NodeJS.ErrnoException).code;
  const hint = code === 'EACCES' ? ' (ports below 1024 need privileges: use e.g. 5514 (UDP) and 1514 (TCP), or a port redirect)' : code === 'EADDRINUSE' ? ' (another process uses this port)' : '';
  return new VigilError('listen_failed', `cannot listen for syslog on ${name}: ${code ?? error.message}${hint}`, 'ingest', 500, undefined, { cause: error });
}
