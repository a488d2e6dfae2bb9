// The Events view's field sidebar: each field's most frequent values among the newest
// matches of the current search (a sample, said at the top). Clicking a value adds
// `field:"value"` to the query and searches again.
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorLine } from '../../../components/ui/error-line.tsx';
import { panelErrorMessage } from './panel-error.ts';
import { formatCount } from '../../../lib/format-time.ts';
import { revealControls } from '../../../lib/visible-text.ts';
import { getEventFields } from '../api/get-event-fields.ts';
import type { HistogramSearch } from './event-histogram.tsx';

/** `field:"value"` with the value's quotes and backslashes escaped, as the query language reads them. */
export function fieldFilter(field: string, value: string): string {
  return `${field}:"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

export function FieldSidebar({ search, onFilter }: { search: HistogramSearch; onFilter: (filter: string) => void }) {
  const { t } = useTranslation('events');
  const fields = useQuery({
    queryKey: ['events', 'fields', search.q, search.from ?? null, search.to ?? null],
    queryFn: ({ signal }) => getEventFields(search, signal),
    placeholderData: (previous) => previous,
    staleTime: 0,
  });
  const data = fields.data;
  return (
    <aside className="field-sidebar" aria-label={t('fields.label')}>
      <h2 className="field-sidebar-title">{t('fields.label')}</h2>
      <ErrorLine message={panelErrorMessage(fields.error)} />
      {data ? <p className="muted small">{t('fields.sample', { sampled: formatCount(data.sampled), size: formatCount(data.sampleSize) })}</p> : null}
      {data?.fields.map((f) => (
        <section key={f.field} className="field-group" aria-label={f.field}>
          <h3 className="field-name mono" title={t('fields.present', { n: formatCount(f.events) })}>
            {f.field}
          </h3>
          <ul>
            {f.values.map((v) => (
              <li key={v.value}>
                <button type="button" className="field-value" title={t('fields.add', { filter: revealControls(fieldFilter(f.field, v.value)) })} onClick={() => onFilter(fieldFilter(f.field, v.value))}>
                  <span className="field-value-text mono">{revealControls(v.value)}</span>
                  <span className="field-value-count muted">{formatCount(v.count)}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </aside>
  );
}
