/** IPv6 column rendered as text, IPv4-mapped addresses as plain dotted quads. */
export function ipText(col: string): string {
  return `replaceRegexpOne(IPv6NumToString(${col}), '^::ffff:([0-9.]+)$', '\\\\1')`;
}

/** ClickHouse DateTime64 literal parameters are passed as 'YYYY-MM-DD hh:mm:ss.ffffff' UTC. */
export function chTime(d: Date): string {
  return d.toISOString().replace('T', ' ').replace('Z', '');
}

/** ClickHouse 'YYYY-MM-DD hh:mm:ss[.ffffff]' (UTC) → ISO 8601. */
export function isoFromCh(s: string): string {
  return `${s.replace(' ', 'T')}${s.includes('.') ? '' : '.000'}Z`.replace(/(\.\d{3})\d*Z$/, '$1Z');
}

export const PROTO_NAMES: Record<number, string> = { 1: 'icmp', 6: 'tcp', 17: 'udp', 58: 'icmpv6', 47: 'gre', 50: 'esp', 132: 'sctp' };

export function protoName(p: number): string {
  return PROTO_NAMES[p] ?? String(p);
}
