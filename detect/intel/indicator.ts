// What an indicator of compromise is once loaded, whatever file or feed it came from:
// its kind, its value in the normalised form matching uses, and what the analyst needs
// to judge a hit (the list it is in, who vouches for it, how much, tags, expiry).
// Parsers answer a ParseResult: what they loaded, and how much they could not use.

export const INDICATOR_KINDS = ['ip', 'domain', 'url', 'md5', 'sha1', 'sha256'] as const;
/** `ip` covers IPv4 and IPv6 addresses and CIDR prefixes. */
export type IndicatorKind = (typeof INDICATOR_KINDS)[number];

export interface Indicator {
  readonly kind: IndicatorKind;
  /** Normalised (indicator-value.ts): what matching compares against. */
  readonly value: string;
  /** The list (file or folder under the intel folder, or TAXII feed) it was loaded from. */
  readonly list: string;
  /** Who published it (a CSV `source` column, a MISP event's organisation, a STIX identity), else the list. */
  readonly source: string;
  /** 0–100 when the list says. */
  readonly confidence?: number;
  readonly tags: readonly string[];
  /** Epoch ms after which it no longer matches; absent: it never expires. */
  readonly expires?: number;
}

export interface ParseResult {
  readonly indicators: Indicator[];
  /** Entries that could not be represented (an unknown kind, a STIX pattern with AND, a MISP attribute not for IDS...). */
  readonly skipped: number;
  /** Located problems worth a log line (`file:line: message`), capped. */
  readonly problems: string[];
}

/** What every parser is told about the file it reads. */
export interface ParseContext {
  /** The list the indicators belong to. */
  readonly list: string;
  /** How the file is named in problems. */
  readonly file: string;
}

/** Problems kept per file: a broken feed should not flood the log. */
export const MAX_PROBLEMS = 20;

export function addProblem(problems: string[], problem: string): void {
  if (problems.length < MAX_PROBLEMS) problems.push(problem);
}
