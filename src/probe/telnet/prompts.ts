/**
 * What a telnet screen shows at its end: a login prompt, a password prompt, a shell prompt, a
 * failure or a lockout message. Pure functions over the text a server sent (options already
 * removed). Prompts are judged on the last line only, after ANSI escapes are removed; Japanese
 * prompts are recognised in UTF-8, Shift_JIS and EUC-JP (routers sold in Japan use all three).
 */
import { TextDecoder } from 'node:util';

export type PromptKind = 'login' | 'password' | 'shell';

/** The last line ends with a request for a user name. */
const LOGIN_RE = /(?:login(?:\s+as)?|log\s?in(?:\s?id)?|user\s?name|user\s?id|userid|user|account|ユーザー?名|ユーザー?ＩＤ|ユーザー?ID|ログイン名|ログインID|ログイン|アカウント(?:名)?)\s*(?:\([^)]{0,40}\))?\s*[:：]\s*$/i;
/** The last line ends with a request for a password (optionally "for <user>"). */
const PASSWORD_RE = /(?:password|passwd|pass\s?word|passcode|pass\s?phrase|パスワード|暗証番号)(?:\s+for\s+\S{1,64})?\s*(?:\([^)]{0,40}\))?\s*[:：]\s*$/i;
/** A shell or CLI prompt: `$ `, `# `, `> `, `% `, `~]`, `]#`. */
const SHELL_RE = /(?:[$#%>]|~\]|\][#$])$/;
/** An HTML tag closing the line is a web page, not a CLI prompt. */
const HTML_END_RE = /<\/?[a-z!][^<>]*>$/i;
const BUSYBOX_RE = /BusyBox v\d[\d.]*|built-in shell \(ash\)/i;
const FAILURE_RE = /login incorrect|incorrect|invalid|fail(?:ed|ure)?\b|denied|bad (?:password|user|login)|wrong|not (?:allowed|permitted|authori[sz]ed)|authenticat\w* error|ログイン(?:に)?失敗|認証(?:に)?失敗|違います|間違/i;
const LOCKOUT_RE = /too many|locked|lock(?:ed)?\s?out|try again later|temporarily|blocked|exceeded|ロックされ/i;
/** Other protocols that answer a stray line: the port is not telnet. */
const OTHER_PROTOCOL_RE = /^(?:SSH-\d|HTTP\/\d|RTSP\/\d|220[ -]|\+OK|\* OK|-ERR|-DENIED|AMQP|<\?xml|<!doctype|<html)/i;

let decoders: TextDecoder[] | undefined;
function japaneseDecoders(): TextDecoder[] {
  if (decoders !== undefined) return decoders;
  decoders = [];
  for (const enc of ['shift_jis', 'euc-jp']) {
    try { decoders.push(new TextDecoder(enc, { fatal: true })); } catch { /* Node without full ICU: UTF-8 only */ }
  }
  return decoders;
}

function hasHighBytes(b: Buffer): boolean {
  for (const c of b) if (c >= 0x80) return true;
  return false;
}

/**
 * The screen as text: CR LF / CR NUL / lone CR become line ends, NUL, BEL and backspace go, ANSI
 * escape sequences go. Bytes above 0x7f are decoded as UTF-8 when valid, else Shift_JIS or EUC-JP
 * when one of them is valid, else latin1 (so nothing throws and ASCII prompts are still seen).
 */
export function screenText(b: Buffer): string {
  let s: string;
  if (!hasHighBytes(b)) s = b.toString('latin1');
  else {
    s = b.toString('latin1');
    const tries = [new TextDecoder('utf-8', { fatal: true }), ...japaneseDecoders()];
    for (const d of tries) {
      try { s = d.decode(b); break; } catch { /* next */ }
    }
  }
  return s
    .replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, '')
    .replace(/\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g, '')
    .replace(/\x1b[@-_]/g, '')
    .replace(/\r\n|\r\0|\r/g, '\n')
    .replace(/[\0\x07\x08\x7f]/g, '');
}

/** The last non-empty line, trimmed (what a prompt is judged on), at most 200 characters. */
export function lastLine(text: string): string {
  const lines = text.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = (lines[i] ?? '').trim();
    if (l.length > 0) return l.slice(-200);
  }
  return '';
}

/** The prompt the screen ends with, if any. */
export function promptAtEnd(text: string): PromptKind | undefined {
  const tail = text.replace(/\s+$/, '');
  // A prompt is the end of the screen: a line end after it means the server moved on.
  const line = lastLine(tail);
  if (line.length === 0) return undefined;
  if (PASSWORD_RE.test(line)) return 'password';
  if (LOGIN_RE.test(line)) return 'login';
  if (line.length <= 120 && SHELL_RE.test(line) && !HTML_END_RE.test(line)) return 'shell';
  return undefined;
}

/** A BusyBox shell banner (printed after a login, or at once by `telnetd -l /bin/sh`). */
export function hasShellBanner(text: string): boolean {
  return BUSYBOX_RE.test(text);
}

export function hasFailureText(text: string): boolean {
  return FAILURE_RE.test(text);
}

export function hasLockoutText(text: string): boolean {
  return LOCKOUT_RE.test(text);
}

/** The first line of what was received belongs to another protocol that answered a stray line. */
export function otherProtocol(text: string): boolean {
  return OTHER_PROTOCOL_RE.test(text.replace(/^\s+/, ''));
}
