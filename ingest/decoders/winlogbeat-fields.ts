// Reading the values of a Windows event as Winlogbeat ships them (`winlog.event_data`:
// every value a string, named as the event's XML names it) into the typed ECS values
// the Security, Sysmon and Defender mappings need. Windows writes "-" or an empty
// string for "none", a process id in hex in the Security log and in decimal in Sysmon,
// and an account as "DOMAIN\name"; each reader answers undefined for "none", so a
// mapping only sets the ECS fields an event really carries.

export type EventData = Readonly<Record<string, unknown>>;

/** The text of a field, or undefined for absent, empty and Windows' "-". */
export function text(data: EventData, name: string): string | undefined {
  const value = data[name];
  const written = typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
  if (typeof written !== 'string') return undefined;
  const trimmed = written.trim();
  return trimmed === '' || trimmed === '-' ? undefined : written;
}

/**
 * A field named with spaces in the event's XML ("Threat Name", as Defender writes it),
 * or as other shippers rename it ("ThreatName", "Threat_Name").
 */
export function spaced(data: EventData, name: string): string | undefined {
  return text(data, name) ?? text(data, name.replaceAll(' ', '')) ?? text(data, name.replaceAll(' ', '_'));
}

/** A whole number written in decimal ("3616") or hex ("0x1a4"). */
export function integer(data: EventData, name: string): number | undefined {
  const value = text(data, name)?.trim();
  if (value === undefined) return undefined;
  const parsed = /^0x[0-9a-f]+$/i.test(value) ? Number.parseInt(value, 16) : /^\d+$/.test(value) ? Number(value) : NaN;
  return Number.isSafeInteger(parsed) ? parsed : undefined;
}

/** A port: a whole number from 1 to 65535 (Windows writes 0 or "-" for none). */
export function port(data: EventData, name: string): number | undefined {
  const value = integer(data, name);
  return value !== undefined && value > 0 && value <= 65_535 ? value : undefined;
}

/** The last part of a Windows path: "C:\Windows\System32\cmd.exe" → "cmd.exe". */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] ?? path;
}

/** The folder part of a Windows path, without the trailing backslash. */
export function directory(path: string): string | undefined {
  const at = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
  return at > 0 ? path.slice(0, at) : undefined;
}

export type Account = {
  name: string;
  domain?: string;
};

/** "NT AUTHORITY\SYSTEM" → { name: "SYSTEM", domain: "NT AUTHORITY" }; "alice" → { name }. */
export function account(written: string | undefined): Account | undefined {
  if (written === undefined) return undefined;
  const at = written.indexOf('\\');
  if (at < 0) return { name: written };
  const name = written.slice(at + 1);
  const domain = written.slice(0, at);
  if (name === '') return undefined;
  return domain === '' ? { name } : { name, domain };
}

/** An account written as two fields (TargetUserName and TargetDomainName). */
export function accountOf(data: EventData, nameField: string, domainField: string, sidField?: string): EcsUser | undefined {
  const name = text(data, nameField);
  if (name === undefined) return undefined;
  const domain = text(data, domainField);
  const id = sidField === undefined ? undefined : text(data, sidField);
  return { name, ...(domain === undefined ? {} : { domain }), ...(id === undefined ? {} : { id }) };
}

export type EcsUser = {
  name: string;
  domain?: string;
  id?: string;
};

/** Sysmon's "SHA1=AB…,MD5=CD…,SHA256=EF…,IMPHASH=…" → ECS hash fields, lowercased as ECS keeps them. */
export function hashes(written: string | undefined): Record<string, string> | undefined {
  if (written === undefined) return undefined;
  const found: Record<string, string> = {};
  for (const part of written.split(',')) {
    const at = part.indexOf('=');
    if (at < 0) continue;
    const kind = part.slice(0, at).trim().toLowerCase();
    const value = part.slice(at + 1).trim().toLowerCase();
    if (value !== '' && ['md5', 'sha1', 'sha256', 'imphash'].includes(kind)) found[kind] = value;
  }
  return Object.keys(found).length === 0 ? undefined : found;
}

export type EcsFields = { [key: string]: EcsValue };
export type EcsValue = string | number | boolean | readonly string[] | EcsFields | undefined;

/**
 * The fields without their undefined members and the objects left empty, so a mapping
 * can write every field it might set and keep only those the event carries.
 */
export function compact(fields: EcsFields): EcsFields {
  const kept: EcsFields = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    if (typeof value === 'object' && !Array.isArray(value)) {
      const inner = compact(value as EcsFields);
      if (Object.keys(inner).length > 0) kept[key] = inner;
    } else {
      kept[key] = value;
    }
  }
  return kept;
}
