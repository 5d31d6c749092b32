/**
 * A small dependency-free SVG line plot for the examples: panels side by side, each with a frame,
 * a zero line, range labels, a title and a legend, series drawn as lines, dashed lines or points.
 * (@dualtape/nn has a writer for its Figure 5.3 demo but does not export it; this one adds the
 * legend and the scientific tick labels an error plot of size 1e-9 needs.)
 * @module
 */

/** One series of a panel. */
export interface Series {
  readonly name: string;
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
  readonly style: 'line' | 'dashed' | 'points';
  readonly color: string;
}

/** One panel: its title and series; the x range is given, the y range is the data's, padded. */
export interface Panel {
  readonly title: string;
  readonly xLabel: string;
  readonly xRange: readonly [number, number];
  readonly series: readonly Series[];
  /** Where the legend goes: top left (default) or bottom centre, out of the way of a curve that peaks mid-panel. */
  readonly legend?: 'top-left' | 'bottom-center';
}

const WIDTH = 460, HEIGHT = 320;
const MARGIN = { left: 70, right: 16, top: 34, bottom: 40 };

const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const px = (v: number): string => String(Math.round(v * 100) / 100);
const label = (v: number): string => (v === 0 ? '0' : Math.abs(v) < 1e-3 || Math.abs(v) >= 1e4 ? v.toExponential(1) : String(Number(v.toPrecision(3))));

function range(values: Iterable<number>): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const v of values) if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  if (!(lo <= hi)) return [-1, 1];
  const pad = 0.06 * (hi - lo || Math.abs(hi) || 1);
  return [lo - pad, hi + pad];
}

function panelSvg(panel: Panel, left: number): string {
  const all = panel.series;
  const [x0, x1] = panel.xRange;
  const w = WIDTH - MARGIN.left - MARGIN.right, h = HEIGHT - MARGIN.top - MARGIN.bottom;
  const [y0, yTop] = range(all.flatMap((s) => Array.from(s.y)));
  // A top-left legend gets a band of its own above the data, so that no curve runs under it.
  const band = panel.legend === 'bottom-center' ? 0 : 15 * all.length + 8;
  const y1 = yTop + ((yTop - y0) * band) / (h - band);
  const sx = (x: number) => left + MARGIN.left + ((x - x0) / (x1 - x0)) * w;
  const sy = (y: number) => MARGIN.top + (1 - (y - y0) / (y1 - y0)) * h;
  const out: string[] = [];
  out.push(`<text x="${px(left + WIDTH / 2)}" y="20" text-anchor="middle" font-size="14">${escapeXml(panel.title)}</text>`);
  out.push(`<rect x="${px(sx(x0))}" y="${MARGIN.top}" width="${px(w)}" height="${px(h)}" fill="none" stroke="#999"/>`);
  if (y0 < 0 && y1 > 0) out.push(`<line x1="${px(sx(x0))}" x2="${px(sx(x1))}" y1="${px(sy(0))}" y2="${px(sy(0))}" stroke="#ccc"/>`);
  for (const [v, anchor] of [[y0, 'end'], [y1, 'end']] as const) {
    out.push(`<text x="${px(sx(x0) - 4)}" y="${px(sy(v) + 4)}" text-anchor="${anchor}" font-size="11">${label(v)}</text>`);
  }
  for (const v of [x0, x1]) out.push(`<text x="${px(sx(v))}" y="${px(MARGIN.top + h + 14)}" text-anchor="middle" font-size="11">${label(v)}</text>`);
  out.push(`<text x="${px(left + MARGIN.left + w / 2)}" y="${px(HEIGHT - 8)}" text-anchor="middle" font-size="12">${escapeXml(panel.xLabel)}</text>`);
  all.forEach((s, k) => {
    if (s.style === 'points') {
      for (let i = 0; i < s.x.length; i++) out.push(`<circle cx="${px(sx(s.x[i]))}" cy="${px(sy(s.y[i]))}" r="1.8" fill="${s.color}"/>`);
    } else {
      const d = Array.from(s.x, (x, i) => `${i ? 'L' : 'M'}${px(sx(x))},${px(sy(s.y[i]))}`).join('');
      out.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="1.5"${s.style === 'dashed' ? ' stroke-dasharray="6,4"' : ''}/>`);
    }
    const bottom = panel.legend === 'bottom-center';
    const ly = bottom ? MARGIN.top + h - 8 - 15 * (all.length - 1 - k) : MARGIN.top + 14 + 15 * k;
    const lx = bottom ? left + MARGIN.left + w / 2 - 60 : sx(x0) + 8;
    out.push(s.style === 'points'
      ? `<circle cx="${px(lx + 9)}" cy="${px(ly - 4)}" r="2.5" fill="${s.color}"/>`
      : `<line x1="${px(lx)}" x2="${px(lx + 18)}" y1="${px(ly - 4)}" y2="${px(ly - 4)}" stroke="${s.color}" stroke-width="1.5"${s.style === 'dashed' ? ' stroke-dasharray="6,4"' : ''}/>`);
    out.push(`<text x="${px(lx + 24)}" y="${px(ly)}" font-size="11">${escapeXml(s.name)}</text>`);
  });
  return out.join('\n');
}

/** The panels side by side, with an optional caption underneath, as one SVG document. */
export function linePlotSvg(panels: readonly Panel[], caption?: string): string {
  const height = HEIGHT + (caption ? 22 : 0);
  const width = WIDTH * panels.length;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    ...panels.map((p, k) => panelSvg(p, k * WIDTH)),
    caption ? `<text x="${width / 2}" y="${HEIGHT + 12}" text-anchor="middle" font-size="11" fill="#555">${escapeXml(caption)}</text>` : '',
    '</svg>',
    '',
  ].join('\n');
}
