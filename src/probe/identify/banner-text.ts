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

/** The bytes behind banner text (the inverse of bannerText), for classifying what a peer said. */
export function bannerBytes(text: string): Buffer {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x5c || i + 1 >= text.length) {
      out.push(c & 0xff);
      continue;
    }
    const n = text[i + 1];
    if (n === 'x' && /^[0-9a-f]{2}$/.test(text.slice(i + 2, i + 4))) {
      out.push(parseInt(text.slice(i + 2, i + 4), 16));
      i += 3;
    } else {
      out.push(n === 'r' ? 0x0d : n === 'n' ? 0x0a : n === 't' ? 0x09 : (n ?? '').charCodeAt(0));
      i += 1;
    }
  }
  return Buffer.from(out);
}
