/**
 * The RTSP module (554, 8554): one `OPTIONS rtsp://ip:port/ RTSP/1.0` request with CSeq and
 * User-Agent, and the response head: status, Server, Public (the methods offered) and the
 * authentication challenges. A 401 with WWW-Authenticate → `login_prompt=1`. No credentials are
 * ever tried over RTSP, and nothing but OPTIONS is sent (no DESCRIBE, no SETUP, no PLAY).
 */
import type { L7Module, ModuleResult, ProbeContext, ProbeTarget } from '../module.js';
import type { ServiceFinding } from '../../schema/service-observation.js';
import { bannerText } from '../identify/banner-text.js';
import { ByteStream } from '../ssh/byte-stream.js';
import { authChallenges, decodeResponse, encodeOptions, header, type RtspResult } from '../rtsp/message.js';
import { tryConnect } from '../try-connect.js';

export const RTSP_DEFAULT_PORTS: readonly number[] = [554, 8554];
export const MAX_RTSP_BYTES = 64 * 1024;


export async function probeRtsp(target: ProbeTarget, ctx: ProbeContext): Promise<ModuleResult> {
  const base: ServiceFinding = { ip: target.ip, port: target.port, transport: target.transport };
  const c = await tryConnect(target, ctx, 'rtsp');
  if (!('sock' in c)) return { identified: false, finding: { ...base, service: 'unknown', status: c.status, error: `rtsp: connect: ${c.error}` } };
  const sock = c.sock;
  const stream = new ByteStream(sock, MAX_RTSP_BYTES, ctx.signal);
  const cseq = 1;
  let r: RtspResult;
  let seen: Buffer = Buffer.alloc(0);
  try {
    sock.write(encodeOptions(target.ip, target.port, cseq));
    r = await stream.read<RtspResult>((buf) => {
      seen = buf;
      const x = decodeResponse(buf);
      return x.kind === 'incomplete' ? null : { value: x, used: x.kind === 'response' ? x.used : 0 };
    }, ctx.readTimeoutMs, 'OPTIONS response');
  } catch (e) {
    const raw = Buffer.from(stream.pending);
    sock.destroy();
    const msg = e instanceof Error ? e.message : String(e);
    if (stream.received === 0) {
      return { identified: false, finding: { ...base, service: 'unknown', status: /no answer within/.test(msg) ? 'timeout' : 'error', error: `rtsp: ${msg}` } };
    }
    // A status line that arrived whole before the cut: RTSP, head incomplete.
    const status = /^RTSP\/\d\.\d (\d{3})[^\r\n]*\r?\n/.exec(raw.toString('latin1', 0, 512));
    return {
      identified: status !== null,
      finding: {
        ...base, service: status !== null ? 'rtsp' : 'unknown', status: 'error', error: `rtsp: response cut short: ${msg}`, banner: bannerText(raw),
        ...(status !== null ? { details: JSON.stringify({ status: Number(status[1]), cut_short: true }) } : {}),
      },
    };
  }
  sock.destroy();
  if (r.kind !== 'response') {
    return {
      identified: false,
      finding: { ...base, service: 'unknown', status: 'error', error: `rtsp: ${r.kind === 'malformed' ? r.reason : 'incomplete'}`, banner: bannerText(seen.subarray(0, 4096)) },
    };
  }
  const res = r.response;
  const server = header(res, 'Server')?.slice(0, 200);
  const publicMethods = (header(res, 'Public') ?? '').split(',').map((m) => m.trim()).filter((m) => /^[A-Za-z_-]{1,30}$/.test(m)).slice(0, 30);
  const challenges = authChallenges(res);
  const cseqBack = header(res, 'CSeq');
  const authRequired = res.status === 401 && challenges.length > 0;
  const details = {
    status: res.status,
    reason: res.reason.slice(0, 200),
    version: res.version,
    ...(server !== undefined ? { server } : {}),
    ...(publicMethods.length > 0 ? { public: publicMethods } : {}),
    ...(challenges.length > 0 ? { auth: challenges } : {}),
    ...(cseqBack !== undefined && cseqBack.trim() !== String(cseq) ? { cseq_mismatch: cseqBack.slice(0, 20) } : {}),
  };
  return {
    identified: true,
    finding: {
      ...base, service: 'rtsp', status: 'open', error: '',
      banner: bannerText(Buffer.from(res.head, 'latin1')),
      login_prompt: authRequired ? 1 : 0,
      details: JSON.stringify(details),
    },
  };
}

export const rtspModule: L7Module = {
  name: 'rtsp',
  defaultPorts: RTSP_DEFAULT_PORTS,
  probe: probeRtsp,
};

export default rtspModule;
