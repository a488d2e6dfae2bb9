// GET /api/v1/reports: a unit's or the whole SOC's report over [from, to) as JSON (for
// the console) or as a PDF to download. Anyone signed in may ask, for what they may
// see: a unit IT officer gets their own unit's report only (another unit is 404, as if
// it did not exist), and only SOC-wide users get the whole SOC's. Without from and to
// it is the previous calendar month in the SOC's local time. `inline=1` asks for the PDF
// to show inside the console (an iframe of this same origin) rather than download.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Accounts } from '../core/accounts/accounts.ts';
import { ForbiddenError, NotFoundError } from '../core/errors.ts';
import { scopeAllows } from '../core/ports/scope.ts';
import type { Store } from '../core/ports/store.ts';
import { buildReport } from '../core/report/build-report.ts';
import { renderReportPdf } from '../core/report/render-report-pdf.ts';
import { periodLabel, previousMonth } from '../core/report/report-period.ts';
import { reportLanguages } from '../core/report/report-text.ts';
import { DEFAULT_TRIAGE_TARGETS, type TriageTargets } from '../core/report/triage-targets.ts';
import { parseRequest } from './parse-request.ts';
import { requireUser, scopeOf, signedIn } from './session-auth.ts';

export interface ReportSettings {
  /** VIGIL_UTC_OFFSET_MINUTES: the SOC's local time, for days and months. */
  utcOffsetMinutes: number;
  targets: TriageTargets;
}

/** VIGIL_UTC_OFFSET_MINUTES's default, until the composition passes the configured one. */
const DEFAULT_SETTINGS: ReportSettings = { utcOffsetMinutes: 420, targets: DEFAULT_TRIAGE_TARGETS };

const reportQuerySchema = z
  .object({
    unit: z.string().min(1).max(200).optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    lang: z.enum(reportLanguages).default('vi'),
    format: z.enum(['json', 'pdf']).default('json'),
    inline: z.enum(['0', '1', 'true', 'false']).optional(),
  })
  .refine((q) => (q.from === undefined) === (q.to === undefined), { message: 'give both from and to, or neither' });

/**
 * The server-wide headers forbid framing; the console may frame an inline report of its
 * own origin. A route's onSend runs after the server's, so it has the last word.
 */
async function allowFramingInline(_request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (!String(reply.getHeader('content-disposition') ?? '').startsWith('inline')) return;
  reply.header('X-Frame-Options', 'SAMEORIGIN');
  reply.header('Content-Security-Policy', "default-src 'none'; frame-ancestors 'self'; object-src 'self'");
}

export async function reportRoutes(app: FastifyInstance, deps: { accounts: Accounts; store: Store; report?: ReportSettings }): Promise<void> {
  const settings = deps.report ?? DEFAULT_SETTINGS;

  app.get('/api/v1/reports', { preHandler: requireUser(deps.accounts), onSend: allowFramingInline }, async (request, reply) => {
    const query = parseRequest(reportQuerySchema, request.query, 'query');
    const scope = scopeOf(signedIn(request));
    if (query.unit === undefined && scope.kind !== 'all') {
      throw new ForbiddenError('the whole SOC’s report is for SOC-wide users; name your unit (unit=...)', 'api');
    }
    if (query.unit !== undefined && !scopeAllows(scope, query.unit)) throw new NotFoundError(`unknown unit "${query.unit}"`, 'api');
    const period = query.from !== undefined && query.to !== undefined ? { from: query.from, to: query.to } : previousMonth(Date.now(), settings.utcOffsetMinutes);
    const report = await buildReport(
      deps,
      { unit: query.unit ?? null, ...period, utcOffsetMinutes: settings.utcOffsetMinutes, targets: settings.targets },
      scope,
    );
    if (query.format === 'json') return report;
    const pdf = await renderReportPdf(report, query.lang);
    const name = `vigil-report-${report.unit?.id ?? 'soc'}-${periodLabel(report, settings.utcOffsetMinutes)}.pdf`;
    const inline = query.inline === '1' || query.inline === 'true';
    return reply
      .type('application/pdf')
      .header('content-disposition', `${inline ? 'inline' : 'attachment'}; filename="${name.replace(/[^A-Za-z0-9._-]/g, '_')}"`)
      .send(pdf);
  });
}
