/** Bytes as banner text: printable ASCII kept, CR/LF/TAB and other bytes escaped, at most 4 KiB. */
export const MAX_BANNER_CHARS = 4096;

export function bannerText(b: Buffer, max = MAX_BANNER_CHARS): string {
  let out = '';
  for (const c of b) {
    let piece: string;
    if (c === 0x5c) piece = '\\\\';
    else if (c >= 0x20 && c < 0x7f) piece = String.fromCharCode(c);
    else if (c === 0x0d) piece = '\\r';
    else if (c === 0x0a) piece = '\\n';
    else if (c === 0x09) piece = '\\t';
    else piece = `\\x${c.toString(16).padStart(2, '0')}`;
    if (out.length + piece.length > max) break;
    out += piece;
  }
  return out;
}
