/**
 * The FTP module: the greeting (one or several `220` lines) as banner, FEAT and SYST when the
 * server answers them before a login, and the anonymous login check (public access, no list
 * needed): `no_auth=1` and tag `ftp-anonymous` when USER anonymous is let in. FTP always asks for
 * a login, so `login_prompt=1` whenever the greeting is 220. When the scope enables credential
 * checks the NOTICE check runs on connections of its own (audited with the list id): 230 is a
 * success, 530 a failure; after a login only QUIT is sent. Passwords are never recorded.
 */
import type { L7Module, ModuleResult, ProbeContext, ProbeTarget } from '../module.js';
import type { ServiceFinding } from '../../schema/service-observation.js';
import { bannerText } from '../identify/banner-text.js';
import { FtpConnection } from '../ftp/client.js';
import { ANONYMOUS_PASSWORD, checkFtpCredentials, ftpLogin, type FtpCredentialResult } from '../ftp/login.js';
import { FtpReplyError, replyText, type FtpReply } from '../ftp/reply.js';
import { sendableEntries } from '../credentials/sendable.js';
import { checkDetails, checkFindingFields } from '../credentials/check-result.js';
import { tryConnect } from '../try-connect.js';

export const FTP_DEFAULT_PORTS: readonly number[] = [21, 2121];

type Opened = { conn: FtpConnection; greeting: FtpReply } | { error: string; status: 'closed' | 'timeout' | 'error'; notFtp?: boolean; raw?: Buffer };

function statusOf(msg: string): 'closed' | 'timeout' | 'error' {
  return /ECONNREFUSED/.test(msg) ? 'closed' : /timeout|no answer within/i.test(msg) ? 'timeout' : 'error';
}

/** Connects and reads the greeting (a 120 "ready in n minutes" is followed by the real one). */
async function openFtp(target: ProbeTarget, ctx: ProbeContext, credentialListId?: string): Promise<Opened> {
  const c = await tryConnect(target, ctx, 'ftp', credentialListId !== undefined ? { credentialListId } : {});
  if (!('sock' in c)) return { error: `connect: ${c.error}`, status: c.status };
  const sock = c.sock;
  const conn = new FtpConnection(sock, ctx.readTimeoutMs, ctx.signal);
  try {
    let g = await conn.reply('greeting');
    if (g.code === 120) g = await conn.reply('greeting');
    return { conn, greeting: g };
  } catch (e) {
    const raw = Buffer.from(conn.pending);
    conn.destroy();
    const msg = e instanceof Error ? e.message : String(e);
    if (e instanceof FtpReplyError) return { error: `greeting: ${msg}`, status: 'error', notFtp: true, raw };
    return { error: msg, status: raw.length === 0 && conn.bytesReceived === 0 ? statusOf(msg) : 'error', notFtp: true, raw };
  }
}

function credentialDetails(r: FtpCredentialResult): Record<string, unknown> {
  return checkDetails(r, r.log.map((l) => `${l.id}:${l.outcome}${l.code > 0 ? `:${l.code}` : ''}`));
}

export async function probeFtp(target: ProbeTarget, ctx: ProbeContext): Promise<ModuleResult> {
  const base: ServiceFinding = { ip: target.ip, port: target.port, transport: target.transport };
  const first = await openFtp(target, ctx);
  if ('error' in first) {
    return {
      identified: false,
      finding: { ...base, service: 'unknown', status: first.status, error: `ftp: ${first.error}`, ...(first.raw && first.raw.length > 0 ? { banner: bannerText(first.raw) } : {}) },
    };
  }
  const { conn, greeting } = first;
  const banner = greeting.code === 220 || greeting.lines.length > 1
    ? greeting.lines.map((l, i) => `${greeting.code}${i === greeting.lines.length - 1 ? ' ' : '-'}${l}`).join('\n')
    : `${greeting.code} ${greeting.lines[0] ?? ''}`;
  const details: Record<string, unknown> = { greeting_code: greeting.code };
  const finding: ServiceFinding = { ...base, service: 'ftp', status: 'open', error: '', banner: bannerText(Buffer.from(banner, 'latin1')) };
  const tags: string[] = [];
  try {
    if (greeting.code !== 220) {
      // 421 (too many users, not allowed) and other refusals: FTP, but no login offered now.
      return { identified: true, finding: { ...finding, error: `ftp: greeting ${greeting.code} ${replyText(greeting).slice(0, 200)}`, details: JSON.stringify(details) } };
    }
    finding.login_prompt = 1;
    finding.no_auth = 0;
    // Cheap facts before any login (many servers answer both; some want a login for SYST).
    try {
      const feat = await conn.command('FEAT');
      details['feat_code'] = feat.code;
      if (feat.code === 211) {
        const features = feat.lines.slice(1, -1).map((l) => l.trim()).filter((l) => l.length > 0).slice(0, 50);
        details['features'] = features;
        if (features.some((f) => /^AUTH\b.*\bTLS\b/i.test(f))) details['auth_tls'] = true;
      }
      const syst = await conn.command('SYST');
      details['syst_code'] = syst.code;
      if (syst.code === 215) details['syst'] = replyText(syst).slice(0, 200);
    } catch (e) {
      details['pre_login_error'] = e instanceof Error ? e.message : String(e);
    }
    // After a lost reply the replies would be out of step: no login on this connection then.
    if (details['pre_login_error'] === undefined) {
      const anon = await ftpLogin(conn, 'anonymous', ANONYMOUS_PASSWORD);
      details['anonymous'] = { outcome: anon.outcome, code: anon.code };
      if (anon.outcome === 'success') {
        finding.no_auth = 1;
        tags.push('ftp-anonymous');
      }
    }
  } finally {
    await conn.quit();
  }

  const list = ctx.credentials;
  if (list !== undefined && ctx.maxCredentialAttempts > 0) {
    const entries = sendableEntries(list.entries);
    if (entries.length > 0) {
      const r = await checkFtpCredentials(entries, ctx.maxCredentialAttempts, async () => {
        const o = await openFtp(target, ctx, list.id);
        if ('error' in o) return { error: o.error };
        if (o.greeting.code !== 220) {
          o.conn.destroy();
          return { error: `greeting ${o.greeting.code}` };
        }
        return o.conn;
      }, ctx.signal);
      details['credential_check'] = credentialDetails(r);
      Object.assign(finding, checkFindingFields(list.id, r));
      if (finding.weak_credential === 1) tags.push('default-credential');
    }
  }
  return { identified: true, finding: { ...finding, ...(tags.length > 0 ? { tags } : {}), details: JSON.stringify(details) } };
}

export const ftpModule: L7Module = {
  name: 'ftp',
  defaultPorts: FTP_DEFAULT_PORTS,
  probe: probeFtp,
};

export default ftpModule;
