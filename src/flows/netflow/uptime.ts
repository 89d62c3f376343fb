/**
 * NetFlow v5 and v9 records time flows by the exporter's uptime (32-bit milliseconds, RFC 3954
 * §5.1): a record's time is the header's export time less how long before the header's uptime it
 * was. The uptime wraps after 49.7 days, so a first/last greater than the header's uptime was
 * taken before the wrap: the difference is taken modulo 2^32.
 */
export function uptimeToEpochMs(exportMs: number, sysUptimeMs: number, atUptimeMs: number): number {
  return exportMs - ((sysUptimeMs - atUptimeMs) >>> 0);
}
