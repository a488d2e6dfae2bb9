// Attacker-controlled JSON shown as plain preformatted text: React escapes it, nothing
// is interpreted, nothing becomes a link.
export function JsonView({ value, label }: { value: unknown; label?: string }) {
  let text: string;
  try {
    text = JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    text = String(value);
  }
  return (
    <pre className="json-view" aria-label={label} tabIndex={0}>
      {text}
    </pre>
  );
}
