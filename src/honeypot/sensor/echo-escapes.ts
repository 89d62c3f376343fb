/**
 * BusyBox `echo -e` escapes, decoded to bytes: this is how bots push a dropper through a shell
 * without a download (`echo -ne '\x7f\x45\x4c\x46…' >> dvrHelper`). Text is latin1 throughout the
 * shell, one character per byte, so what comes out is exactly the bytes the bot meant.
 */
export interface Decoded {
  readonly text: string;
  /** `\c`: print nothing more, not even the newline. */
  readonly stop: boolean;
}

const SIMPLE: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', e: '\x1b', f: '\f', v: '\v', '\\': '\\' };
const isHex = (c: string | undefined): boolean => c !== undefined && /^[0-9a-fA-F]$/.test(c);
const isOct = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '7';

export function decodeEchoEscapes(s: string): Decoded {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c !== '\\' || i + 1 >= s.length) { out += c; continue; }
    const d = s[i + 1] as string;
    if (d === 'c') return { text: out, stop: true };
    if (d in SIMPLE) { out += SIMPLE[d]; i++; continue; }
    if (d === 'x' && isHex(s[i + 2])) {
      let j = i + 2;
      let v = 0;
      while (j < s.length && j < i + 4 && isHex(s[j])) v = v * 16 + parseInt(s[j] as string, 16), j++;
      out += String.fromCharCode(v);
      i = j - 1;
      continue;
    }
    if (d === '0' || isOct(d)) {
      // \0NNN (up to three octal digits after the 0) and \NNN
      let j = d === '0' ? i + 2 : i + 1;
      const end = j + 3;
      let v = 0;
      while (j < s.length && j < end && isOct(s[j])) v = v * 8 + Number(s[j]), j++;
      out += String.fromCharCode(v & 0xff);
      i = j - 1;
      continue;
    }
    out += c; // an unknown escape stays as written
  }
  return { text: out, stop: false };
}
