// Time ranges as they travel in URLs: `from`/`to` are either an ISO time (a fixed,
// shareable window) or `now-<n><m|h|d>` (a quick range that stays relative when the
// link is opened later). Resolved to ISO only when a request is made.
export const quickRanges = ['15m', '1h', '24h', '7d', '30d'] as const;
export type QuickRange = (typeof quickRanges)[number];

const RELATIVE = /^now-(\d{1,5})([mhd])$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** The ISO time a URL bound stands for, or undefined when it is absent or unreadable. */
export function resolveBound(value: string | null | undefined, now: number = Date.now()): string | undefined {
  if (!value) return undefined;
  const relative = RELATIVE.exec(value);
  if (relative) return new Date(now - Number(relative[1]) * UNIT_MS[relative[2] as keyof typeof UNIT_MS]).toISOString();
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** The quick range a `from` stands for (with no `to`), if it is one. */
export function quickRangeOf(from: string | null, to: string | null): QuickRange | null {
  if (to) return null;
  const match = quickRanges.find((r) => from === `now-${r}`);
  return match ?? null;
}

/** `<input type="datetime-local">` value (local wall time) for an ISO bound. */
export function toLocalInput(value: string | null): string {
  const iso = resolveBound(value);
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** An ISO time (UTC) for a datetime-local value read in the user's zone. */
export function fromLocalInput(value: string): string | null {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
