// ArcSight Common Event Format: "CEF:Version|Device Vendor|Device Product|Device
// Version|Device Event Class ID|Name|Severity|Extension". In the header "\|" and "\\"
// are escapes; the extension is key=value pairs (extension-pairs.ts). Versions 0 and 1.
import { extensionPairs } from './extension-pairs.ts';

export interface CefRecord {
  version: number;
  deviceVendor: string;
  deviceProduct: string;
  deviceVersion: string;
  signatureId: string;
  name: string;
  severity: string;
  extensions: Record<string, string>;
}

export type CefParse = { ok: true; value: CefRecord } | { ok: false; error: string };

/** `text` starts at "CEF:". */
export function parseCef(text: string): CefParse {
  const version = /^CEF: ?(\d+)\|/.exec(text);
  if (!version) return { ok: false, error: 'CEF header must start with "CEF:<version>|"' };
  if (version[1] !== '0' && version[1] !== '1') return { ok: false, error: `CEF version ${version[1]} is not 0 or 1` };
  const fields: string[] = [];
  let field = '';
  let index = version[0].length;
  while (index < text.length && fields.length < 6) {
    const char = text[index]!;
    if (char === '\\' && (text[index + 1] === '|' || text[index + 1] === '\\')) {
      field += text[index + 1];
      index += 2;
      continue;
    }
    index += 1;
    if (char === '|') {
      fields.push(field);
      field = '';
    } else {
      field += char;
    }
  }
  // A message cut right after the severity (no closing pipe, no extension) is still read.
  if (fields.length === 5 && index >= text.length && field !== '') fields.push(field);
  if (fields.length < 6) {
    return { ok: false, error: `CEF header has ${fields.length + 1} of its 7 fields (Version|Vendor|Product|Version|Class ID|Name|Severity)` };
  }
  const [deviceVendor, deviceProduct, deviceVersion, signatureId, name, severity] = fields as [string, string, string, string, string, string];
  const extensions: Record<string, string> = {};
  for (const [key, value] of extensionPairs(text.slice(index))) extensions[key] = value;
  return {
    ok: true,
    value: { version: Number(version[1]), deviceVendor, deviceProduct, deviceVersion, signatureId, name, severity: severity.trim(), extensions },
  };
}
