// JSON logs (pino) on stdout. One root logger per process; stages take a child with
// their `stage` bound so every line says where it came from.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'vigil' }, timestamp: pino.stdTimeFunctions.isoTime });
}
