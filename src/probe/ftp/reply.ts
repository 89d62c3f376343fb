/**
 * FTP replies (RFC 959 §4.2), pure: `ddd text` on one line, or `ddd-text` … `ddd text` over
 * several. Lines end with CR LF (a bare LF is accepted). A first line that is not a reply means
 * the peer does not speak FTP. Replies are bounded in lines and bytes.
 */

export interface FtpReply {
  readonly code: number;
  /** Text of each line without the code prefix of the first and last lines. */
  readonly lines: readonly string[];
}

export class FtpReplyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FtpReplyError';
  }
}

export const MAX_REPLY_BYTES = 16 * 1024;
export const MAX_REPLY_LINES = 200;

const FIRST_RE = /^(\d{3})([ -])(.*)$/s;
const FIRST_BARE_RE = /^(\d{3})$/;

/**
 * Takes one complete reply from the start of `buf`: the reply and the bytes used, null when more
 * bytes are needed. Throws FtpReplyError when the bytes are not an FTP reply or exceed the bounds.
 */
export function takeReply(buf: Buffer): { value: FtpReply; used: number } | null {
  let pos = 0;
  let code = -1;
  const lines: string[] = [];
  for (;;) {
    const nl = buf.indexOf(0x0a, pos);
    if (nl < 0) {
      if (buf.length - pos > MAX_REPLY_BYTES || buf.length > MAX_REPLY_BYTES) throw new FtpReplyError(`reply longer than ${MAX_REPLY_BYTES} bytes`);
      if (code < 0 && buf.length - pos >= 4 && !/^\d{3}[ -]/.test(buf.subarray(pos, pos + 4).toString('latin1'))) {
        throw new FtpReplyError('not an FTP reply');
      }
      return null;
    }
    let line = buf.subarray(pos, nl).toString('latin1');
    if (line.endsWith('\r')) line = line.slice(0, -1);
    pos = nl + 1;
    if (code < 0) {
      if (line.length === 0 && lines.length === 0 && pos <= 8) continue; // stray blank line before the greeting
      const m = FIRST_RE.exec(line) ?? FIRST_BARE_RE.exec(line);
      if (m === null) throw new FtpReplyError('not an FTP reply');
      code = Number(m[1]);
      lines.push(m[3] ?? '');
      if (m[2] !== '-') return { value: { code, lines }, used: pos };
      continue;
    }
    if (lines.length >= MAX_REPLY_LINES) throw new FtpReplyError(`reply of more than ${MAX_REPLY_LINES} lines`);
    if (pos > MAX_REPLY_BYTES) throw new FtpReplyError(`reply longer than ${MAX_REPLY_BYTES} bytes`);
    const c = String(code);
    if (line === c || line.startsWith(`${c} `)) {
      lines.push(line.slice(4));
      return { value: { code, lines }, used: pos };
    }
    lines.push(line.startsWith(`${c}-`) ? line.slice(4) : line);
  }
}

/** The reply as one text: `220-first\n…\n220 last` collapsed to its lines joined by newlines. */
export function replyText(r: FtpReply): string {
  return r.lines.join('\n');
}
