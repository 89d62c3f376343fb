/**
 * E-mail channel over SMTP (nodemailer). The Message-ID is derived from the delivery id, so a
 * message that is sent again after a crash is recognisable as the same one by the recipient's
 * mail system.
 */
import { createTransport, type Transporter } from 'nodemailer';

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  messageId: string;
  attachments?: { filename: string; content: string; contentType: string }[];
}

export interface EmailResult { ok: boolean; error?: string; permanent?: boolean }

export interface Mailer {
  send(m: EmailMessage): Promise<EmailResult>;
  close(): void;
}

export interface SmtpOptions {
  /** smtp://user:pass@host:port or smtps://…; ignoreTLS etc. can be given as URL query options. */
  url: string;
  from: string;
  timeoutMs?: number;
  maxConnections?: number;
}

export function smtpMailer(opts: SmtpOptions): Mailer {
  const t = opts.timeoutMs ?? 15_000;
  const u = new URL(opts.url);
  const secure = u.protocol === 'smtps:';
  const transport: Transporter = createTransport({
    // One connection reused for a round's many digests (a new SMTP session per message costs
    // more than the message); a few in parallel.
    pool: true,
    maxConnections: opts.maxConnections ?? 4,
    maxMessages: 1000,
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port ? Number(u.port) : secure ? 465 : 25,
    secure,
    ...(u.username ? { auth: { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } } : {}),
    // ?starttls=off for a relay without TLS; by default STARTTLS is used when offered.
    ignoreTLS: u.searchParams.get('starttls') === 'off',
    tls: { rejectUnauthorized: u.searchParams.get('verify') !== 'off' },
    connectionTimeout: t, greetingTimeout: t, socketTimeout: t,
  });
  return {
    async send(m) {
      try {
        await transport.sendMail({ from: opts.from, to: m.to, subject: m.subject, text: m.text, ...(m.html ? { html: m.html } : {}), messageId: m.messageId, ...(m.attachments ? { attachments: m.attachments } : {}) });
        return { ok: true };
      } catch (e) {
        const err = e as { responseCode?: number; message?: string; code?: string };
        // 5xx from the server: the address or message is refused for good (a bounce), no retry.
        const permanent = typeof err.responseCode === 'number' && err.responseCode >= 500;
        return { ok: false, error: `${err.code ?? 'SMTP'}${err.responseCode ? ` ${err.responseCode}` : ''}: ${err.message ?? String(e)}`, permanent };
      }
    },
    close: () => transport.close(),
  };
}
