/**
 * The identification exchange (RFC 4253 §4.2): the server may send other lines first; the line
 * starting "SSH-" is its identification, at most 255 bytes with CR LF. We accept a bare LF (some
 * embedded servers send it) and bound the lines before it.
 */
import { isUtf8 } from 'node:buffer';

export const MAX_IDENT_LINE = 255;
export const MAX_PRE_IDENT_BYTES = 8192;

export interface SshIdent {
  /** The whole line without CR LF. */
  readonly line: string;
  /** Lines the server sent before it. */
  readonly preamble: string[];
  readonly protoVersion: string;
  readonly softwareVersion: string;
  readonly comments: string;
  /** Split of the software version at its first "_" (OpenSSH_9.2p1 → OpenSSH, 9.2p1). */
  readonly product: string;
  readonly version: string;
}

export class IdentError extends Error {
  constructor(message: string, readonly seen: Buffer) {
    super(message);
    this.name = 'IdentError';
  }
}

export function parseIdentLine(line: string, preamble: string[] = []): SshIdent {
  const m = /^SSH-([^-\s]+)-(\S*)(?: (.*))?$/.exec(line);
  if (m === null) throw new IdentError(`malformed SSH identification "${line.slice(0, 80)}"`, Buffer.from(line, 'latin1'));
  const software = m[2] ?? '';
  const us = software.indexOf('_');
  return {
    line, preamble,
    protoVersion: m[1] ?? '',
    softwareVersion: software,
    comments: m[3] ?? '',
    product: us > 0 ? software.slice(0, us) : software,
    version: us > 0 ? software.slice(us + 1) : '',
  };
}

/** ByteStream parser: the identification, or null for more bytes; IdentError for non-SSH. */
export function takeIdent(buf: Buffer): { value: SshIdent; used: number } | null {
  const preamble: string[] = [];
  let pos = 0;
  for (;;) {
    if (pos === 0 && buf.length >= 4 && buf.subarray(0, 4).toString('latin1') !== 'SSH-' && preamble.length === 0 && !looksLikeText(buf)) {
      throw new IdentError('not SSH: binary data where the identification was expected', buf);
    }
    const nl = buf.indexOf(0x0a, pos);
    const startsSsh = buf.subarray(pos, pos + 4).toString('latin1') === 'SSH-';
    if (nl < 0) {
      if (startsSsh && buf.length - pos > MAX_IDENT_LINE) throw new IdentError(`identification line longer than ${MAX_IDENT_LINE} bytes`, buf);
      if (buf.length > MAX_PRE_IDENT_BYTES) throw new IdentError(`no SSH identification in the first ${MAX_PRE_IDENT_BYTES} bytes`, buf);
      return null;
    }
    let line = buf.subarray(pos, nl).toString('latin1');
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (startsSsh) {
      if (nl + 1 - pos > MAX_IDENT_LINE) throw new IdentError(`identification line longer than ${MAX_IDENT_LINE} bytes`, buf);
      return { value: parseIdentLine(line, preamble), used: nl + 1 };
    }
    preamble.push(buf.subarray(pos, nl).toString('utf8').replace(/\r$/, ''));
    pos = nl + 1;
    if (pos > MAX_PRE_IDENT_BYTES) throw new IdentError(`no SSH identification in the first ${MAX_PRE_IDENT_BYTES} bytes`, buf);
  }
}

/**
 * Text, not binary: other lines may come before the identification, binary may not. Those lines
 * SHOULD be UTF-8 (RFC 4253 §4.2), so bytes above 0x7f count as text when they are valid UTF-8
 * (a character cut at the end of the sample is allowed); control bytes other than TAB, CR and LF
 * are binary.
 */
function looksLikeText(b: Buffer): boolean {
  const n = Math.min(b.length, 64);
  for (let i = 0; i < n; i++) {
    const c = b[i] ?? 0;
    if (c < 0x20 ? c !== 9 && c !== 10 && c !== 13 : c === 0x7f) return false;
  }
  const sample = b.subarray(0, n);
  for (let cut = 0; cut <= 3 && cut < n; cut++) {
    if (isUtf8(sample.subarray(0, n - cut))) return true;
  }
  return false;
}
