// Sends email over SMTP (nodemailer) with VIGIL_SMTP_URL / VIGIL_SMTP_FROM /
// VIGIL_SMTP_PASSWORD, for any stage that mails people: the monthly reports send
// through smtpMailer, and notify's email channel builds its transport from the same
// smtpTransportOptions. The URL's credentials are never logged; `?tls=off` is for a
// local relay with no usable certificate.
import { createTransport } from 'nodemailer';

export interface SmtpSettings {
  /** smtp:// or smtps:// URL (user and password may be in it). */
  url: string;
  from: string;
  /** Overrides the URL's password, so the URL itself can be shown. */
  password?: string | undefined;
}

export interface MailMessage {
  to: readonly string[];
  subject: string;
  text: string;
  attachments?: { filename: string; content: Buffer; contentType: string }[];
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

export function smtpTransportOptions(smtp: SmtpSettings, timeoutMs: number) {
  const url = new URL(smtp.url);
  const secure = url.protocol === 'smtps:';
  const user = decodeURIComponent(url.username);
  const pass = smtp.password ?? decodeURIComponent(url.password);
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    ...(user ? { auth: { user, pass } } : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    ...(url.searchParams.get('tls') === 'off' ? { ignoreTLS: true } : {}),
  };
}

export function smtpMailer(smtp: SmtpSettings, timeoutMs: number): Mailer {
  const transport = createTransport(smtpTransportOptions(smtp, timeoutMs));
  return {
    async send(message) {
      await transport.sendMail({
        from: smtp.from,
        to: [...message.to],
        subject: message.subject,
        text: message.text,
        attachments: message.attachments ?? [],
      });
    },
    close: () => transport.close(),
  };
}
