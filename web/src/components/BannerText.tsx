/**
 * What a service said, as the reader should see it. Banners are stored escaped (the probe's and
 * the imports' banner text: printable ASCII kept, `\r` `\n` `\t` `\\` and `\xNN` for other bytes):
 * here they become bytes again, read as UTF-8 (a Japanese login page shows as Japanese), with
 * real line breaks; other control characters are shown as `·`.
 */
export function bannerDisplay(text: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x5c || i + 1 >= text.length) {
      if (c < 0x80) bytes.push(c);
      else bytes.push(...new TextEncoder().encode(text[i]));
      continue;
    }
    const n = text[i + 1];
    const hex = text.slice(i + 2, i + 4);
    if (n === 'x' && /^[0-9a-fA-F]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 3;
    } else {
      bytes.push(n === 'r' ? 0x0d : n === 'n' ? 0x0a : n === 't' ? 0x09 : (n ?? '\\').charCodeAt(0));
      i += 1;
    }
  }
  return new TextDecoder('utf-8').decode(new Uint8Array(bytes))
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '·')
    .replace(/^\n+|\n+$/g, '');
}

/** A banner as preformatted text with its line breaks. */
export function BannerText({ text, className, testId }: { text: string; className?: string; testId?: string }) {
  return <pre className={className ? `banner ${className}` : 'banner'} data-testid={testId} data-raw={text}>{bannerDisplay(text)}</pre>;
}
