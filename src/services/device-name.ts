/**
 * The name of a device or software as people read it, from the vendor, product and version
 * columns: the one place that joins them, for cases, their CSV, effects, the report, the host page,
 * search and alerts.
 *
 * Rules and nmap often repeat the vendor in the product ("BusyBox" / "BusyBox telnetd", "Hikvision"
 * / "Hikvision IP Camera") or the product in the vendor ("ProFTPD Project" / "ProFTPD"): a name that
 * already starts with the other, as whole words, is not written twice. A version already at the end
 * of the product is not added again.
 */
export interface DeviceParts {
  readonly vendor?: string;
  readonly product?: string;
  readonly version?: string;
}

/** Whether `text` starts with `head` as whole words (case-insensitive). */
function startsWithWords(text: string, head: string): boolean {
  if (head === '' || text.length < head.length || text.slice(0, head.length).toLowerCase() !== head.toLowerCase()) return false;
  return text.length === head.length || !/[\p{L}\p{N}]/u.test(text[head.length] ?? '');
}

/** Whether `text` ends with `tail` as whole words (case-insensitive). */
function endsWithWords(text: string, tail: string): boolean {
  if (tail === '' || text.length < tail.length || text.slice(-tail.length).toLowerCase() !== tail.toLowerCase()) return false;
  return text.length === tail.length || !/[\p{L}\p{N}]/u.test(text[text.length - tail.length - 1] ?? '');
}

/** "BusyBox" + "BusyBox telnetd" + "1.19.4" → "BusyBox telnetd 1.19.4"; '' when nothing is known. */
export function deviceName(d: DeviceParts): string {
  const vendor = (d.vendor ?? '').trim();
  const product = (d.product ?? '').trim();
  const version = (d.version ?? '').trim();
  let name: string;
  if (vendor === '' || startsWithWords(product, vendor)) name = product;
  else if (product === '') name = vendor;
  else if (startsWithWords(vendor, product)) name = product;
  else name = `${vendor} ${product}`;
  // A version alone names nothing.
  if (name !== '' && version !== '' && !endsWithWords(name, version)) name = `${name} ${version}`;
  return name;
}
