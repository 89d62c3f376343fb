import type { ReactNode } from 'react';

export interface Slice { key: string; label: string; value: number; color: string }

/** A donut of shares drawn as SVG arcs; the total in the middle. */
export function Donut({ slices, center, size = 168 }: { slices: Slice[]; center?: ReactNode; size?: number }) {
  const total = slices.reduce((a, s) => a + Math.max(0, s.value), 0);
  const r = 42;
  const c = 2 * Math.PI * r;
  let offset = 0;
  return (
    <div className="donut" style={{ width: size, height: size }}>
      <svg viewBox="0 0 100 100" role="img" aria-label={slices.map((s) => `${s.label} ${s.value}`).join(', ')}>
        <circle cx="50" cy="50" r={r} fill="none" stroke="#e9ecef" strokeWidth="14" />
        {total > 0 && slices.map((s) => {
          const len = (c * Math.max(0, s.value)) / total;
          const el = (
            <circle
              key={s.key}
              cx="50" cy="50" r={r} fill="none" stroke={s.color} strokeWidth="14"
              strokeDasharray={`${len} ${c - len}`} strokeDashoffset={-offset}
              transform="rotate(-90 50 50)"
            >
              <title>{s.label}</title>
            </circle>
          );
          offset += len;
          return el;
        })}
      </svg>
      {center && <div className="donut-center">{center}</div>}
    </div>
  );
}
