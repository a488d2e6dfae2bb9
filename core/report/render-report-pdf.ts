// A report as a PDF (pdfkit): a title page with the key figures, then tables and
// charts drawn with pdfkit's vector API. DejaVu Sans is embedded (subset), so
// Vietnamese diacritics print and extract as text on any machine, fonts installed
// there or not.
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import { severities } from '../schemas/alert.ts';
import { antivirusOutcomes } from './antivirus-outcome.ts';
import { eventSeverityLevels } from './event-severity.ts';
import type { Headline, Report } from './build-report.ts';
import {
  formatChange,
  formatCount,
  formatDay,
  formatDuration,
  formatLocalTime,
  formatOffset,
  localDay,
  reportText,
  type ReportLanguage,
  type ReportText,
} from './report-text.ts';

const require = createRequire(import.meta.url);
const FONT = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const FONT_BOLD = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');

const MARGIN = 50;
/** Rows of a list (reinfections, silent agents) a PDF prints; the rest are counted. */
const LIST_ROWS = 25;
const PAGE_WIDTH = 595.28; // A4
const PAGE_HEIGHT = 841.89;
const CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN;
const BOTTOM = PAGE_HEIGHT - MARGIN - 20;
const INK = '#1f2933';
const MUTED = '#616e7c';
const RULE = '#cbd2d9';
const ACCENT = '#1d4ed8';
const SEVERITY_COLOUR = { critical: '#b91c1c', high: '#ea580c', medium: '#ca8a04', low: '#2563eb', informational: '#64748b' } as const;
const OUTCOME_COLOUR = {
  blocked: '#15803d',
  quarantined: '#0e7490',
  cleaned: '#4d7c0f',
  deleted: '#6d28d9',
  failed: '#b91c1c',
  other: '#64748b',
} as const;

type Doc = PDFKit.PDFDocument;

interface Column {
  header: string;
  width: number;
  align?: 'left' | 'right';
}

export async function renderReportPdf(report: Report, language: ReportLanguage): Promise<Buffer> {
  const t = reportText(language);
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    info: { Title: `${t.title} — ${report.unit?.name ?? t.soc}`, Author: 'Vigil', Creator: 'Vigil' },
  });
  doc.registerFont('body', FONT);
  doc.registerFont('bold', FONT_BOLD);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  titlePage(doc, report, language, t);
  doc.addPage();
  antivirusPage(doc, report, language, t);
  doc.addPage();
  triagePage(doc, report, language, t);
  footers(doc, report, t);
  doc.end();
  return done;
}

function titlePage(doc: Doc, report: Report, language: ReportLanguage, t: ReportText): void {
  const offset = report.utcOffsetMinutes;
  const lastDay = localDay(Date.parse(report.to) - 1, offset);
  const previousLastDay = localDay(Date.parse(report.previous.to) - 1, offset);
  doc.rect(0, 0, PAGE_WIDTH, 8).fill(ACCENT);
  doc.fillColor(INK).font('bold').fontSize(22).text(t.title, MARGIN, 60, { width: CONTENT_WIDTH });
  doc.moveDown(0.3);
  doc.font('bold').fontSize(16).fillColor(ACCENT).text(report.unit === null ? t.soc : `${t.unit}: ${report.unit.name}`);
  doc.moveDown(0.6);
  doc.font('body').fontSize(11).fillColor(INK);
  const line = (label: string, value: string) => doc.font('bold').text(`${label}: `, { continued: true }).font('body').text(value);
  line(t.period, `${formatDay(localDay(Date.parse(report.from), offset), language)} – ${formatDay(lastDay, language)}`);
  line(
    t.previousPeriod,
    `${formatDay(localDay(Date.parse(report.previous.from), offset), language)} – ${formatDay(previousLastDay, language)}`,
  );
  line(t.timeZone, formatOffset(offset));
  line(t.generated, formatLocalTime(report.generated, offset, language));
  if (report.unit !== null) line('ID', report.unit.id);

  heading(doc, t.kpis);
  const now = report.headline;
  const before = report.previousHeadline;
  const count = (key: keyof Headline) => [
    formatCount(now[key] ?? 0, language),
    formatCount(before[key] ?? 0, language),
    formatChange(now[key], before[key], language),
  ];
  const duration = (key: 'mttaMs' | 'mttrMs') => [
    formatDuration(now[key], language),
    formatDuration(before[key], language),
    formatChange(now[key], before[key], language),
  ];
  table(
    doc,
    [
      { header: t.indicator, width: 235 },
      { header: t.thisPeriod, width: 90, align: 'right' },
      { header: t.lastPeriod, width: 90, align: 'right' },
      { header: t.change, width: 80, align: 'right' },
    ],
    [
      [t.events, ...count('events')],
      [t.alerts, ...count('alerts')],
      [t.urgentAlerts, ...count('urgentAlerts')],
      [t.detections, ...count('detections')],
      [t.failed, ...count('failed')],
      [t.reinfections, ...count('reinfections')],
      [t.silentAgentAlerts, ...count('silentAgentAlerts')],
      [t.mtta, ...duration('mttaMs')],
      [t.mttr, ...duration('mttrMs')],
    ],
  );

  heading(doc, t.alertsBySeverity);
  barChart(
    doc,
    severities
      .slice()
      .reverse()
      .map((severity) => ({
        label: t.severity[severity],
        value: report.figures.alertsBySeverity[severity] ?? 0,
        colour: SEVERITY_COLOUR[severity],
      })),
    language,
  );

  heading(doc, t.eventsBySeverity);
  table(
    doc,
    [
      { header: t.severityHeader, width: 235 },
      { header: t.thisPeriod, width: 90, align: 'right' },
      { header: t.lastPeriod, width: 90, align: 'right' },
      { header: t.change, width: 80, align: 'right' },
    ],
    eventSeverityLevels.map((level) => [
      level === 'unrated' ? t.unrated : t.severity[level],
      formatCount(report.eventsBySeverity[level], language),
      formatCount(report.previousEventsBySeverity[level], language),
      formatChange(report.eventsBySeverity[level], report.previousEventsBySeverity[level], language),
    ]),
  );
}

function antivirusPage(doc: Doc, report: Report, language: ReportLanguage, t: ReportText): void {
  doc.font('bold').fontSize(16).fillColor(INK).text(t.antivirus, MARGIN, MARGIN);
  heading(doc, t.antivirusByAction);
  barChart(
    doc,
    antivirusOutcomes.map((outcome) => ({ label: t.outcome[outcome], value: report.antivirus[outcome], colour: OUTCOME_COLOUR[outcome] })),
    language,
  );
  heading(doc, t.topThreats);
  table(
    doc,
    [
      { header: '#', width: 25, align: 'right' },
      { header: t.threat, width: 300 },
      { header: t.detectionsShort, width: 100, align: 'right' },
      { header: t.hostsCount, width: 70, align: 'right' },
    ],
    report.figures.threats.map((threat, i) => [String(i + 1), threat.name, formatCount(threat.count, language), formatCount(threat.hosts, language)]),
    t.none,
  );
  heading(doc, t.alertsPerDay);
  lineChart(doc, report, language);
}

function triagePage(doc: Doc, report: Report, language: ReportLanguage, t: ReportText): void {
  doc.font('bold').fontSize(16).fillColor(INK).text(t.triage, MARGIN, MARGIN);
  doc.moveDown(0.5);
  const met = (value: boolean | null) => (value === null ? '—' : value ? t.yes : t.no);
  table(
    doc,
    [
      { header: t.severityHeader, width: 78 },
      { header: t.alerts, width: 58, align: 'right' },
      { header: 'MTTA', width: 64, align: 'right' },
      { header: t.target, width: 60, align: 'right' },
      { header: t.met, width: 58 },
      { header: 'MTTR', width: 60, align: 'right' },
      { header: t.target, width: 60, align: 'right' },
      { header: t.met, width: 57 },
    ],
    report.triage.map((row) => [
      t.severity[row.severity],
      formatCount(row.alerts, language),
      formatDuration(row.mttaMs, language),
      formatDuration(row.target.acknowledgeMs, language),
      met(row.acknowledgeMet),
      formatDuration(row.mttrMs, language),
      formatDuration(row.target.resolveMs, language),
      met(row.resolveMet),
    ]),
  );
  heading(doc, t.topHosts);
  table(
    doc,
    [
      { header: t.host, width: 250 },
      { header: t.unit, width: 165 },
      { header: t.alerts, width: 80, align: 'right' },
    ],
    report.figures.hosts.map((h) => [h.host, h.unit, formatCount(h.alerts, language)]),
    t.none,
  );
  heading(doc, `${t.reinfectionList}: ${formatCount(report.figures.reinfections.count, language)}`);
  table(
    doc,
    [
      { header: t.host, width: 120 },
      { header: t.threat, width: 190 },
      { header: t.unit, width: 85 },
      { header: t.lastSeen, width: 100 },
    ],
    report.figures.reinfections.items.slice(0, LIST_ROWS).map((r) => [r.host, r.threat, r.unit, formatLocalTime(r.lastSeen, report.utcOffsetMinutes, language)]),
    t.none,
  );
  more(doc, report.figures.reinfections.count - Math.min(LIST_ROWS, report.figures.reinfections.items.length), language, t);
  heading(doc, `${t.silentAgents}: ${formatCount(report.silentAgents.length, language)}`);
  table(
    doc,
    [
      { header: t.agent, width: 240 },
      { header: t.unit, width: 140 },
      { header: t.lastSeen, width: 115 },
    ],
    report.silentAgents
      .slice(0, LIST_ROWS)
      .map((a) => [`${a.name} (${a.id})`, a.unit, a.lastSeen === null ? t.never : formatLocalTime(a.lastSeen, report.utcOffsetMinutes, language)]),
    t.none,
  );
  more(doc, report.silentAgents.length - LIST_ROWS, language, t);
}

/** Under a list cut at LIST_ROWS: how many rows it left out (the console and JSON have them all). */
function more(doc: Doc, left: number, language: ReportLanguage, t: ReportText): void {
  if (left <= 0) return;
  doc.moveDown(0.3);
  doc.font('body').fontSize(8).fillColor(MUTED).text(t.more.replace('{n}', formatCount(left, language)), MARGIN, doc.y, { width: CONTENT_WIDTH });
}

function heading(doc: Doc, text: string): void {
  ensureRoom(doc, 60);
  doc.moveDown(1.2);
  doc.font('bold').fontSize(13).fillColor(INK).text(text, MARGIN, doc.y, { width: CONTENT_WIDTH });
  doc.moveDown(0.4);
}

function ensureRoom(doc: Doc, height: number): void {
  if (doc.y + height > BOTTOM) doc.addPage();
}

/** A plain table: a shaded header row, then rows; starts a new page (header again) when full. */
function table(doc: Doc, columns: Column[], rows: string[][], empty?: string): void {
  const rowHeight = 18;
  const drawHeader = () => {
    const y = doc.y;
    doc.rect(MARGIN, y, CONTENT_WIDTH, rowHeight).fill('#eef2f7');
    drawRow(doc, columns, columns.map((c) => c.header), y, 'bold');
    doc.y = y + rowHeight;
  };
  ensureRoom(doc, rowHeight * 2);
  drawHeader();
  if (rows.length === 0 && empty !== undefined) rows = [[empty, ...columns.slice(1).map(() => '')]];
  for (const row of rows) {
    if (doc.y + rowHeight > BOTTOM) {
      doc.addPage();
      drawHeader();
    }
    const y = doc.y;
    drawRow(doc, columns, row, y, 'body');
    doc.moveTo(MARGIN, y + rowHeight).lineTo(MARGIN + CONTENT_WIDTH, y + rowHeight).lineWidth(0.5).strokeColor(RULE).stroke();
    doc.y = y + rowHeight;
  }
  doc.x = MARGIN;
}

function drawRow(doc: Doc, columns: Column[], cells: string[], y: number, font: 'body' | 'bold'): void {
  let x = MARGIN;
  doc.font(font).fontSize(font === 'bold' ? 8 : 9).fillColor(INK);
  columns.forEach((column, i) => {
    doc.text(cells[i] ?? '', x + 4, y + 5, { width: column.width - 8, align: column.align ?? 'left', lineBreak: false, ellipsis: true, height: 12 });
    x += column.width;
  });
}

/** Horizontal bars, one per label, scaled to the largest; each bar says its number. */
function barChart(doc: Doc, bars: { label: string; value: number; colour: string }[], language: ReportLanguage): void {
  const barHeight = 16;
  const gap = 6;
  const labelWidth = 150;
  const maxBar = CONTENT_WIDTH - labelWidth - 60;
  ensureRoom(doc, bars.length * (barHeight + gap) + 10);
  const max = Math.max(1, ...bars.map((b) => b.value));
  let y = doc.y + 4;
  for (const bar of bars) {
    doc.font('body').fontSize(9).fillColor(INK).text(bar.label, MARGIN, y + 4, { width: labelWidth - 8, lineBreak: false, ellipsis: true });
    const width = bar.value === 0 ? 0 : Math.max(2, (bar.value / max) * maxBar);
    if (width > 0) doc.rect(MARGIN + labelWidth, y, width, barHeight).fill(bar.colour);
    doc.font('bold').fontSize(9).fillColor(INK).text(formatCount(bar.value, language), MARGIN + labelWidth + width + 6, y + 4, { lineBreak: false });
    y += barHeight + gap;
  }
  doc.y = y;
  doc.x = MARGIN;
}

/** Alerts per local day across the period: a line with dots, days without alerts at zero. */
function lineChart(doc: Doc, report: Report, language: ReportLanguage): void {
  const height = 160;
  const left = MARGIN + 36;
  const width = CONTENT_WIDTH - 46;
  ensureRoom(doc, height + 40);
  const top = doc.y + 8;
  const days: string[] = [];
  const offset = report.utcOffsetMinutes;
  for (let ms = Date.parse(report.from); ms < Date.parse(report.to) && days.length < 400; ms += 86_400_000) {
    const day = localDay(ms, offset);
    if (days[days.length - 1] !== day) days.push(day);
  }
  const lastDay = localDay(Date.parse(report.to) - 1, offset);
  if (days[days.length - 1] !== lastDay) days.push(lastDay);
  const values = days.map((day) => report.figures.alertsPerDay[day] ?? 0);
  const max = niceMax(Math.max(1, ...values));
  const bottom = top + height;

  doc.lineWidth(0.5).strokeColor(RULE);
  for (let i = 0; i <= 4; i++) {
    const y = bottom - (height * i) / 4;
    doc.moveTo(left, y).lineTo(left + width, y).stroke();
    doc.font('body').fontSize(7).fillColor(MUTED).text(formatCount((max * i) / 4, language), MARGIN - 4, y - 4, { width: 36, align: 'right', lineBreak: false });
  }
  const x = (i: number) => (days.length === 1 ? left + width / 2 : left + (width * i) / (days.length - 1));
  const y = (v: number) => bottom - (v / max) * height;
  doc.lineWidth(1.5).strokeColor(ACCENT);
  values.forEach((v, i) => (i === 0 ? doc.moveTo(x(i), y(v)) : doc.lineTo(x(i), y(v))));
  doc.stroke();
  values.forEach((v, i) => doc.circle(x(i), y(v), 1.8).fill(ACCENT));
  const step = Math.max(1, Math.ceil(days.length / 8));
  days.forEach((day, i) => {
    // Every step-th day, and the last one unless it would sit on the label before it.
    const last = i === days.length - 1;
    if (last ? i % step !== 0 && i % step < step / 2 : i % step !== 0) return;
    doc.font('body').fontSize(7).fillColor(MUTED).text(language === 'en' ? day.slice(5) : formatDay(day, language).slice(0, 5), x(i) - 20, bottom + 4, { width: 40, align: 'center', lineBreak: false });
  });
  doc.y = bottom + 20;
  doc.x = MARGIN;
}

/** The axis top: 1, 2 or 5 times a power of ten, at least `value`, and divisible by 4 steps. */
function niceMax(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  for (const m of [1, 2, 4, 5, 8, 10]) if (m * power >= value && (m * power) % 4 === 0) return m * power;
  return Math.ceil(value / 4) * 4;
}

function footers(doc: Doc, report: Report, t: ReportText): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Below the bottom margin pdfkit would start a new page for the text; the footer belongs there.
    doc.page.margins.bottom = 0;
    const text = `Vigil · ${report.unit?.name ?? t.soc} · ${t.page} ${i + 1}/${range.count}`;
    doc.font('body').fontSize(8).fillColor(MUTED).text(text, MARGIN, PAGE_HEIGHT - MARGIN + 10, { width: CONTENT_WIDTH, align: 'center', lineBreak: false });
  }
}
