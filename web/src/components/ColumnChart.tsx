import { useI18n } from '../i18n/index.js';
import { niceMax } from './TimeChart.js';

/** Vertical columns, one per labelled bucket (a host's days), drawn as SVG with the figure on top. */
export function ColumnChart({ items, color = '#2a5d8f', height = 180, label }: {
  items: { key: string; label: string; value: number }[];
  color?: string;
  height?: number;
  label: string;
}) {
  const { num, compact } = useI18n();
  const W = 1000;
  const pad = { l: 56, r: 16, t: 20, b: 26 };
  const w = W - pad.l - pad.r;
  const h = height - pad.t - pad.b;
  const max = niceMax(Math.max(1, ...items.map((i) => i.value)));
  const slot = w / Math.max(1, items.length);
  const bw = Math.min(60, slot * 0.7);
  const every = Math.max(1, Math.ceil(items.length / 14));
  return (
    <svg viewBox={`0 0 ${W} ${height}`} className="chart" role="img" aria-label={label}>
      {[0, 0.5, 1].map((f) => (
        <g key={f}>
          <line x1={pad.l} x2={W - pad.r} y1={pad.t + h * f} y2={pad.t + h * f} className="gridline" />
          <text x={pad.l - 6} y={pad.t + h * f + 4} textAnchor="end" className="axis">{compact(max * (1 - f))}</text>
        </g>
      ))}
      {items.map((it, i) => {
        const bh = (h * it.value) / max;
        const cx = pad.l + slot * i + slot / 2;
        return (
          <g key={it.key}>
            <rect x={cx - bw / 2} y={pad.t + h - bh} width={bw} height={bh} fill={color} rx={2}>
              <title>{`${it.label}: ${num(it.value)}`}</title>
            </rect>
            {items.length <= 31 && <text x={cx} y={pad.t + h - bh - 4} textAnchor="middle" className="axis">{compact(it.value)}</text>}
            {i % every === 0 && <text x={cx} y={height - 8} textAnchor="middle" className="axis">{it.label}</text>}
          </g>
        );
      })}
    </svg>
  );
}
