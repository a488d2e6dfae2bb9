// Which events a rule's `logsource` sees. Until the field-mapping pipelines arrive
// (rules/pipelines/), this small table is the whole contract between Sigma log sources
// and what Vigil's agents and sensors send. Agent authors: to be seen by a rule of a
// log source, an event must carry the fields in its row (values compare
// case-insensitively; `event.category`/`event.type` may be a string or a list).
//
//   logsource                       the event has
//   ------------------------------  ------------------------------------------------------
//   category: antivirus             event.category contains "malware", or event.module or
//   product: antivirus                observer.type is "antivirus" / "av" / "anti-virus"
//                                     (send event.module: antivirus on AV events that are
//                                     not detections, e.g. protection turned off)
//   category: firewall              event.category contains "network" and observer.type
//                                     or event.module is "firewall"
//   category: ids                   observer.type is "ids" or event.module is "suricata"
//   product: suricata
//   category: dns                   event.category contains "network" and a dns object
//                                     (or a flat dns.question.name)
//   category: network_connection    event.category contains "network"
//   category: process_creation      event.category contains "process" and event.type
//                                     contains "start"
//   no logsource                    every event
//
// Several keys in one logsource must all hold. Any other value is a rule error: a rule
// that silently never fires is worse than one that does not load.
import { compileFieldReader, type MatchableEvent } from './field-access.ts';
import type { Logsource } from './rule-model.ts';

export type LogsourcePredicate = (event: MatchableEvent) => boolean;

export interface LogsourceRoute {
  /** Canonical form of the logsource; rules with equal keys share one route. */
  readonly key: string;
  readonly accepts: LogsourcePredicate;
}

export type LogsourceField = 'category' | 'product' | 'service';

export type RouteResult =
  | { readonly ok: true; readonly route: LogsourceRoute }
  | { readonly ok: false; readonly field: LogsourceField; readonly reason: string };

const read = {
  category: compileFieldReader('event.category'),
  type: compileFieldReader('event.type'),
  module: compileFieldReader('event.module'),
  observerType: compileFieldReader('observer.type'),
  dns: compileFieldReader('dns'),
  dnsQuestion: compileFieldReader('dns.question.name'),
};

/** Whether the value (a string or a list of strings) holds one of `wanted`, any case. */
function holds(raw: unknown, wanted: readonly string[]): boolean {
  if (typeof raw === 'string') return wanted.includes(raw.toLowerCase());
  return Array.isArray(raw) && raw.some((element: unknown) => holds(element, wanted));
}

const present = (raw: unknown) => raw !== undefined && raw !== null;
const antivirusNames = ['antivirus', 'av', 'anti-virus'];

const isAntivirus: LogsourcePredicate = (event) =>
  holds(read.category(event), ['malware']) ||
  holds(read.module(event), antivirusNames) ||
  holds(read.observerType(event), antivirusNames);
const isNetwork: LogsourcePredicate = (event) => holds(read.category(event), ['network']);
const isIds: LogsourcePredicate = (event) =>
  holds(read.observerType(event), ['ids']) || holds(read.module(event), ['suricata']);

const predicates: Record<LogsourceField, Readonly<Record<string, LogsourcePredicate>>> = {
  category: {
    antivirus: isAntivirus,
    firewall: (event) =>
      isNetwork(event) && (holds(read.observerType(event), ['firewall']) || holds(read.module(event), ['firewall'])),
    ids: isIds,
    dns: (event) => isNetwork(event) && (present(read.dns(event)) || present(read.dnsQuestion(event))),
    network_connection: isNetwork,
    process_creation: (event) => holds(read.category(event), ['process']) && holds(read.type(event), ['start']),
  },
  product: {
    antivirus: isAntivirus,
    suricata: isIds,
  },
  service: {},
};

const fields: readonly LogsourceField[] = ['category', 'product', 'service'];

export function routeLogsource(logsource: Logsource): RouteResult {
  const checks: LogsourcePredicate[] = [];
  const keyParts: string[] = [];
  for (const field of fields) {
    const value = logsource[field]?.toLowerCase();
    if (value === undefined) continue;
    const predicate = predicates[field][value];
    if (predicate === undefined) {
      const known = Object.keys(predicates[field]);
      const reason = `logsource ${field} '${value}' is not routed to any Vigil events (${
        known.length === 0 ? `no ${field} is routed yet` : `known: ${known.join(', ')}`
      }; see detect/sigma/logsource.ts)`;
      return { ok: false, field, reason };
    }
    checks.push(predicate);
    keyParts.push(`${field}=${value}`);
  }
  const [first, second] = checks;
  const accepts: LogsourcePredicate =
    first === undefined
      ? () => true
      : second === undefined
        ? first
        : (event) => checks.every((check) => check(event));
  return { ok: true, route: { key: keyParts.join(';'), accepts } };
}
