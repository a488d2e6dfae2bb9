// Bulk triage of the selected alerts: acknowledge, resolve, false positive, or assign
// to anyone, with one note recorded in each alert's history (POST /alerts/triage).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../../lib/api-client.ts';
import { describeFailure } from '../../../lib/error-message.ts';
import { MAX_BULK_TRIAGE, triageAlerts, type BulkChange } from '../api/triage-alerts.ts';
import type { Alert } from '../types/alert.ts';

export interface BulkTriageBarProps {
  ids: string[];
  canEdit: boolean;
  onDone(updated: Alert[]): void;
  onClear(): void;
}

export function BulkTriageBar({ ids, canEdit, onDone, onClear }: BulkTriageBarProps) {
  const { t } = useTranslation('alerts');
  const [note, setNote] = useState('');
  const [assignee, setAssignee] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  if (ids.length === 0) return null;
  const tooMany = ids.length > MAX_BULK_TRIAGE;

  async function run(change: BulkChange) {
    setBusy(true);
    setMessage(null);
    try {
      const trimmed = note.trim();
      const answer = await triageAlerts(ids, trimmed ? { ...change, note: trimmed } : change);
      onDone(answer.updated);
      setNote('');
      const first = answer.failed[0];
      setMessage(
        first === undefined
          ? { kind: 'ok', text: t('bulk.done', { count: answer.updated.length }) }
          : { kind: 'error', text: `${t('bulk.done', { count: answer.updated.length })} ${t('bulk.failed', { count: answer.failed.length, reason: describeFailure(first) })}` },
      );
    } catch (error) {
      setMessage({ kind: 'error', text: describeError(error) });
    } finally {
      setBusy(false);
    }
  }

  const disabled = busy || !canEdit || tooMany;
  return (
    <section className="bulk-bar" aria-label={t('bulk.label')}>
      <strong>{t('bulk.selected', { count: ids.length })}</strong>
      <button type="button" className="btn" disabled={disabled} onClick={() => void run({ status: 'acknowledged' })}>
        {t('bulk.acknowledge')}
      </button>
      <button type="button" className="btn" disabled={disabled} onClick={() => void run({ status: 'resolved' })}>
        {t('bulk.resolve')}
      </button>
      <button type="button" className="btn" disabled={disabled} onClick={() => void run({ status: 'false_positive' })}>
        {t('bulk.falsePositive')}
      </button>
      <input
        className="input bulk-assignee"
        aria-label={t('bulk.assign')}
        placeholder={t('bulk.assignPlaceholder')}
        value={assignee}
        maxLength={200}
        disabled={!canEdit}
        onChange={(ev) => setAssignee(ev.target.value)}
      />
      <button type="button" className="btn" disabled={disabled || assignee.trim() === ''} onClick={() => void run({ assignee: assignee.trim() })}>
        {t('bulk.assignButton')}
      </button>
      <input
        className="input bulk-note"
        aria-label={t('bulk.note')}
        placeholder={t('bulk.notePlaceholder')}
        value={note}
        maxLength={10_000}
        disabled={!canEdit}
        onChange={(ev) => setNote(ev.target.value)}
      />
      <button type="button" className="btn btn-ghost" onClick={onClear}>
        {t('bulk.clear')}
      </button>
      {tooMany ? <span className="error-text">{t('bulk.tooMany', { max: MAX_BULK_TRIAGE })}</span> : null}
      {message ? (
        <span role="status" className={message.kind === 'error' ? 'error-text' : 'muted'}>
          {message.text}
        </span>
      ) : null}
    </section>
  );
}
