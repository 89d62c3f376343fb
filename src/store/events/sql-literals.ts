/** ClickHouse string literal. */
export function quote(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** Appends a SETTINGS clause; for INSERT … SELECT it applies to the whole query. */
export function withSettings(sql: string, settings?: Record<string, string | number>): string {
  if (!settings || Object.keys(settings).length === 0) return sql;
  const list = Object.entries(settings)
    .map(([k, v]) => `${k} = ${typeof v === 'number' ? String(v) : quote(v)}`)
    .join(', ');
  return `${sql.trimEnd().replace(/;$/, '')} SETTINGS ${list}`;
}
