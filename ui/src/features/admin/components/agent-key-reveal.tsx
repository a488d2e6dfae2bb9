// The key of a newly enrolled or rotated agent, shown this once: the key itself and a
// ready `curl` line that posts a first event to this server, each with a copy button.
// Dismissing it forgets the key; the server keeps only its hash.
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { CopyButton } from '../../../components/ui/copy-button.tsx';
import { revealControls } from '../../../lib/visible-text.ts';
import type { AgentKey } from '../types/admin.ts';

/** A shell-safe single-quoted word. */
const shellQuote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

export function firstEventCurl(origin: string, key: string): string {
  const event = {
    event: { kind: 'event', category: ['host'], type: ['info'], action: 'agent-enrolled', module: 'vigil' },
    message: 'First event from a newly enrolled agent',
  };
  return [
    `curl -sS -X POST ${shellQuote(`${origin}/api/v1/events`)}`,
    `-H ${shellQuote(`Authorization: Bearer ${key}`)}`,
    `-H 'Content-Type: application/json'`,
    `-d ${shellQuote(JSON.stringify(event))}`,
  ].join(' ');
}

export function AgentKeyReveal({ issued, kind, onDismiss }: { issued: AgentKey; kind: 'enrolled' | 'rotated'; onDismiss: () => void }) {
  const { t } = useTranslation('admin');
  const keyRef = useRef<HTMLInputElement>(null);
  const curlRef = useRef<HTMLTextAreaElement>(null);
  const curl = firstEventCurl(window.location.origin, issued.key);
  return (
    <section className="key-reveal" role="region" aria-label={t('keyReveal.label')}>
      <h3>
        {kind === 'enrolled' ? t('keyReveal.enrolled') : t('keyReveal.rotated')}
        <span className="key-agent" title={revealControls(issued.agent.name)}>
          {revealControls(issued.agent.name)}
        </span>{' '}
        <span className="muted" title={revealControls(issued.agent.unit.name)}>
          ({revealControls(issued.agent.unit.name || issued.agent.unit.id)})
        </span>
      </h3>
      <p className="key-warning">
        {t('keyReveal.warning')}
        {kind === 'rotated' ? t('keyReveal.previousRefused') : ''}
      </p>
      <div className="key-row">
        <label className="key-label" htmlFor="agent-key-value">
          {t('keyReveal.key')}
        </label>
        <input id="agent-key-value" ref={keyRef} className="mono key-value" readOnly value={issued.key} onFocus={(e) => e.target.select()} />
        <CopyButton text={issued.key} label={t('keyReveal.copyKey')} fallbackTarget={() => keyRef.current} />
      </div>
      <div className="key-row">
        <label className="key-label" htmlFor="agent-key-curl">
          curl
        </label>
        <textarea id="agent-key-curl" ref={curlRef} className="mono key-curl" readOnly rows={3} value={curl} onFocus={(e) => e.target.select()} />
        <CopyButton text={curl} label={t('keyReveal.copyCurl')} fallbackTarget={() => curlRef.current} />
      </div>
      <p className="muted hint">{t('keyReveal.curlHint')}</p>
      <button type="button" className="btn btn-primary" onClick={onDismiss}>
        {t('keyReveal.stored')}
      </button>
    </section>
  );
}
