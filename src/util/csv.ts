/** One CSV field (RFC 4180): quoted when it holds a quote, comma or line break. */
export function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/**
 * A field of text that came from the Internet (banners, titles): also defused for spreadsheets,
 * which would run a cell starting with = + - @ as a formula (OWASP "CSV injection").
 */
export function csvTextField(v: string): string {
  return csvField(/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);
}
