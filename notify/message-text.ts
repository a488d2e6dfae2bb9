// The words of every message, in Vietnamese or English per channel: what happened (the
// rule's title), where (unit name, host), how severe, when (local time with its zone),
// and a link to the alert in the console. Digests say how many more alerts, per unit, in
// which window. Plain text only: host names and titles come from events an attacker may
// control, so nothing here is markup for any receiver to interpret.
import type { AlertKind, AlertNotice, DigestUnitCount, NotificationLanguage, NotificationPayload } from '../core/ports/notifications.ts';
import type { Severity } from '../core/schemas/alert.ts';

export interface MessageContext {
  channel: string;
  language: NotificationLanguage;
  /** The console's address, without a trailing slash; links are `${consoleUrl}/alerts/<id>`. */
  consoleUrl: string;
  /** The SOC's local time (VIGIL_UTC_OFFSET_MINUTES). */
  utcOffsetMinutes: number;
  /** For a digest: the alerts folded into it, per unit. */
  digest?: readonly DigestUnitCount[];
}

export interface Message {
  subject: string;
  text: string;
  /** The console page the message points to. */
  link: string;
}

const SEVERITY: Record<NotificationLanguage, Record<Severity, string>> = {
  vi: { informational: 'Thông tin', low: 'Thấp', medium: 'Trung bình', high: 'Cao', critical: 'Nghiêm trọng' },
  en: { informational: 'Informational', low: 'Low', medium: 'Medium', high: 'High', critical: 'Critical' },
};

const KIND: Record<NotificationLanguage, Record<AlertKind, string>> = {
  vi: { single: 'đơn lẻ', correlation: 'tương quan', spread: 'lây lan trong đơn vị', outbreak: 'bùng phát trên nhiều đơn vị' },
  en: { single: 'single', correlation: 'correlation', spread: 'spread within a unit', outbreak: 'outbreak across units' },
};

const WORDS = {
  vi: {
    alert: 'Cảnh báo',
    unit: 'Đơn vị',
    host: 'Máy',
    noHost: 'nhiều máy',
    severity: 'Mức độ',
    when: 'Thời điểm',
    kind: 'Loại',
    count: 'Số lần',
    tactics: 'Chiến thuật ATT&CK',
    open: 'Xem cảnh báo',
    allUnits: 'nhiều đơn vị',
    openList: 'Xem danh sách cảnh báo',
    digestLine: (count: number, unit: string, minutes: string) => `Còn ${count} cảnh báo khác tại đơn vị ${unit} trong ${minutes} phút qua`,
    digestSubject: (count: number, minutes: string) => `[Vigil] ${count} cảnh báo khác trong ${minutes} phút qua`,
    digestNote: (channel: string) => `Kênh ${channel} đã đạt giới hạn số tin nhắn; các cảnh báo trên được gộp vào tin này.`,
    testSubject: (channel: string) => `[Vigil] Tin nhắn thử cho kênh ${channel}`,
    testText: (channel: string, by: string, at: string) => `Đây là tin nhắn thử của Vigil cho kênh ${channel}, do ${by} yêu cầu lúc ${at}. Kênh hoạt động bình thường.`,
  },
  en: {
    alert: 'Alert',
    unit: 'Unit',
    host: 'Host',
    noHost: 'several hosts',
    severity: 'Severity',
    when: 'When',
    kind: 'Kind',
    count: 'Count',
    tactics: 'ATT&CK tactics',
    open: 'Open the alert',
    allUnits: 'several units',
    openList: 'Open the alert list',
    digestLine: (count: number, unit: string, minutes: string) => `${count} more alert${count === 1 ? '' : 's'} in unit ${unit} in the last ${minutes} minutes`,
    digestSubject: (count: number, minutes: string) => `[Vigil] ${count} more alert${count === 1 ? '' : 's'} in the last ${minutes} minutes`,
    digestNote: (channel: string) => `The channel ${channel} reached its message limit; these alerts were folded into this message.`,
    testSubject: (channel: string) => `[Vigil] Test message for channel ${channel}`,
    testText: (channel: string, by: string, at: string) => `This is a Vigil test message for channel ${channel}, requested by ${by} at ${at}. The channel works.`,
  },
} as const;

const pad = (n: number) => String(n).padStart(2, '0');

/** `03/12/2026 19:35:12 (UTC+07:00)` in Vietnamese, `2026-12-03 19:35:12 (UTC+07:00)` in English. */
export function formatTime(time: string | number, language: NotificationLanguage, utcOffsetMinutes: number): string {
  const local = new Date(new Date(time).getTime() + utcOffsetMinutes * 60_000);
  const sign = utcOffsetMinutes < 0 ? '-' : '+';
  const zone = `UTC${sign}${pad(Math.floor(Math.abs(utcOffsetMinutes) / 60))}:${pad(Math.abs(utcOffsetMinutes) % 60)}`;
  const day = pad(local.getUTCDate());
  const month = pad(local.getUTCMonth() + 1);
  const year = local.getUTCFullYear();
  const clock = `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`;
  return language === 'vi' ? `${day}/${month}/${year} ${clock} (${zone})` : `${year}-${month}-${day} ${clock} (${zone})`;
}

function unitLabel(unit: { id: string; name: string }, language: NotificationLanguage): string {
  if (unit.id === '*') return WORDS[language].allUnits;
  return unit.name && unit.name !== unit.id ? `${unit.name} (${unit.id})` : unit.id;
}

function hostLabel(host: AlertNotice['host'], language: NotificationLanguage): string {
  if (host.name && host.id && host.name !== host.id) return `${host.name} (${host.id})`;
  return host.name ?? host.id ?? WORDS[language].noHost;
}

export function alertLink(consoleUrl: string, alertId: string): string {
  return `${consoleUrl}/alerts/${encodeURIComponent(alertId)}`;
}

function alertMessage(alert: AlertNotice, context: MessageContext): Message {
  const { language } = context;
  const w = WORDS[language];
  const severity = SEVERITY[language][alert.severity];
  const unit = unitLabel(alert.unit, language);
  const link = alertLink(context.consoleUrl, alert.id);
  const lines = [
    `${w.alert} ${severity}: ${alert.title}`,
    `${w.unit}: ${unit}`,
    `${w.host}: ${hostLabel(alert.host, language)}`,
    `${w.severity}: ${severity}`,
    `${w.when}: ${formatTime(alert.firstSeen, language, context.utcOffsetMinutes)}`,
    `${w.kind}: ${KIND[language][alert.kind]}`,
    `${w.count}: ${alert.count}`,
    ...(alert.tactics.length > 0 ? [`${w.tactics}: ${alert.tactics.join(', ')}`] : []),
    `${w.open}: ${link}`,
  ];
  return { subject: `[Vigil] ${severity}: ${alert.title} — ${unit}`, text: lines.join('\n'), link };
}

function digestMessage(windowStart: number, windowEnd: number, context: MessageContext): Message {
  const w = WORDS[context.language];
  const counts = context.digest ?? [];
  const total = counts.reduce((sum, unit) => sum + unit.count, 0);
  const minutes = String(Math.round(((windowEnd - windowStart) / 60_000) * 10) / 10);
  const link = `${context.consoleUrl}/alerts`;
  const lines = [
    ...counts.map((unit) => w.digestLine(unit.count, unitLabel({ id: unit.unit, name: unit.unitName }, context.language), minutes)),
    `${formatTime(windowStart, context.language, context.utcOffsetMinutes)} – ${formatTime(windowEnd, context.language, context.utcOffsetMinutes)}`,
    w.digestNote(context.channel),
    `${w.openList}: ${link}`,
  ];
  return { subject: w.digestSubject(total, minutes), text: lines.join('\n'), link };
}

export function renderMessage(payload: NotificationPayload, context: MessageContext, now: number): Message {
  switch (payload.type) {
    case 'alert':
      return alertMessage(payload.alert, context);
    case 'digest':
      return digestMessage(payload.windowStart, payload.windowEnd, context);
    case 'test': {
      const w = WORDS[context.language];
      return {
        subject: w.testSubject(context.channel),
        text: w.testText(context.channel, payload.requestedBy, formatTime(now, context.language, context.utcOffsetMinutes)),
        link: context.consoleUrl,
      };
    }
  }
}
