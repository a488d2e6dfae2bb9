// Bidirectional control characters (U+202E RIGHT-TO-LEFT OVERRIDE and friends) let a
// hostile name read differently from what it is: "invoice\u202Egpj.exe" shows as
// "invoiceexe.jpg". The console shows them as visible marks, e.g. "[U+202E]", wherever
// text from events, agents or units is displayed.
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

export function revealControls(text: string): string {
  return text.replace(BIDI_CONTROLS, (c) => `[U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}]`);
}

/** The same for optional text. */
export function revealOptional(text: string | null | undefined): string | undefined {
  return text === null || text === undefined ? undefined : revealControls(text);
}
