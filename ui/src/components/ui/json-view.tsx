// Attacker-controlled JSON shown as plain preformatted text: React escapes it, nothing
// is interpreted, nothing becomes a link.
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

export function JsonView({ value, label }: { value: unknown; label?: string }) {
  let text: string;
  try {
    // Bidi controls as JSON escapes (\u202e): the same value, and it reads as it is.
    text = (JSON.stringify(value, null, 2) ?? String(value)).replace(BIDI_CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  } catch {
    text = String(value);
  }
  return (
    <pre className="json-view" aria-label={label} tabIndex={0}>
      {text}
    </pre>
  );
}
