import type { ReactNode } from 'react';

export interface BarRow { key: string; label: ReactNode; value: number; display: string; highlight?: boolean; attrs?: Record<string, string> }

/** Horizontal bars with the figure beside each; rows carry data-* attributes for tests. */
export function Bars({ rows, testId }: { rows: BarRow[]; testId: string }) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  return (
    <div className="bars">
      {rows.map((r) => (
        <div key={r.key} className={r.highlight ? 'bar-row hl' : 'bar-row'} data-testid={testId} data-value={String(r.value)} {...r.attrs}>
          <div className="bar-label">{r.label}</div>
          <div className="bar-track"><div className="bar-fill" style={{ width: `${(100 * r.value) / max}%` }} /></div>
          <div className="bar-num">{r.display}</div>
        </div>
      ))}
    </div>
  );
}
