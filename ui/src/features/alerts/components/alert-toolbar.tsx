// The list's controls, every one reflected in the URL: text search, status, severity,
// "my alerts", time range (a preset, or a range picked on the histogram, as a chip),
// grouping, the filters added from elsewhere (host, unit,
// rule, tactic) as removable chips, pause, and the announcement switches.
import { forwardRef, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatTimestamp } from '../../../lib/format-time.ts';
import { revealControls } from '../../../lib/visible-text.ts';
import type { AlertStatus, Severity } from '../types/alert.ts';
import { AnnounceSwitch } from './announce-switch.tsx';
import { defaultListQuery, groupFields, openStatuses, rangePresets, type AlertListQuery, type GroupField, type RangePreset } from '../types/list-query.ts';

export interface AlertToolbarProps {
  query: AlertListQuery;
  onChange(next: AlertListQuery): void;
  paused: boolean;
  onPause(paused: boolean): void;
}

const closedStatuses: AlertStatus[] = ['resolved', 'false_positive'];
const statusChoice = (status: AlertStatus[]): string => {
  if (status.length === 0) return 'all';
  const same = (list: AlertStatus[]) => list.length === status.length && list.every((s) => status.includes(s));
  if (same(openStatuses)) return 'open';
  if (same(closedStatuses)) return 'closed';
  return status.length === 1 ? status[0]! : 'custom';
};
const severityChoice = (severity: Severity[]): string =>
  severity.length === 0 ? 'any' : severity.length === 1 && severity[0] === 'critical' ? 'critical' : severity.length === 2 && severity.includes('high') && severity.includes('critical') ? 'high-up' : 'custom';

export const AlertToolbar = forwardRef<HTMLInputElement, AlertToolbarProps>(function AlertToolbar({ query, onChange, paused, onPause }, searchRef) {
  const { t } = useTranslation('alerts');
  const { t: tc } = useTranslation();
  const [text, setText] = useState(query.q);
  useEffect(() => setText(query.q), [query.q]);
  // The search applies as the analyst pauses typing, not on every key.
  useEffect(() => {
    if (text === query.q) return;
    const timer = setTimeout(() => onChange({ ...query, q: text }), 300);
    return () => clearTimeout(timer);
  }, [text, query, onChange]);

  const chips = (['host', 'unit', 'rule', 'tactic'] as const).filter((name) => query[name] !== null);
  // A range picked on the histogram (or sent in a link): from/to instead of a preset.
  const picked = query.range === null && (query.from !== null || query.to !== null);
  const otherAssignee = query.assignee !== null && query.assignee !== 'me' && query.assignee !== 'none';
  const filtered = JSON.stringify({ ...query, sort: null, group: null }) !== JSON.stringify({ ...defaultListQuery, sort: null, group: null });

  return (
    <div className="alert-toolbar">
      <input
        ref={searchRef}
        type="search"
        className="input alert-search"
        aria-label={t('filters.search')}
        placeholder={t('filters.searchPlaceholder')}
        value={text}
        maxLength={500}
        onChange={(ev) => setText(ev.target.value)}
        onKeyDown={(ev) => {
          if (ev.key === 'Enter') onChange({ ...query, q: text });
        }}
      />
      <label className="field-inline">
        <span>{t('filters.status')}</span>
        <select
          className="input"
          value={statusChoice(query.status)}
          onChange={(ev) => {
            const v = ev.target.value;
            const status = v === 'open' ? openStatuses : v === 'all' ? [] : v === 'closed' ? closedStatuses : v === 'custom' ? query.status : [v as AlertStatus];
            onChange({ ...query, status });
          }}
        >
          <option value="open">{t('filters.open')}</option>
          <option value="all">{t('filters.all')}</option>
          <option value="closed">{t('filters.closed')}</option>
          {(['new', 'acknowledged', 'in_progress', 'resolved', 'false_positive'] as const).map((s) => (
            <option key={s} value={s}>
              {tc(`status.${s}`)}
            </option>
          ))}
          {statusChoice(query.status) === 'custom' ? <option value="custom">{query.status.map((s) => tc(`status.${s}`)).join(', ')}</option> : null}
        </select>
      </label>
      <label className="field-inline">
        <span>{t('filters.severity')}</span>
        <select
          className="input"
          value={severityChoice(query.severity)}
          onChange={(ev) => {
            const v = ev.target.value;
            const severity: Severity[] = v === 'any' ? [] : v === 'critical' ? ['critical'] : v === 'high-up' ? ['high', 'critical'] : v === 'custom' ? query.severity : [v as Severity];
            onChange({ ...query, severity });
          }}
        >
          <option value="any">{t('filters.anySeverity')}</option>
          <option value="high-up">{t('filters.highUp')}</option>
          <option value="critical">{t('filters.criticalOnly')}</option>
          {(['high', 'medium', 'low', 'informational'] as const).map((s) => (
            <option key={s} value={s}>
              {tc(`severity.${s}`)}
            </option>
          ))}
          {severityChoice(query.severity) === 'custom' ? <option value="custom">{query.severity.map((s) => tc(`severity.${s}`)).join(', ')}</option> : null}
        </select>
      </label>
      <label className="field-inline">
        <span>{t('filters.range')}</span>
        <select
          className="input"
          value={query.range ?? (picked ? 'picked' : '')}
          onChange={(ev) => {
            if (ev.target.value === 'picked') return;
            onChange({ ...query, range: (ev.target.value || null) as RangePreset | null, from: null, to: null });
          }}
        >
          <option value="">{t('filters.anyTime')}</option>
          {picked ? <option value="picked">{t('filters.picked')}</option> : null}
          {rangePresets.map((r) => (
            <option key={r} value={r}>
              {t(`filters.last${r}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="check-inline">
        <input type="checkbox" checked={query.assignee === 'me'} onChange={(ev) => onChange({ ...query, assignee: ev.target.checked ? 'me' : null })} />
        {t('filters.mine')}
      </label>
      <label className="check-inline">
        <input type="checkbox" checked={query.assignee === 'none'} onChange={(ev) => onChange({ ...query, assignee: ev.target.checked ? 'none' : null })} />
        {t('filters.unassigned')}
      </label>
      <label className="field-inline">
        <span>{t('group.label')}</span>
        <select className="input" value={query.group ?? ''} onChange={(ev) => onChange({ ...query, group: (ev.target.value || null) as GroupField | null })}>
          <option value="">{t('group.none')}</option>
          {groupFields.map((g) => (
            <option key={g} value={g}>
              {t(`group.${g}`)}
            </option>
          ))}
        </select>
      </label>
      <button type="button" className="btn" aria-pressed={paused} title={t('live.pausedTitle')} onClick={() => onPause(!paused)}>
        {paused ? t('live.resume') : t('live.pause')}
      </button>
      <AnnounceSwitch />
      {chips.map((name) => (
        <span key={name} className="chip" title={t('filters.active', { name: name === 'tactic' ? t('filters.tactic') : t(`group.${name}`), value: revealControls(query[name] ?? '') })}>
          {name === 'tactic' ? t('filters.tactic') : t(`group.${name}`)}: {revealControls(query[name] ?? '')}
          <button type="button" className="chip-x" aria-label={t('filters.remove', { name })} onClick={() => onChange({ ...query, [name]: null })}>
            ×
          </button>
        </span>
      ))}
      {picked ? (
        <span className="chip" data-testid="range-chip">
          {t('filters.pickedChip', { from: query.from ? formatTimestamp(query.from) : '…', to: query.to ? formatTimestamp(query.to) : '…' })}
          <button type="button" className="chip-x" aria-label={t('filters.removeRange')} onClick={() => onChange({ ...query, from: null, to: null })}>
            ×
          </button>
        </span>
      ) : null}
      {otherAssignee ? (
        <span className="chip">
          {t('columns.assignee')}: {revealControls(query.assignee ?? '')}
          <button type="button" className="chip-x" aria-label={t('filters.remove', { name: 'assignee' })} onClick={() => onChange({ ...query, assignee: null })}>
            ×
          </button>
        </span>
      ) : null}
      {filtered ? (
        <button type="button" className="btn btn-ghost" onClick={() => onChange({ ...defaultListQuery, sort: query.sort, group: query.group })}>
          {t('filters.clear')}
        </button>
      ) : null}
    </div>
  );
});
