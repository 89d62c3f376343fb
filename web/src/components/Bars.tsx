import type { ReactNode } from 'react';

export interface BarRow {
  key: string;
  label: ReactNode;
  value: number;
  display: ReactNode;
  highlight?: boolean;
  attrs?: Record<`data-${string}`, string>;
}

/** Horizontal bars with the figures beside each; every row carries data-testid, data-value and attrs for tests. */
export function Bars({ rows, testId, head }: { rows: BarRow[]; testId: string; head?: [ReactNode, ReactNode] }) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  return (
    <div className="bars">
      {head && (
        <div className="bar-row bar-head">
          <div className="bar-label">{head[0]}</div>
          <div />
          <div className="bar-num">{head[1]}</div>
        </div>
      )}
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
