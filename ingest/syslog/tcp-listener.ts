// Syslog over TCP (RFC 6587), octet-counted or LF-framed, told apart per connection
// (tcp-framer.ts). A connection that sends what cannot be framed is closed, counted and
// logged; the listener and the other connections go on. When the bus is down, events
// are kept and retried and every connection is paused (no more reads, so the senders'
// TCP windows fill and they slow down) until the backlog drains.
//
// A segment can hold hundreds of messages: they are decoded in CPU slices shared with
// the other connections (cpu-turns.ts, as HTTP ingest does), the connection paused
// meanwhile so its messages stay in order, and the API and console are never frozen.
//
// Over TLS (RFC 5425, protocol "tls") the same: the certificate and key are read from
// their PEM files at start (a missing or bad file stops the start, naming the listener),
// and the decrypted stream is framed the same way (RFC 5425 frames are octet-counted).
import fs from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { ConfigError } from '../../core/config.ts';
import type { Logger } from '../../core/log.ts';
import type { Metrics } from '../../core/metrics.ts';
import { CpuTurns } from '../cpu-turns.ts';
import type { RunningListener } from './running-listener.ts';
import type { SyslogPipeline } from './syslog-pipeline.ts';
import { TcpFramer } from './tcp-framer.ts';
import { bindError } from './udp-listener.ts';

const MAX_CONNECTIONS = 2048;

export async function startTcpListener(pipeline: SyslogPipeline, metrics: Metrics, log: Logger): Promise<RunningListener> {
  const { listener, batcher } = pipeline;
  /** Connections, and whether one is still decoding a segment (then only it may resume itself). */
  const sockets = new Map<net.Socket, { decoding: boolean }>();
  const turns = new CpuTurns();
  const onConnection = (socket: net.Socket) => {
    const state = { decoding: false };
    sockets.set(socket, state);
    const sender = { address: socket.remoteAddress ?? 'unknown', port: socket.remotePort ?? 0 };
    const framer = new TcpFramer(listener.max_message_bytes);
    if (batcher.congested) socket.pause();
    socket.on('data', (chunk: Buffer) => {
      const framed = framer.push(chunk);
      socket.pause();
      state.decoding = true;
      let next = 0;
      turns
        .run(() => {
          const message = framed.messages[next++];
          if (message === undefined) return true;
          pipeline.receive(message, sender);
          return false;
        })
        .then(() => {
          state.decoding = false;
          if (framed.garbage !== undefined) {
            metrics.syslogConnectionsClosed.inc({ listener: listener.name, reason: 'framing' });
            pipeline.malformed('framing', `connection closed: ${framed.garbage}`, sender);
            socket.destroy();
          } else if (!batcher.congested && !socket.destroyed) {
            socket.resume();
          }
        }, (error: unknown) => {
          log.error({ err: error, listener: listener.name, sender }, 'decoding a syslog TCP segment failed; closing the connection');
          socket.destroy();
        });
    });
    socket.on('end', () => {
      const rest = framer.end();
      if (rest.message) pipeline.receive(rest.message, sender);
      if (rest.truncated) pipeline.malformed('framing', 'the connection ended in the middle of an octet-counted frame', sender);
      socket.end();
    });
    socket.on('error', (error) => log.debug({ err: error, listener: listener.name, sender }, 'syslog TCP connection error'));
    socket.on('close', () => sockets.delete(socket));
  };
  const server = listener.protocol === 'tls' ? tls.createServer(tlsOptions(listener), onConnection) : net.createServer(onConnection);
  if (listener.protocol === 'tls') {
    server.on('tlsClientError', (error, socket) => log.debug({ err: error, listener: listener.name, sender: socket.remoteAddress }, 'syslog TLS handshake failed'));
  }
  server.maxConnections = MAX_CONNECTIONS;
  const pauseAll = () => {
    for (const socket of sockets.keys()) socket.pause();
  };
  const resumeAll = () => {
    for (const [socket, state] of sockets) if (!socket.destroyed && !state.decoding) socket.resume();
  };
  batcher.on('congested', pauseAll);
  batcher.on('drain', resumeAll);

  await new Promise<void>((resolve, reject) => {
    const failed = (error: Error) => reject(bindError(listener.name, error));
    server.once('error', failed);
    server.listen({ host: listener.host, port: listener.port, exclusive: true }, () => {
      server.off('error', failed);
      resolve();
    });
  });
  server.on('error', (error) => log.error({ err: error, listener: listener.name }, 'syslog TCP server error'));
  const bound = server.address() as net.AddressInfo;
  let stopping: Promise<void> | undefined;
  return {
    name: listener.name,
    protocol: listener.protocol === 'tls' ? 'tls' : 'tcp',
    host: bound.address,
    port: bound.port,
    unit: listener.unit,
    stop() {
      stopping ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const socket of sockets.keys()) socket.destroy();
        await closed;
        batcher.off('congested', pauseAll);
        batcher.off('drain', resumeAll);
        await batcher.stop();
      })();
      return stopping;
    },
  };
}

/** The certificate and key of a TLS listener, read now; a file that cannot be read is a ConfigError naming it. */
function tlsOptions(listener: SyslogPipeline['listener']): tls.TlsOptions {
  const read = (what: string, file: string | undefined): Buffer => {
    try {
      return fs.readFileSync(file ?? '');
    } catch (error) {
      throw new ConfigError([`syslog listener ${listener.name}: cannot read its ${what} ${file ?? ''}: ${(error as Error).message}`]);
    }
  };
  const cert = read('tls_cert_file', listener.tls_cert_file);
  const key = read('tls_key_file', listener.tls_key_file);
  try {
    tls.createSecureContext({ cert, key });
  } catch (error) {
    throw new ConfigError([`syslog listener ${listener.name}: tls_cert_file and tls_key_file are not a usable certificate and key: ${(error as Error).message}`]);
  }
  return { cert, key, minVersion: 'TLSv1.2' };
}
