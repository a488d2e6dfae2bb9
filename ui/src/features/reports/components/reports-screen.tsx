// Reports at /reports: choose a unit (SOC-wide users also the whole SOC; a unit officer
// is offered their own units, and the server refuses any other), a period (this month,
// last month, a custom range of days) and the report's language; read the key figures
// here, see the PDF inline, or download it. The choice lives in the URL, so a report
// can be bookmarked or sent: /reports?unit=so-y-te&period=last&lang=vi.
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useUser } from '../../../app/session.tsx';
import { ErrorLine } from '../../../components/ui/error-line.tsx';
import { currentLanguage } from '../../../i18n/i18n.ts';
import { ApiError, describeError } from '../../../lib/api-client.ts';
import { useUnitNames } from '../../../lib/unit-names.ts';
import { getReport, reportPdfUrl, type ReportRequest } from '../api/get-report.ts';
import { localDay, periodFor, type PeriodChoice } from '../lib/report-period.ts';
import { ReportSummary } from './report-summary.tsx';
import '../reports.css';

const SOC = '*';
const periodChoices: PeriodChoice[] = ['last', 'this', 'custom'];

interface Draft {
  unit: string;
  period: PeriodChoice;
  from: string;
  to: string;
  lang: 'vi' | 'en';
}

function draftFrom(params: URLSearchParams, fallbackUnit: string): Draft {
  const period = params.get('period');
  const lang = params.get('lang');
  return {
    unit: params.get('unit') ?? fallbackUnit,
    period: period === 'this' || period === 'custom' ? period : 'last',
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
    lang: lang === 'en' || lang === 'vi' ? lang : currentLanguage(),
  };
}

export function ReportsScreen() {
  const { t } = useTranslation('reports');
  const user = useUser();
  const socWide = user.units === 'all';
  const { names } = useUnitNames();
  const [params, setParams] = useSearchParams();
  const units = [...names.entries()].sort((a, b) => a[1].localeCompare(b[1]));
  const fallbackUnit = socWide ? SOC : (user.units === 'all' ? undefined : user.units[0]) ?? '';
  const [draft, setDraft] = useState<Draft>(() => draftFrom(params, fallbackUnit));
  const [problem, setProblem] = useState<string | null>(null);
  const [view, setView] = useState<'summary' | 'pdf'>('summary');

  // What the URL asks for: a report is built once a period is chosen.
  const chosen = params.get('period') === null ? null : draftFrom(params, fallbackUnit);
  const period = chosen ? periodFor(chosen.period, chosen.from, chosen.to) : null;
  const request: ReportRequest | null =
    chosen && period ? { unit: chosen.unit === SOC || chosen.unit === '' ? null : chosen.unit, from: period.from, to: period.to, lang: chosen.lang } : null;
  const report = useQuery({
    queryKey: ['reports', request] as const,
    queryFn: ({ signal }) => getReport(request!, signal),
    enabled: request !== null,
    retry: false,
    staleTime: 60_000,
  });

  function submit(ev: FormEvent<HTMLFormElement>) {
    ev.preventDefault();
    if (periodFor(draft.period, draft.from, draft.to) === null) {
      setProblem(t('badRange'));
      return;
    }
    setProblem(null);
    const next = new URLSearchParams({ unit: draft.unit, period: draft.period, lang: draft.lang });
    if (draft.period === 'custom') {
      next.set('from', draft.from);
      next.set('to', draft.to);
    }
    setParams(next);
  }

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const failure = report.error
    ? report.error instanceof ApiError && report.error.status === 404
      ? t('notFound')
      : report.error instanceof ApiError && report.error.status === 403
        ? t('forbidden')
        : t('loadFailed', { message: describeError(report.error) })
    : null;

  return (
    <section className="admin-pane reports-pane" aria-label={t('title')}>
      <div className="admin-head">
        <h2>{t('title')}</h2>
      </div>
      <form className="admin-form reports-form" aria-label={t('form')} onSubmit={submit}>
        <label>
          {t('unit')}
          <select value={draft.unit} onChange={(e) => set('unit', e.target.value)}>
            {socWide ? <option value={SOC}>{t('wholeSoc')}</option> : null}
            {units.map(([id, name]) => (
              <option key={id} value={id}>
                {name}
              </option>
            ))}
            {!socWide && units.length === 0 && draft.unit ? <option value={draft.unit}>{draft.unit}</option> : null}
          </select>
        </label>
        <label>
          {t('period')}
          <select
            value={draft.period}
            onChange={(e) => {
              const choice = e.target.value as PeriodChoice;
              // A custom range starts from the period shown, so it is one edit away.
              const base = periodFor(draft.period, draft.from, draft.to);
              setDraft((d) => ({ ...d, period: choice, ...(choice === 'custom' && base && !d.from ? { from: localDay(base.from), to: localDay(new Date(Date.parse(base.to) - 1).toISOString()) } : {}) }));
            }}
          >
            {periodChoices.map((choice) => (
              <option key={choice} value={choice}>
                {t(`periods.${choice}`)}
              </option>
            ))}
          </select>
        </label>
        {draft.period === 'custom' ? (
          <>
            <label>
              {t('from')}
              <input type="date" value={draft.from} onChange={(e) => set('from', e.target.value)} required />
            </label>
            <label>
              {t('to')}
              <input type="date" value={draft.to} onChange={(e) => set('to', e.target.value)} required />
            </label>
          </>
        ) : null}
        <label>
          {t('language')}
          <select value={draft.lang} onChange={(e) => set('lang', e.target.value === 'en' ? 'en' : 'vi')}>
            <option value="vi">{t('languages.vi')}</option>
            <option value="en">{t('languages.en')}</option>
          </select>
        </label>
        <button type="submit" className="btn btn-primary">
          {t('show')}
        </button>
        {request && report.isSuccess ? (
          <a className="btn" href={reportPdfUrl(request, false)} download>
            {t('download')}
          </a>
        ) : null}
      </form>
      <ErrorLine message={problem ?? failure} />
      {request === null ? <p className="muted">{t('pick')}</p> : null}
      {report.isFetching ? (
        <p className="muted" role="status">
          {t('loading')}
        </p>
      ) : null}
      {request && report.data && !report.isFetching ? (
        <div className="reports-body">
          <div className="reports-views" role="group" aria-label={t('title')}>
            {(['summary', 'pdf'] as const).map((v) => (
              <button key={v} type="button" className={`btn${view === v ? ' btn-primary' : ''}`} aria-pressed={view === v} onClick={() => setView(v)}>
                {t(`view.${v}`)}
              </button>
            ))}
          </div>
          {view === 'summary' ? (
            <ReportSummary report={report.data} />
          ) : (
            <div className="reports-pdf">
              <p className="muted hint">{t('pdfHint')}</p>
              <iframe title={t('pdfTitle')} src={reportPdfUrl(request, true)} />
            </div>
          )}
        </div>
      ) : null}
    </section>
  );
}
