// GET /api/v1/reports?format=json: a unit's or the whole SOC's report over [from, to)
// (core/report/build-report.ts's Report), read leniently for the console's summary. The
// server decides what the caller may see: another unit is 404, the whole SOC's report
// is for SOC-wide users only (403).
import { z } from 'zod';
import { appConfig } from '../../../config/app-config.ts';
import { apiRequest } from '../../../lib/api-client.ts';

const ms = z.number().nullable();
const headlineSchema = z.object({
  events: z.number(),
  alerts: z.number(),
  urgentAlerts: z.number(),
  detections: z.number(),
  failed: z.number(),
  reinfections: z.number(),
  silentAgentAlerts: z.number(),
  mttaMs: ms,
  mttrMs: ms,
});
export type Headline = z.infer<typeof headlineSchema>;

const reportSchema = z.object({
  unit: z.object({ id: z.string(), name: z.string() }).nullable(),
  from: z.string(),
  to: z.string(),
  previous: z.object({ from: z.string(), to: z.string() }),
  generated: z.string(),
  headline: headlineSchema,
  previousHeadline: headlineSchema,
  figures: z.object({
    alertsBySeverity: z.record(z.string(), z.number()),
    alertsPerDay: z.record(z.string(), z.number()),
    eventsPerDay: z.record(z.string(), z.number()),
    threats: z.array(z.object({ name: z.string(), count: z.number(), hosts: z.number() })),
    hosts: z.array(z.object({ host: z.string(), unit: z.string(), alerts: z.number() })),
    reinfections: z.object({ count: z.number(), items: z.array(z.object({ host: z.string(), unit: z.string(), threat: z.string(), lastSeen: z.string() })) }),
  }),
  antivirus: z.record(z.string(), z.number()),
  triage: z.array(
    z.object({
      severity: z.string(),
      alerts: z.number(),
      acknowledged: z.number(),
      resolved: z.number(),
      mttaMs: ms,
      mttrMs: ms,
      target: z.object({ acknowledgeMs: z.number(), resolveMs: z.number() }),
      acknowledgeMet: z.boolean().nullable(),
      resolveMet: z.boolean().nullable(),
    }),
  ),
  silentAgents: z.array(z.object({ id: z.string(), name: z.string(), unit: z.string(), lastSeen: z.string().nullable() })),
});
export type Report = z.infer<typeof reportSchema>;

export interface ReportRequest {
  /** A unit id, or null for the whole SOC. */
  unit: string | null;
  /** ISO times, [from, to). */
  from: string;
  to: string;
  lang: 'vi' | 'en';
}

function query(request: ReportRequest): Record<string, string> {
  return { ...(request.unit === null ? {} : { unit: request.unit }), from: request.from, to: request.to, lang: request.lang };
}

export function getReport(request: ReportRequest, signal?: AbortSignal): Promise<Report> {
  return apiRequest('/reports', { query: { ...query(request), format: 'json' }, schema: reportSchema, signal });
}

/** The PDF's address: `inline` to show it in the console, else a download. */
export function reportPdfUrl(request: ReportRequest, inline: boolean): string {
  const params = new URLSearchParams({ ...query(request), format: 'pdf', ...(inline ? { inline: '1' } : {}) });
  return `${appConfig.apiBase}/reports?${params.toString()}`;
}
