// Reading ECS fields out of raw, attacker-controlled event JSON without trusting its
// shape: every lookup returns a string or undefined, never an object to render.
import { revealControls } from './visible-text.ts';
function lookup(value: unknown, path: string): unknown {
  if (value === null || typeof value !== 'object') return undefined;
  const record = value as Record<string, unknown>;
  if (path in record) return record[path];
  const dot = path.indexOf('.');
  if (dot === -1) return undefined;
  // ECS allows both nested objects and dotted keys; try each split from the left.
  for (let i = dot; i !== -1; i = path.indexOf('.', i + 1)) {
    const head = path.slice(0, i);
    if (head in record) {
      const found = lookup(record[head], path.slice(i + 1));
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** A field as display text: strings and numbers as-is, arrays joined, anything else undefined. */
export function readField(event: unknown, path: string): string | undefined {
  const value = lookup(event, path);
  if (typeof value === 'string') return revealControls(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    const parts = value.filter((v) => typeof v === 'string' || typeof v === 'number').map((v) => revealControls(String(v)));
    return parts.length > 0 ? parts.join(', ') : undefined;
  }
  return undefined;
}

function endpoint(event: unknown, side: 'source' | 'destination'): string | undefined {
  const ip = readField(event, `${side}.ip`) ?? readField(event, `${side}.address`);
  if (!ip) return undefined;
  const port = readField(event, `${side}.port`);
  return port ? `${ip}:${port}` : ip;
}

/** The one detail that says what an event was about, by event kind. */
export function eventSubject(event: unknown): string | undefined {
  const src = endpoint(event, 'source');
  const dst = endpoint(event, 'destination');
  return (
    readField(event, 'file.path') ??
    readField(event, 'file.name') ??
    readField(event, 'process.command_line') ??
    readField(event, 'process.executable') ??
    readField(event, 'url.full') ??
    readField(event, 'dns.question.name') ??
    (src || dst ? `${src ?? '?'} → ${dst ?? '?'}` : undefined) ??
    readField(event, 'message')
  );
}

/** Short description: what happened (action/category) and the signature if any. */
export function eventHeadline(event: unknown): string {
  const action = readField(event, 'event.action') ?? readField(event, 'event.category') ?? readField(event, 'event.kind');
  const signature = readField(event, 'rule.name');
  return [action, signature].filter(Boolean).join(' · ') || 'event';
}
