// The CEF extension keys Vigil maps to ECS, by their short and full names (the CEF
// spec's "Extension Dictionary"); LEEF events reuse it for the CEF keys vendors put in
// them. Times are handled by the decoders (they need the time context); the custom
// fields cs1..cs6, cn1..cn3 … with their *Label keys become ECS labels (custom-labels.ts).
// Every key, mapped or not, is also kept as sent under cef.extensions / leef.attributes.
import { isIP } from 'node:net';
import { hashAlgorithm, outcomeWord, portNumber, setAddress, setPath, setUrl, transportName, wholeNumber, type EcsObject } from './ecs-builder.ts';

type Apply = (event: EcsObject, value: string) => void;

const to = (path: string): Apply => (event, value) => setPath(event, path, value.trim());
const count = (path: string): Apply => (event, value) => setPath(event, path, wholeNumber(value));
const port = (path: string): Apply => (event, value) => setPath(event, path, portNumber(value));

const MAPPINGS: ReadonlyArray<[readonly string[], Apply]> = [
  [['src', 'sourceAddress'], (event, value) => setAddress(event, 'source', value)],
  [['dst', 'destinationAddress'], (event, value) => setAddress(event, 'destination', value)],
  [['sourceTranslatedAddress'], (event, value) => setPath(event, 'source.nat.ip', isIP(value.trim()) ? value.trim() : undefined)],
  [['destinationTranslatedAddress'], (event, value) => setPath(event, 'destination.nat.ip', isIP(value.trim()) ? value.trim() : undefined)],
  [['sourceTranslatedPort'], port('source.nat.port')],
  [['destinationTranslatedPort'], port('destination.nat.port')],
  [['spt', 'sourcePort'], port('source.port')],
  [['dpt', 'destinationPort'], port('destination.port')],
  [['smac', 'sourceMacAddress'], to('source.mac')],
  [['dmac', 'destinationMacAddress'], to('destination.mac')],
  [['shost', 'sourceHostName'], to('source.domain')],
  [['dhost', 'destinationHostName'], to('destination.domain')],
  [['suser', 'sourceUserName'], to('source.user.name')],
  [['duser', 'destinationUserName'], to('destination.user.name')],
  [['suid', 'sourceUserId'], to('source.user.id')],
  [['duid', 'destinationUserId'], to('destination.user.id')],
  [['sntdom', 'sourceNtDomain'], to('source.user.domain')],
  [['dntdom', 'destinationNtDomain'], to('destination.user.domain')],
  [['in', 'bytesIn'], count('source.bytes')],
  [['out', 'bytesOut'], count('destination.bytes')],
  [['proto', 'transportProtocol'], (event, value) => setPath(event, 'network.transport', transportName(value))],
  [['app', 'applicationProtocol'], (event, value) => setPath(event, 'network.protocol', value.trim().toLowerCase())],
  [['deviceDirection'], (event, value) => setPath(event, 'network.direction', value.trim() === '0' ? 'inbound' : value.trim() === '1' ? 'outbound' : undefined)],
  [['act', 'deviceAction', 'action'], to('event.action')],
  [['outcome', 'eventOutcome'], (event, value) => setPath(event, 'event.outcome', outcomeWord(value))],
  [['cat', 'deviceEventCategory'], to('rule.category')],
  [['msg', 'message'], to('message')],
  [['request', 'requestUrl'], (event, value) => setUrl(event, value)],
  [['requestMethod'], (event, value) => setPath(event, 'http.request.method', value.trim().toUpperCase())],
  [['requestClientApplication'], to('user_agent.original')],
  [['fname', 'fileName'], to('file.name')],
  [['filePath'], to('file.path')],
  [['fsize', 'fileSize'], count('file.size')],
  [['fileHash'], (event, value) => {
    const hash = value.trim();
    const algorithm = hashAlgorithm(hash);
    if (algorithm) setPath(event, `file.hash.${algorithm}`, hash.toLowerCase());
  }],
  [['sproc', 'sourceProcessName'], to('source.process.name')],
  [['dproc', 'destinationProcessName'], to('process.name')],
  [['spid', 'sourceProcessId'], count('source.process.pid')],
  [['dpid', 'destinationProcessId'], count('process.pid')],
  [['dvc', 'deviceAddress'], (event, value) => setAddress(event, 'observer', value)],
  [['dvchost', 'deviceHostName'], to('observer.hostname')],
  [['dvcmac', 'deviceMacAddress'], to('observer.mac')],
  [['deviceExternalId'], to('observer.serial_number')],
  [['externalId'], to('event.reference')],
];

const BY_KEY = new Map<string, Apply>(MAPPINGS.flatMap(([keys, apply]) => keys.map((key) => [key, apply] as const)));

/** Maps one CEF key; false when Vigil has no ECS field for it. */
export function applyCefKey(event: EcsObject, key: string, value: string): boolean {
  const apply = BY_KEY.get(key);
  if (!apply) return false;
  apply(event, value);
  return true;
}

/** The CEF custom fields that come with a *Label key: cs1..cs6, cn1..cn3, cfp1..cfp4, c6a1..c6a4, flexString1..2, … */
export const CUSTOM_FIELD = /^(cs[1-6]|cn[1-3]|cfp[1-4]|c6a[1-4]|flexString[12]|flexNumber[12]|flexDate1|deviceCustomDate[12])$/;

/** Full names of the custom fields ("deviceCustomString1") → their short names ("cs1"). */
export function shortCustomName(key: string): string {
  const full = /^deviceCustom(String|Number|FloatingPoint|IPv6Address)(\d)(Label)?$/.exec(key);
  if (!full) return key;
  const short = { String: 'cs', Number: 'cn', FloatingPoint: 'cfp', IPv6Address: 'c6a' }[full[1] as 'String'];
  return `${short}${full[2]}${full[3] ?? ''}`;
}
