// A destructive action asked twice: the first click shows the question with the real
// button and Cancel beside it, so nothing is lost to a stray click.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

export interface ConfirmButtonProps {
  label: string;
  /** The whole question, for screen readers and the tooltip. */
  question: string;
  /** A short visible form of it, when the whole one would not fit beside the buttons. */
  prompt?: string;
  confirmLabel: string;
  disabled?: boolean;
  onConfirm: () => void;
  /** Told when the question opens and closes, so a row can make room for it. */
  onAskingChange?: (asking: boolean) => void;
}

export function ConfirmButton({ label, question, prompt, confirmLabel, disabled, onConfirm, onAskingChange }: ConfirmButtonProps) {
  const { t } = useTranslation('common');
  const [asking, setAskingState] = useState(false);
  const setAsking = (value: boolean) => {
    setAskingState(value);
    onAskingChange?.(value);
  };
  if (!asking) {
    return (
      <button type="button" className="btn btn-danger-quiet" disabled={disabled} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    <span className="confirm" role="group" aria-label={question}>
      <span className="confirm-question" title={question}>
        {prompt ?? question}
      </span>
      <button
        type="button"
        className="btn btn-danger"
        disabled={disabled}
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {confirmLabel}
      </button>
      <button type="button" className="btn btn-ghost" onClick={() => setAsking(false)}>
        {t('cancel')}
      </button>
    </span>
  );
}
