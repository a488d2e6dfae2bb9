// A parsed CEF record → ECS: the header names the observer (vendor, product, version)
// and the signature (rule.id, rule.name, event.code); severity 0-10 → event.severity
// and log.level; rt → @timestamp, start/end → event.start/end; the extension keys by
// cef-fields.ts; cs1..cs6 (and the other custom fields) → labels named by their
// *Label; every extension also kept as sent under cef.extensions.
import { applyCefKey, CUSTOM_FIELD, shortCustomName } from './cef-fields.ts';
import { parseDeviceTime } from './device-time.ts';
import { labelKey, setPath, type EcsObject } from './ecs-builder.ts';
import type { CefRecord } from './parse-cef.ts';
import { readSeverity } from './severity-level.ts';
import type { TimeContext } from './wall-clock.ts';

const TIME_KEYS: ReadonlyArray<[readonly string[], string]> = [
  [['rt', 'deviceReceiptTime'], '@timestamp'],
  [['start', 'startTime'], 'event.start'],
  [['end', 'endTime'], 'event.end'],
];

export function cefToEcs(record: CefRecord, time: TimeContext): EcsObject {
  const event: EcsObject = {};
  setPath(event, 'observer.vendor', record.deviceVendor);
  setPath(event, 'observer.product', record.deviceProduct);
  setPath(event, 'observer.version', record.deviceVersion);
  setPath(event, 'event.code', record.signatureId);
  setPath(event, 'rule.id', record.signatureId);
  setPath(event, 'rule.name', record.name);
  setPath(event, 'message', record.name);
  const severity = readSeverity(record.severity);
  if (severity) {
    setPath(event, 'event.severity', severity.value);
    setPath(event, 'log.level', severity.level);
  }

  const custom = new Map<string, string>();
  const labels = new Map<string, string>();
  for (const [rawKey, value] of Object.entries(record.extensions)) {
    const key = shortCustomName(rawKey);
    if (CUSTOM_FIELD.test(key)) custom.set(key, value);
    else if (key.endsWith('Label') && CUSTOM_FIELD.test(key.slice(0, -5))) labels.set(key.slice(0, -5), value);
    else if (!applyTime(event, key, value, time)) applyCefKey(event, key, value);
  }
  for (const [key, value] of custom) setPath(event, `labels.${labelKey(labels.get(key) ?? '', key)}`, value);
  if (Object.keys(record.extensions).length > 0) setPath(event, 'cef.extensions', { ...record.extensions });
  setPath(event, 'cef.version', record.version);
  return event;
}

function applyTime(event: EcsObject, key: string, value: string, time: TimeContext): boolean {
  const target = TIME_KEYS.find(([keys]) => keys.includes(key))?.[1];
  if (target === undefined) return false;
  const date = parseDeviceTime(value, time);
  if (date) setPath(event, target, date.toISOString());
  return true;
}
