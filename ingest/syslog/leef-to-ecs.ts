// A parsed LEEF record → ECS: the header names the observer and the event (event.code);
// QRadar's predefined attributes (src, dst, srcPort, usrName, sev, devTime with
// devTimeFormat, …) map to their ECS fields; the CEF keys vendors also put in LEEF
// (act, suser, fname, fileHash, request, …) map as in CEF; every attribute is also kept
// as sent under leef.attributes.
import { applyCefKey } from './cef-fields.ts';
import { parseDeviceTime } from './device-time.ts';
import { portNumber, setAddress, setPath, setUrl, transportName, wholeNumber, type EcsObject } from './ecs-builder.ts';
import type { LeefRecord } from './parse-leef.ts';
import { readSeverity } from './severity-level.ts';
import type { TimeContext } from './wall-clock.ts';

type Apply = (event: EcsObject, value: string) => void;
const to = (path: string): Apply => (event, value) => setPath(event, path, value.trim());

const LEEF_KEYS: Readonly<Record<string, Apply>> = {
  src: (event, value) => setAddress(event, 'source', value),
  dst: (event, value) => setAddress(event, 'destination', value),
  srcPort: (event, value) => setPath(event, 'source.port', portNumber(value)),
  dstPort: (event, value) => setPath(event, 'destination.port', portNumber(value)),
  srcPreNAT: (event, value) => setAddress(event, 'source', value),
  dstPreNAT: (event, value) => setAddress(event, 'destination', value),
  srcPostNAT: (event, value) => setPath(event, 'source.nat.ip', value.trim()),
  dstPostNAT: (event, value) => setPath(event, 'destination.nat.ip', value.trim()),
  srcPreNATPort: (event, value) => setPath(event, 'source.port', portNumber(value)),
  dstPreNATPort: (event, value) => setPath(event, 'destination.port', portNumber(value)),
  srcPostNATPort: (event, value) => setPath(event, 'source.nat.port', portNumber(value)),
  dstPostNATPort: (event, value) => setPath(event, 'destination.nat.port', portNumber(value)),
  srcMAC: to('source.mac'),
  dstMAC: to('destination.mac'),
  srcBytes: (event, value) => setPath(event, 'source.bytes', wholeNumber(value)),
  dstBytes: (event, value) => setPath(event, 'destination.bytes', wholeNumber(value)),
  srcPackets: (event, value) => setPath(event, 'source.packets', wholeNumber(value)),
  dstPackets: (event, value) => setPath(event, 'destination.packets', wholeNumber(value)),
  totalPackets: (event, value) => setPath(event, 'network.packets', wholeNumber(value)),
  proto: (event, value) => setPath(event, 'network.transport', transportName(value)),
  usrName: to('user.name'),
  accountName: to('user.name'),
  domain: to('user.domain'),
  identHostName: to('source.domain'),
  url: (event, value) => setUrl(event, value),
  policy: to('rule.name'),
  vSrc: (event, value) => setAddress(event, 'source', value),
};

export function leefToEcs(record: LeefRecord, time: TimeContext): EcsObject {
  const event: EcsObject = {};
  setPath(event, 'observer.vendor', record.vendor);
  setPath(event, 'observer.product', record.product);
  setPath(event, 'observer.version', record.productVersion);
  setPath(event, 'event.code', record.eventId);
  setPath(event, 'message', record.eventId);
  const attributes = record.attributes;
  for (const [key, value] of Object.entries(attributes)) {
    if (key === 'devTime' || key === 'devTimeFormat') continue;
    if (key === 'sev') {
      const severity = readSeverity(value);
      if (severity) {
        setPath(event, 'event.severity', severity.value);
        setPath(event, 'log.level', severity.level);
      }
      continue;
    }
    const apply = LEEF_KEYS[key];
    if (apply) apply(event, value);
    else applyCefKey(event, key, value);
  }
  if (attributes.devTime !== undefined) {
    const date = parseDeviceTime(attributes.devTime, time, attributes.devTimeFormat ?? 'MMM dd yyyy HH:mm:ss');
    if (date) setPath(event, '@timestamp', date.toISOString());
  }
  if (Object.keys(attributes).length > 0) setPath(event, 'leef.attributes', { ...attributes });
  setPath(event, 'leef.version', record.version);
  return event;
}
