/**
 * Splits one CSV line (RFC 4180 quoting: "a, b" and "" for a quote inside quotes).
 * Returns null for an unterminated quote, which makes the line malformed.
 */
export function splitCsvLine(line: string): string[] | null {
  if (line.indexOf('"') < 0) return line.split(',');
  const fields: string[] = [];
  let i = 0;
  const n = line.length;
  for (;;) {
    if (line.charCodeAt(i) === 34) {
      let value = '';
      let j = i + 1;
      for (;;) {
        const q = line.indexOf('"', j);
        if (q < 0) return null;
        value += line.slice(j, q);
        if (line.charCodeAt(q + 1) === 34) {
          value += '"';
          j = q + 2;
          continue;
        }
        j = q + 1;
        break;
      }
      // Text between the closing quote and the next comma is kept: be lenient with sloppy files.
      const comma = line.indexOf(',', j);
      fields.push(comma < 0 ? value + line.slice(j) : value + line.slice(j, comma));
      if (comma < 0) return fields;
      i = comma + 1;
    } else {
      const comma = line.indexOf(',', i);
      fields.push(comma < 0 ? line.slice(i) : line.slice(i, comma));
      if (comma < 0) return fields;
      i = comma + 1;
    }
    if (i === n) {
      fields.push('');
      return fields;
    }
  }
}
