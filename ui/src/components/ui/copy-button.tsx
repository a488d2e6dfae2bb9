// Copies a text to the clipboard and says so; when the browser refuses (no clipboard
// permission), it selects the text in `fallbackTarget` so Ctrl+C works.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

export function CopyButton({ text, label, fallbackTarget }: { text: string; label: string; fallbackTarget?: () => HTMLInputElement | HTMLTextAreaElement | null }) {
  const { t } = useTranslation('common');
  const [state, setState] = useState<'idle' | 'copied' | 'select'>('idle');
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      fallbackTarget?.()?.select();
      setState('select');
    }
  }
  return (
    <button type="button" className="btn" aria-label={label} onClick={() => void copy()}>
      {t(`copy.${state}`)}
    </button>
  );
}
