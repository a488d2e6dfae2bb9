// Turns the time-zone spellings devices put in syslog, CEF and LEEF times into minutes
// east of UTC: "Z", "+07:00", "+0700", "+07", "GMT+07:00", "UTC" and a few common
// abbreviations. An abbreviation we do not know is undefined, so the caller falls back
// to the SOC's own offset instead of guessing.

/** Abbreviations firewalls commonly print (RFC 3164's example uses CST). Ambiguous ones are left out. */
const ABBREVIATIONS: Readonly<Record<string, number>> = {
  UTC: 0,
  UT: 0,
  GMT: 0,
  Z: 0,
  EST: -300,
  EDT: -240,
  CST: -360,
  CDT: -300,
  MST: -420,
  MDT: -360,
  PST: -480,
  PDT: -420,
  CET: 60,
  CEST: 120,
  ICT: 420,
  JST: 540,
};

const NUMERIC = /^(?:GMT|UTC)?([+-])(\d{1,2})(?::?(\d{2}))?$/i;

export function zoneOffsetMinutes(zone: string): number | undefined {
  const text = zone.trim();
  const known = ABBREVIATIONS[text.toUpperCase()];
  if (known !== undefined) return known;
  const match = NUMERIC.exec(text);
  if (!match) return undefined;
  const hours = Number(match[2]);
  const minutes = Number(match[3] ?? '0');
  if (hours > 14 || minutes > 59) return undefined;
  return (match[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}
