// "Test this rule": the analyst pastes events (one JSON object per line, or a JSON
// array), the server runs the rule with its detection engine, and the box lists every
// event by the line it starts on: matched, not seen by the rule's logsource, or not
// matched by its detection; lines that are not events, with line and column; and for
// a correlation, when it fired, on which group and which lines.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorLine } from '../../../components/ui/error-line.tsx';
import { describeError } from '../../../lib/api-client.ts';
import { formatZonedTimestamp } from '../../../lib/format-time.ts';
import { revealControls } from '../../../lib/visible-text.ts';
import type { RuleKind } from '../api/get-rules.ts';
import { useTestRule, type RuleTest } from '../api/test-rule.ts';

export function RuleTestBox({ id, kind }: { id: string; kind: RuleKind }) {
  const { t } = useTranslation('rules');
  const [text, setText] = useState('');
  const [empty, setEmpty] = useState(false);
  const test = useTestRule(id);
  const inputId = `rule-test-${id}`;

  function run(ev: FormEvent<HTMLFormElement>) {
    ev.preventDefault();
    const blank = text.trim() === '';
    setEmpty(blank);
    if (!blank) test.mutate(text);
  }

  return (
    <section aria-label={t('test.title')}>
      <h3>{t('test.title')}</h3>
      <form onSubmit={run}>
        <label className="rule-test-label" htmlFor={inputId}>
          {t('test.label')}
        </label>
        <textarea
          id={inputId}
          className="rule-test-input"
          value={text}
          onChange={(e) => setText(e.target.value)}
          spellCheck={false}
          placeholder={'{"event": {"category": ["malware"], "action": "detected"}, "rule": {"name": "…"}}'}
        />
        <div className="rule-test-actions">
          <button type="submit" className="btn btn-primary" disabled={test.isPending}>
            {test.isPending ? t('test.running') : t('test.run')}
          </button>
        </div>
      </form>
      <ErrorLine message={empty ? t('test.empty') : test.error ? t('test.failed', { message: describeError(test.error) }) : null} />
      {test.data && !empty ? <Results result={test.data} kind={kind} /> : null}
    </section>
  );
}

function Results({ result, kind }: { result: RuleTest; kind: RuleKind }) {
  const { t } = useTranslation('rules');
  const matched = result.events.filter((event) => event.matched).length;
  const verdict = (event: RuleTest['events'][number]) => {
    if (event.matched) return event.rules && event.rules.length > 0 ? t('test.viaRules', { rules: event.rules.join(', ') }) : t('test.matched');
    return event.reason === 'logsource' ? t('test.logsource') : t('test.detection');
  };
  return (
    <div className="rule-test-results" aria-label={t('test.results')} role="region">
      <p role="status">
        <strong>{t('test.summary', { matched, count: result.events.length })}</strong>
      </p>
      <ol>
        {result.events.map((event, index) => (
          <li key={`${event.line}-${index}`} className={event.matched ? 'verdict-match' : 'verdict-miss'}>
            <span className="verdict-line">{t('test.line', { line: event.line })}</span> {verdict(event)}
          </li>
        ))}
      </ol>
      {result.problems.length > 0 ? (
        <>
          <h3>{t('test.problems')}</h3>
          <ul>
            {result.problems.map((problem, index) => (
              <li key={`${problem.line}-${index}`} className="verdict-problem">
                {problem.column === undefined
                  ? t('test.problemNoColumn', { line: problem.line, message: revealControls(problem.message) })
                  : t('test.problem', { line: problem.line, column: problem.column, message: revealControls(problem.message) })}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {kind === 'correlation' ? (
        <>
          <h3>{t('test.firings')}</h3>
          {result.firings.length === 0 ? <p className="muted">{t('test.noFirings')}</p> : null}
          <ul>
            {result.firings.map((firing, index) => (
              <li key={index} className="verdict-match">
                {t('test.firing', {
                  count: firing.count,
                  group: revealControls(Object.entries(firing.group).map(([k, v]) => `${k}=${v}`).join(', ')),
                  time: formatZonedTimestamp(firing.time),
                  lines: firing.lines.join(', '),
                })}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}
