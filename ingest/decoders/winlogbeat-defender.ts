// Microsoft Defender Antivirus events (channel "Microsoft-Windows-Windows Defender/
// Operational") to Vigil's antivirus events, the shape the shipped antivirus rules
// (rules/antivirus/) read: a detection is `event.category: [malware]` with
// `rule.name` = the threat name, `file.*` = what was found, `event.action` =
// detected/quarantined/cleaned/deleted/blocked/allowed or `<action>_failed`, and
// `event.outcome`; protection turned off is `event.action` realtime_protection_disabled
// or protection_disabled, with Defender's words in `event.reason`. Event ids and field
// names are Microsoft's ("Microsoft Defender Antivirus event IDs and error codes");
// Winlogbeat keeps Defender's field names with their spaces ("Threat Name"), and they
// stay as shipped in `winlog.event_data` for Sigma's `service: windefend` rules.
import { account, baseName, compact, directory, integer, spaced, type EcsFields, type EventData } from './winlogbeat-fields.ts';

/** Detections: 1116 found, 1117 acted, 1118 action failed, 1119 action critically failed; 1006/1015 older and behaviour detections. */
const DETECTED = new Set([1006, 1015, 1116]);
const ACTED = 1117;
const FAILED = new Set([1118, 1119]);

/** Protection switched off, each with Defender's own description. */
const DISABLED: Readonly<Record<number, { action: string; reason: string }>> = {
  5001: { action: 'realtime_protection_disabled', reason: 'Real-time protection is disabled' },
  5010: { action: 'protection_disabled', reason: 'Scanning for malware and other potentially unwanted software is disabled' },
  5012: { action: 'protection_disabled', reason: 'Scanning for viruses is disabled' },
};

/** Defender's "Action Name" → what was done, and the word for it failing. */
const ACTIONS: Readonly<Record<string, { done: string; failed: string }>> = {
  quarantine: { done: 'quarantined', failed: 'quarantine_failed' },
  remove: { done: 'deleted', failed: 'delete_failed' },
  clean: { done: 'cleaned', failed: 'clean_failed' },
  block: { done: 'blocked', failed: 'block_action_failed' },
  allow: { done: 'allowed', failed: 'allow_action_failed' },
};

export function defenderFields(code: number, data: EventData): EcsFields {
  const observer: EcsFields = {
    vendor: 'Microsoft',
    product: spaced(data, 'Product Name') ?? 'Microsoft Defender Antivirus',
    version: spaced(data, 'Product Version'),
    type: 'antivirus',
  };
  const base: EcsFields = { observer, event: { module: 'antivirus', kind: 'event' } };
  const disabled = DISABLED[code];
  if (disabled !== undefined) {
    return compact({
      ...base,
      event: { module: 'antivirus', kind: 'event', category: ['configuration'], type: ['change'], ...disabled, outcome: 'success' },
    });
  }
  if (!DETECTED.has(code) && code !== ACTED && !FAILED.has(code)) return compact(base);

  const action = ACTIONS[(spaced(data, 'Action Name') ?? '').trim().toLowerCase()];
  const failed = FAILED.has(code);
  return compact({
    ...base,
    event: {
      module: 'antivirus',
      kind: 'alert',
      category: ['malware'],
      type: ['info'],
      action: DETECTED.has(code) ? 'detected' : failed ? (action?.failed ?? 'action_failed') : (action?.done ?? 'action_taken'),
      outcome: DETECTED.has(code) ? 'unknown' : failed ? 'failure' : 'success',
      severity: integer(data, 'Severity ID'),
      reason: failed ? spaced(data, 'Error Description') : undefined,
      reference: spaced(data, 'FWLink'),
    },
    rule: {
      name: spaced(data, 'Threat Name'),
      id: spaced(data, 'Threat ID'),
      category: spaced(data, 'Category Name'),
    },
    file: fileOf(spaced(data, 'Path')),
    process: processOf(spaced(data, 'Process Name')),
    user: account(spaced(data, 'Detection User')),
  });
}

/**
 * Defender's Path lists what it found as `kind:_location`, several joined by "; ":
 * "file:_C:\Users\a\x.exe", "containerfile:_C:\a.zip; file:_C:\a.zip->x.exe",
 * "webfile:_C:\x.exe|https://…|pid:…". The first file is the file; anything else
 * (amsi:_…, behavior:_…, regkey:_…) stays as Defender wrote it, so a rule can still
 * tell a fileless detection by its `amsi:` path.
 */
function fileOf(written: string | undefined): EcsFields | undefined {
  if (written === undefined) return undefined;
  const resources = written.split(/;\s*/).filter((resource) => resource.trim() !== '');
  for (const resource of resources) {
    const match = /^(file|containerfile|webfile):_(.+)$/i.exec(resource.trim());
    if (match?.[2] === undefined) continue;
    const path = match[2].split('|')[0] ?? match[2];
    return { path, name: baseName(path), directory: directory(path) };
  }
  const [first] = resources;
  return first === undefined ? undefined : { path: first.trim() };
}

function processOf(executable: string | undefined): EcsFields | undefined {
  if (executable === undefined || executable.toLowerCase() === 'unknown') return undefined;
  return { executable, name: baseName(executable) };
}
