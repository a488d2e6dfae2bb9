// One rule beside the list: whether it runs and who switched it, with the switch
// (SOC-wide analysts and admins; the server records it in the audit log); what it is
// (id, kind, file:line, level, tags, author); "test this rule" (the page's other
// action, kept above the reading matter); description, false positives, references;
// and its YAML. Rule text comes from files anyone with access to the
// rules folder can write: rendered as text only.
import { useTranslation } from 'react-i18next';
import { useUser } from '../../../app/session.tsx';
import { ErrorLine } from '../../../components/ui/error-line.tsx';
import { describeError } from '../../../lib/api-client.ts';
import { formatZonedTimestamp } from '../../../lib/format-time.ts';
import { revealControls } from '../../../lib/visible-text.ts';
import { useRule } from '../api/get-rule.ts';
import { useSwitchRule } from '../api/switch-rule.ts';
import { LevelBadge } from './level-badge.tsx';
import { RuleTestBox } from './rule-test-box.tsx';

export function RuleDetail({ id, onClose }: { id: string; onClose: () => void }) {
  const { t } = useTranslation('rules');
  const user = useUser();
  const rule = useRule(id);
  const switchRule = useSwitchRule();
  const data = rule.data;
  const maySwitch = user.units === 'all' && (user.role === 'admin' || user.role === 'analyst');

  return (
    <aside className="detail" aria-label={t('detail.label', { title: data ? revealControls(data.title) : id })}>
      <div className="detail-head">
        <h2>{data ? revealControls(data.title) : id}</h2>
        <button type="button" className="btn btn-ghost close" onClick={onClose} aria-label={t('detail.close')}>
          ✕
        </button>
      </div>
      <ErrorLine message={rule.error ? t('detail.loadFailed', { message: describeError(rule.error) }) : null} />
      {data ? (
        <div className="detail-body">
          <section className="actions rule-switch" aria-label={t('detail.state')}>
            <strong>{data.enabled ? t('isOn') : t('isOff')}</strong>
            {maySwitch ? (
              <button
                type="button"
                className={`btn ${data.enabled ? 'btn-danger' : 'btn-primary'}`}
                title={t('offMeans')}
                disabled={switchRule.isPending}
                onClick={() => switchRule.mutate({ id: data.id, enabled: !data.enabled })}
              >
                {data.enabled ? t('switchOff') : t('switchOn')}
              </button>
            ) : (
              <span className="muted">{t('socOnly')}</span>
            )}
            {data.switchedBy && data.switchedAt ? (
              <span className="muted">
                {t('switchedBy', {
                  state: data.enabled ? t('state.on').toLowerCase() : t('state.off').toLowerCase(),
                  who: revealControls(data.switchedBy),
                  when: formatZonedTimestamp(data.switchedAt),
                })}
              </span>
            ) : null}
            <ErrorLine message={switchRule.error ? t('switchFailed', { message: describeError(switchRule.error) }) : null} />
          </section>
          <section>
            <dl className="facts">
              <dt>{t('detail.id')}</dt>
              <dd className="mono">{revealControls(data.id)}</dd>
              <dt>{t('detail.kind')}</dt>
              <dd>{t(`kind.${data.kind}`)}</dd>
              <dt>{t('detail.level')}</dt>
              <dd>
                <LevelBadge level={data.level} />
              </dd>
              <dt>{t('detail.file')}</dt>
              <dd className="mono">
                {revealControls(data.file)}:{data.line}
              </dd>
              {data.tags.length > 0 ? (
                <>
                  <dt>{t('detail.tags')}</dt>
                  <dd className="tags">
                    {data.tags.map((tag) => (
                      <span key={tag} className="tag tag-tech">
                        {revealControls(tag)}
                      </span>
                    ))}
                  </dd>
                </>
              ) : null}
              {data.author ? (
                <>
                  <dt>{t('detail.author')}</dt>
                  <dd>{revealControls(data.author)}</dd>
                </>
              ) : null}
            </dl>
          </section>
          <RuleTestBox key={data.id} id={data.id} kind={data.kind} />
          {data.description ? (
            <section>
              <h3>{t('detail.description')}</h3>
              <p>{revealControls(data.description)}</p>
            </section>
          ) : null}
          {data.falsepositives.length > 0 ? (
            <section>
              <h3>{t('detail.falsepositives')}</h3>
              <ul>
                {data.falsepositives.map((fp) => (
                  <li key={fp}>{revealControls(fp)}</li>
                ))}
              </ul>
            </section>
          ) : null}
          {data.references.length > 0 ? (
            <section>
              <h3>{t('detail.references')}</h3>
              <ul>
                {data.references.map((ref) => (
                  <li key={ref}>
                    <a href={ref} target="_blank" rel="noreferrer noopener">
                      {revealControls(ref)}
                    </a>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          <section>
            <h3>{t('detail.yaml')}</h3>
            <pre className="rule-yaml" aria-label={t('detail.yaml')}>
              {revealControls(data.yaml)}
            </pre>
          </section>
        </div>
      ) : null}
    </aside>
  );
}
