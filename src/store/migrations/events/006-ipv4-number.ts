/**
 * The IPv4 address of a current service as a number (0 for IPv6), with a min/max index per
 * granule. A search by an organisation member tests its ranges on this column instead of the
 * 16-byte address: sorted by address it compresses to almost nothing, so the need-to-know test
 * reads a quarter of the bytes or less, and the min/max index skips granules outside the ranges
 * as the primary key would (search/compile.ts, auth/need-to-know.ts).
 */
// Arithmetic on the 128-bit value: `if` evaluates both branches, and toIPv4 refuses IPv6.
export const IPV4_NUMBER_EXPR = "if(bitShiftRight(CAST(ip, 'UInt128'), 32) = 65535, toUInt32(bitAnd(CAST(ip, 'UInt128'), 4294967295)), 0)";

export const migration = {
  id: 6,
  name: 'services-ipv4-number',
  statements: [
    `ALTER TABLE services_current ADD COLUMN IF NOT EXISTS ip4 UInt32 MATERIALIZED ${IPV4_NUMBER_EXPR} CODEC(Delta, LZ4)`,
    'ALTER TABLE services_current ADD INDEX IF NOT EXISTS ip4_minmax ip4 TYPE minmax GRANULARITY 1',
    'ALTER TABLE services_current MATERIALIZE COLUMN ip4',
    'ALTER TABLE services_current MATERIALIZE INDEX ip4_minmax',
  ],
};
