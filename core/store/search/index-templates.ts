// Index templates with explicit ECS mappings. Events: the fields Vigil's schema knows,
// typed as ECS types them (keyword, ip, date, long), for aggregations, ranges, CIDR
// filters and whoever reads the indices with other tools; `dynamic: false` for the
// rest, which stays in _source and in the search fields, so an agent sending
// thousands of made-up field names cannot blow the mapping up and a value of an
// unexpected type cannot get an event rejected (ignore_malformed does the same for
// typed fields). The query language itself searches SEARCH_FIELD (search-fields.ts).
import { SEARCH_FIELD } from './search-fields.ts';

type Mapping = Record<string, unknown>;

const keyword = (ignoreAbove = 1024): Mapping => ({ type: 'keyword', ignore_above: ignoreAbove });
const long: Mapping = { type: 'long' };
const date: Mapping = { type: 'date' };
const ip: Mapping = { type: 'ip' };
const object = (properties: Record<string, Mapping>): Mapping => ({ properties });
/** Kept in _source, not indexed: read back, never searched or aggregated on. */
const storedOnly: Mapping = { type: 'object', enabled: false };

/** Lucene refuses terms over 32,766 bytes; 8,191 characters of UTF-8 always fit. */
const LONGEST_TERM_CHARS = 8191;

const endpoint = object({
  ip,
  port: long,
  address: keyword(),
  domain: keyword(),
  bytes: long,
  packets: long,
});

export const eventProperties: Record<string, Mapping> = {
  '@timestamp': date,
  message: { type: 'text' },
  tags: keyword(),
  event: object({
    id: keyword(),
    kind: keyword(),
    category: keyword(),
    type: keyword(),
    action: keyword(),
    outcome: keyword(),
    severity: long,
    module: keyword(),
    dataset: keyword(),
    code: keyword(),
    reason: keyword(LONGEST_TERM_CHARS),
    ingested: date,
    // ECS leaves the raw line unindexed; it is up to 1 MB.
    original: { type: 'keyword', index: false, doc_values: false },
  }),
  organization: object({ id: keyword(), name: keyword() }),
  host: object({
    id: keyword(),
    name: keyword(),
    hostname: keyword(),
    ip,
    os: object({ name: keyword(), version: keyword(), family: keyword() }),
  }),
  agent: object({ id: keyword(), name: keyword(), type: keyword(), version: keyword() }),
  source: endpoint,
  destination: endpoint,
  network: object({ protocol: keyword(), transport: keyword(), direction: keyword() }),
  dns: object({ question: object({ name: keyword(), type: keyword() }) }),
  url: object({ full: keyword(LONGEST_TERM_CHARS), original: keyword(LONGEST_TERM_CHARS), domain: keyword(), path: keyword(LONGEST_TERM_CHARS) }),
  file: object({
    path: keyword(LONGEST_TERM_CHARS),
    name: keyword(),
    size: long,
    hash: object({ md5: keyword(), sha1: keyword(), sha256: keyword() }),
  }),
  process: object({
    pid: long,
    name: keyword(),
    executable: keyword(LONGEST_TERM_CHARS),
    command_line: keyword(LONGEST_TERM_CHARS),
  }),
  user: object({ name: keyword(), domain: keyword(), id: keyword() }),
  rule: object({ id: keyword(), name: keyword(), category: keyword(), ruleset: keyword() }),
  observer: object({ vendor: keyword(), product: keyword(), type: keyword(), name: keyword(), hostname: keyword(), version: keyword() }),
  // What the syslog listeners read off each message's header (ingest/syslog/).
  log: object({
    level: keyword(),
    syslog: object({
      hostname: keyword(),
      appname: keyword(),
      procid: keyword(),
      msgid: keyword(),
      priority: long,
      version: keyword(),
      facility: object({ code: long, name: keyword() }),
      severity: object({ code: long, name: keyword() }),
    }),
  }),
  // Free-form key/value pairs (CEF custom strings, antivirus console groups); ECS types them keyword.
  labels: { type: 'object', dynamic: true },
  [SEARCH_FIELD]: object({
    key: keyword(),
    // Searched only, never sorted or aggregated on: no doc values.
    terms: { type: 'keyword', ignore_above: LONGEST_TERM_CHARS, doc_values: false },
    // Positions for phrases; no norms, which only serve relevance (results are time-ordered).
    text: { type: 'text', analyzer: 'vigil_words', norms: false },
  }),
};

/**
 * Words as the embedded store's FTS5 unicode61 tokenizer sees them (letters, digits
 * and private-use characters; everything else separates), lowercased and stripped of
 * diacritics, so "nhập" finds "Đăng nhập" and `invoice` finds invoice.pdf.exe.
 */
const wordAnalysis = {
  tokenizer: { vigil_words: { type: 'pattern', pattern: '[^\\p{L}\\p{N}\\p{Co}]+' } },
  analyzer: { vigil_words: { type: 'custom', tokenizer: 'vigil_words', filter: ['lowercase', 'asciifolding'] } },
};

/** One replica where a second node exists to hold it, none on a single node (no yellow forever). */
const replicas = { 'index.auto_expand_replicas': '0-1' };

export function eventsTemplate(pattern: string, lifecycleSettings: Record<string, unknown>): Mapping {
  return {
    index_patterns: [pattern],
    priority: 200,
    template: {
      settings: {
        ...replicas,
        'index.mapping.ignore_malformed': true,
        'index.refresh_interval': '5s',
        analysis: wordAnalysis,
        ...lifecycleSettings,
      },
      mappings: {
        dynamic: false,
        // Whatever a label holds (text, a number, true), it is a keyword, as ECS says.
        dynamic_templates: (['string', 'long', 'double', 'boolean'] as const).map((type) => ({
          [`labels_${type}`]: { path_match: 'labels.*', match_mapping_type: type, mapping: keyword() },
        })),
        // The search fields repeat the event; storing them again would only cost disk.
        _source: { excludes: [SEARCH_FIELD] },
        properties: eventProperties,
      },
    },
  };
}

export const alertProperties: Record<string, Mapping> = {
  id: keyword(),
  rule: object({ id: keyword(), title: keyword(), level: keyword(), tags: keyword(), kind: keyword() }),
  severity: keyword(),
  status: keyword(),
  assignee: keyword(),
  organization: object({ id: keyword(), name: keyword() }),
  host: object({ id: keyword(), name: keyword() }),
  // Keys are field names with dots (host.name); only ever read back whole.
  group: storedOnly,
  first_seen: date,
  last_seen: date,
  count: long,
  event_ids: keyword(),
  attack: object({ tactics: keyword(), techniques: keyword() }),
  notes: storedOnly,
  history: storedOnly,
  created: date,
  updated: date,
  // host.name, else host.id: what "top hosts" groups by; threat: the signature (group rule.name).
  [SEARCH_FIELD]: object({ host: keyword(), threat: keyword() }),
};

export function alertsTemplate(index: string): Mapping {
  return {
    index_patterns: [index],
    priority: 200,
    template: {
      // One shard: alerts are few (grouping keeps them human-sized), and one shard makes
      // the top-rules and top-hosts counts exact.
      settings: { ...replicas, 'index.number_of_shards': 1, 'index.refresh_interval': '1s' },
      mappings: { dynamic: false, _source: { excludes: [SEARCH_FIELD] }, properties: alertProperties },
    },
  };
}
