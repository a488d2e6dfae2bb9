// Every word a report prints, in Vietnamese (the default) and English, plus how each
// language writes numbers, durations and dates. The PDF and any later screen read
// the same words, so the two never disagree.
import type { Severity } from '../schemas/alert.ts';
import type { AntivirusOutcome } from './antivirus-outcome.ts';

export const reportLanguages = ['vi', 'en'] as const;
export type ReportLanguage = (typeof reportLanguages)[number];

export interface ReportText {
  title: string;
  soc: string;
  unit: string;
  period: string;
  previousPeriod: string;
  generated: string;
  timeZone: string;
  kpis: string;
  indicator: string;
  thisPeriod: string;
  lastPeriod: string;
  change: string;
  events: string;
  alerts: string;
  urgentAlerts: string;
  detections: string;
  /** A table header: few words. */
  detectionsShort: string;
  failed: string;
  reinfections: string;
  silentAgentAlerts: string;
  mtta: string;
  mttr: string;
  alertsBySeverity: string;
  eventsBySeverity: string;
  /** Events whose source gave no severity. */
  unrated: string;
  severityHeader: string;
  antivirus: string;
  antivirusByAction: string;
  topThreats: string;
  threat: string;
  hostsCount: string;
  alertsPerDay: string;
  triage: string;
  target: string;
  met: string;
  yes: string;
  no: string;
  topHosts: string;
  host: string;
  reinfectionList: string;
  lastSeen: string;
  silentAgents: string;
  agent: string;
  never: string;
  none: string;
  /** Under a cut list; {n} is how many were left out. */
  more: string;
  newValue: string;
  page: string;
  severity: Record<Severity, string>;
  outcome: Record<AntivirusOutcome, string>;
  minutes: string;
  hours: string;
  days: string;
}

const vi: ReportText = {
  title: 'Báo cáo giám sát an toàn thông tin',
  soc: 'Toàn SOC (tất cả đơn vị)',
  unit: 'Đơn vị',
  period: 'Kỳ báo cáo',
  previousPeriod: 'So với kỳ trước',
  generated: 'Lập lúc',
  timeZone: 'Múi giờ',
  kpis: 'Chỉ số chính',
  indicator: 'Chỉ số',
  thisPeriod: 'Kỳ này',
  lastPeriod: 'Kỳ trước',
  change: 'Thay đổi',
  events: 'Sự kiện',
  alerts: 'Cảnh báo',
  urgentAlerts: 'Cảnh báo mức cao và nghiêm trọng',
  detections: 'Phát hiện của phần mềm diệt virus',
  detectionsShort: 'Số phát hiện',
  failed: 'Phát hiện xử lý thất bại',
  reinfections: 'Tái nhiễm',
  silentAgentAlerts: 'Cảnh báo agent mất tín hiệu',
  mtta: 'Thời gian tiếp nhận trung bình (MTTA)',
  mttr: 'Thời gian xử lý trung bình (MTTR)',
  alertsBySeverity: 'Cảnh báo theo mức độ',
  eventsBySeverity: 'Sự kiện theo mức độ',
  unrated: 'Chưa phân mức',
  severityHeader: 'Mức độ',
  antivirus: 'Phòng chống mã độc',
  antivirusByAction: 'Phát hiện theo kết quả xử lý',
  topThreats: 'Các họ mã độc phát hiện nhiều nhất',
  threat: 'Mã độc (chữ ký)',
  hostsCount: 'Số máy',
  alertsPerDay: 'Cảnh báo theo ngày',
  triage: 'Thời gian tiếp nhận và xử lý so với mục tiêu',
  target: 'Mục tiêu',
  met: 'Đạt',
  yes: 'Đạt',
  no: 'Không đạt',
  topHosts: 'Các máy bị ảnh hưởng nhiều nhất',
  host: 'Máy',
  reinfectionList: 'Tái nhiễm (cùng mã độc quay lại trên một máy)',
  lastSeen: 'Lần cuối',
  silentAgents: 'Agent mất tín hiệu (không gửi dữ liệu từ trước khi hết kỳ)',
  agent: 'Agent',
  never: 'chưa bao giờ',
  none: 'Không có',
  more: '… và {n} mục khác',
  newValue: 'mới',
  page: 'Trang',
  severity: { critical: 'Nghiêm trọng', high: 'Cao', medium: 'Trung bình', low: 'Thấp', informational: 'Thông tin' },
  outcome: {
    blocked: 'Đã chặn',
    quarantined: 'Đã cách ly',
    cleaned: 'Đã làm sạch',
    deleted: 'Đã xóa',
    failed: 'Xử lý thất bại',
    other: 'Khác (chỉ phát hiện)',
  },
  minutes: 'phút',
  hours: 'giờ',
  days: 'ngày',
};

const en: ReportText = {
  title: 'Security monitoring report',
  soc: 'Whole SOC (all units)',
  unit: 'Unit',
  period: 'Period',
  previousPeriod: 'Compared with',
  generated: 'Generated',
  timeZone: 'Time zone',
  kpis: 'Key figures',
  indicator: 'Figure',
  thisPeriod: 'This period',
  lastPeriod: 'Previous',
  change: 'Change',
  events: 'Events',
  alerts: 'Alerts',
  urgentAlerts: 'High and critical alerts',
  detections: 'Antivirus detections',
  detectionsShort: 'Detections',
  failed: 'Detections not remediated',
  reinfections: 'Reinfections',
  silentAgentAlerts: 'Agent went silent alerts',
  mtta: 'Mean time to acknowledge (MTTA)',
  mttr: 'Mean time to resolve (MTTR)',
  alertsBySeverity: 'Alerts by severity',
  eventsBySeverity: 'Events by severity',
  unrated: 'Unrated',
  severityHeader: 'Severity',
  antivirus: 'Antivirus',
  antivirusByAction: 'Detections by action taken',
  topThreats: 'Top threat families',
  threat: 'Threat (signature)',
  hostsCount: 'Hosts',
  alertsPerDay: 'Alerts per day',
  triage: 'Time to acknowledge and resolve against targets',
  target: 'Target',
  met: 'Met',
  yes: 'Met',
  no: 'Missed',
  topHosts: 'Most affected hosts',
  host: 'Host',
  reinfectionList: 'Reinfections (same threat back on a host)',
  lastSeen: 'Last seen',
  silentAgents: 'Silent agents (not heard from since before the period ended)',
  agent: 'Agent',
  never: 'never',
  none: 'None',
  more: '… and {n} more',
  newValue: 'new',
  page: 'Page',
  severity: { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low', informational: 'Informational' },
  outcome: {
    blocked: 'Blocked',
    quarantined: 'Quarantined',
    cleaned: 'Cleaned',
    deleted: 'Deleted',
    failed: 'Failed',
    other: 'Other (detected only)',
  },
  minutes: 'min',
  hours: 'h',
  days: 'd',
};

export function reportText(language: ReportLanguage): ReportText {
  return language === 'en' ? en : vi;
}

export function formatCount(n: number, language: ReportLanguage): string {
  return new Intl.NumberFormat(language === 'en' ? 'en-US' : 'vi-VN').format(n);
}

/** "1 giờ 5 phút" / "1 h 5 min"; whole minutes, the largest two units. */
export function formatDuration(ms: number | null, language: ReportLanguage): string {
  if (ms === null) return '—';
  const t = reportText(language);
  let minutes = Math.round(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  minutes -= days * 1440;
  const hours = Math.floor(minutes / 60);
  minutes -= hours * 60;
  const parts: string[] = [];
  if (days > 0) parts.push(`${days} ${t.days}`);
  if (hours > 0) parts.push(`${hours} ${t.hours}`);
  if (minutes > 0 && days === 0) parts.push(`${minutes} ${t.minutes}`);
  return parts.length === 0 ? `0 ${t.minutes}` : parts.slice(0, 2).join(' ');
}

/** A local day as the language writes it: 01/11/2026 or 2026-11-01. */
export function formatDay(isoDay: string, language: ReportLanguage): string {
  if (language === 'en') return isoDay;
  const [y, m, d] = isoDay.split('-');
  return `${d}/${m}/${y}`;
}

/** The local day (YYYY-MM-DD) of an instant at an offset from UTC. */
export function localDay(instantMs: number, utcOffsetMinutes: number): string {
  return new Date(instantMs + utcOffsetMinutes * 60_000).toISOString().slice(0, 10);
}

export function formatLocalTime(iso: string, utcOffsetMinutes: number, language: ReportLanguage): string {
  const shifted = new Date(Date.parse(iso) + utcOffsetMinutes * 60_000).toISOString();
  return `${formatDay(shifted.slice(0, 10), language)} ${shifted.slice(11, 16)}`;
}

/** "+12%", "−5%", "0%", "new" when the previous period had none, "—" when neither had any (nothing to compare). */
export function formatChange(current: number | null, previous: number | null, language: ReportLanguage): string {
  if (current === null || previous === null) return '—';
  if (previous === 0) return current === 0 ? '—' : reportText(language).newValue;
  const percent = Math.round(((current - previous) / previous) * 100);
  return `${percent > 0 ? '+' : percent < 0 ? '−' : ''}${Math.abs(percent)}%`;
}

export function formatOffset(minutes: number): string {
  const abs = Math.abs(minutes);
  return `UTC${minutes < 0 ? '−' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
