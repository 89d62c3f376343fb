/** Small server-side SVG charts for printable reports (no script, no external assets). */
const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function barChart(items: readonly { label: string; value: number }[], opts: { width?: number; color?: string; format?: (v: number) => string } = {}): string {
  const w = opts.width ?? 640;
  const row = 22;
  const labelW = 190;
  const max = Math.max(1, ...items.map((i) => i.value));
  const fmt = opts.format ?? ((v: number) => v.toLocaleString('en-US'));
  const bars = items.map((it, i) => {
    const bw = Math.max(1, ((w - labelW - 90) * it.value) / max);
    const y = i * row;
    return `<text x="${labelW - 6}" y="${y + 15}" text-anchor="end" font-size="12">${esc(it.label)}</text>`
      + `<rect x="${labelW}" y="${y + 4}" width="${bw.toFixed(1)}" height="${row - 8}" fill="${opts.color ?? '#2f6db5'}"/>`
      + `<text x="${(labelW + bw + 6).toFixed(1)}" y="${y + 15}" font-size="12" fill="#333">${esc(fmt(it.value))}</text>`;
  }).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${Math.max(row, items.length * row)}" role="img">${bars}</svg>`;
}

export function lineChart(points: readonly { x: string; y: number }[], opts: { width?: number; height?: number; color?: string } = {}): string {
  const w = opts.width ?? 640;
  const h = opts.height ?? 180;
  const pad = { l: 56, r: 10, t: 10, b: 24 };
  if (points.length === 0) return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"></svg>`;
  const max = Math.max(1, ...points.map((p) => p.y));
  const x = (i: number): number => pad.l + (points.length === 1 ? 0 : (i * (w - pad.l - pad.r)) / (points.length - 1));
  const y = (v: number): number => pad.t + (h - pad.t - pad.b) * (1 - v / max);
  const path = points.map((p, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(p.y).toFixed(1)}`).join('');
  const ticks = [0, 0.5, 1].map((f) => `<text x="${pad.l - 6}" y="${(y(max * f) + 4).toFixed(1)}" text-anchor="end" font-size="11">${Math.round(max * f).toLocaleString('en-US')}</text>`).join('');
  const first = points[0]?.x ?? '';
  const last = points[points.length - 1]?.x ?? '';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" role="img">${ticks}`
    + `<line x1="${pad.l}" y1="${h - pad.b}" x2="${w - pad.r}" y2="${h - pad.b}" stroke="#999"/>`
    + `<path d="${path}" fill="none" stroke="${opts.color ?? '#c0392b'}" stroke-width="2"/>`
    + `<text x="${pad.l}" y="${h - 6}" font-size="11">${esc(first)}</text><text x="${w - pad.r}" y="${h - 6}" text-anchor="end" font-size="11">${esc(last)}</text></svg>`;
}

export { esc };
