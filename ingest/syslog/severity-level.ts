// CEF and LEEF severities → ECS event.severity (0-10 kept as the device wrote it) and
// a level a person reads. The CEF spec: 0-3 Low, 4-6 Medium, 7-8 High, 9-10 Very-High;
// it also allows the words themselves (Kaspersky sends "Low"/"Medium"/"High").

export type SeverityLevel = 'low' | 'medium' | 'high' | 'very-high';

export interface Severity {
  value: number;
  level: SeverityLevel;
}

const WORDS: Readonly<Record<string, number>> = { low: 3, medium: 6, high: 8, 'very-high': 10, veryhigh: 10, 'very high': 10 };

/** undefined for "Unknown", an empty severity or anything outside 0-10. */
export function readSeverity(text: string | undefined): Severity | undefined {
  const value = text?.trim().toLowerCase();
  if (!value) return undefined;
  const number = /^\d{1,2}$/.test(value) ? Number(value) : WORDS[value];
  if (number === undefined || number > 10) return undefined;
  return { value: number, level: levelOf(number) };
}

export function levelOf(severity: number): SeverityLevel {
  if (severity <= 3) return 'low';
  if (severity <= 6) return 'medium';
  if (severity <= 8) return 'high';
  return 'very-high';
}
