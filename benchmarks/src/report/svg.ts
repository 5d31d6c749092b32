/** A hand-written SVG of the scaling suite: two log-log panels, no dependency. */
import { logLogSlope } from '../lib/measure.js';

export interface Series {
  readonly name: string;
  readonly color: string;
  readonly points: ReadonlyArray<readonly [number, number]>;
  readonly dashed?: boolean;
}

export interface Panel {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
  /** A guide line of this slope through the first series' last point, labelled. */
  readonly guideSlope: number;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fmt = (x: number) => x.toFixed(1);

function superscript(e: number): string {
  const digits = '⁰¹²³⁴⁵⁶⁷⁸⁹';
  return (e < 0 ? '⁻' : '') + String(Math.abs(e)).split('').map((d) => digits[Number(d)]).join('');
}

function tickLabel(e: number): string {
  if (e >= 0 && e <= 3) return String(10 ** e);
  return `10${superscript(e)}`;
}

function panelSvg(panel: Panel, x0: number, y0: number, width: number, height: number): string {
  const margin = { left: 62, right: 16, top: 34, bottom: 46 };
  const pw = width - margin.left - margin.right;
  const ph = height - margin.top - margin.bottom;
  const all = panel.series.flatMap((s) => s.points);
  const lx = all.map((p) => Math.log10(p[0]));
  const ly = all.map((p) => Math.log10(p[1]));
  const pad = 0.08;
  const xMin = Math.min(...lx) - pad;
  const xMax = Math.max(...lx) + pad;
  const yMin = Math.min(...ly) - pad;
  const yMax = Math.max(...ly) + pad;
  const X = (x: number) => x0 + margin.left + ((Math.log10(x) - xMin) / (xMax - xMin)) * pw;
  const Y = (y: number) => y0 + margin.top + ph - ((Math.log10(y) - yMin) / (yMax - yMin)) * ph;
  const out: string[] = [];
  const clip = `clip${Math.round(x0)}`;
  out.push(`<clipPath id="${clip}"><rect x="${fmt(x0 + margin.left)}" y="${fmt(y0 + margin.top)}" width="${fmt(pw)}" height="${fmt(ph)}"/></clipPath>`);
  out.push(`<text x="${fmt(x0 + margin.left + pw / 2)}" y="${fmt(y0 + 20)}" text-anchor="middle" font-size="14" font-weight="bold">${esc(panel.title)}</text>`);
  // Grid: decades labelled; 2…9 × each decade as light lines, with 2 and 5 labelled when a panel spans few decades.
  const ticks = (lo: number, hi: number) => {
    const out: { v: number; major: boolean; label: string | null }[] = [];
    const few = hi - lo < 2.2;
    for (let e = Math.floor(lo); e <= Math.ceil(hi); e++) {
      for (let m = 1; m <= 9; m++) {
        const v = m * 10 ** e;
        const l = Math.log10(v);
        if (l < lo || l > hi) continue;
        const label = m === 1 ? tickLabel(e) : few && (m === 2 || m === 5) ? String(Number((m * 10 ** e).toPrecision(1))) : null;
        out.push({ v, major: m === 1, label });
      }
    }
    return out;
  };
  for (const t of ticks(xMin, xMax)) {
    const x = X(t.v);
    out.push(`<line x1="${fmt(x)}" y1="${fmt(y0 + margin.top)}" x2="${fmt(x)}" y2="${fmt(y0 + margin.top + ph)}" stroke="${t.major ? '#ccc' : '#eee'}"/>`);
    if (t.label) out.push(`<text x="${fmt(x)}" y="${fmt(y0 + margin.top + ph + 16)}" text-anchor="middle" font-size="11">${t.label}</text>`);
  }
  for (const t of ticks(yMin, yMax)) {
    const y = Y(t.v);
    out.push(`<line x1="${fmt(x0 + margin.left)}" y1="${fmt(y)}" x2="${fmt(x0 + margin.left + pw)}" y2="${fmt(y)}" stroke="${t.major ? '#ccc' : '#eee'}"/>`);
    if (t.label) out.push(`<text x="${fmt(x0 + margin.left - 6)}" y="${fmt(y + 4)}" text-anchor="end" font-size="11">${t.label}</text>`);
  }
  out.push(`<rect x="${fmt(x0 + margin.left)}" y="${fmt(y0 + margin.top)}" width="${fmt(pw)}" height="${fmt(ph)}" fill="none" stroke="#444"/>`);
  out.push(`<text x="${fmt(x0 + margin.left + pw / 2)}" y="${fmt(y0 + height - 8)}" text-anchor="middle" font-size="12">${esc(panel.xLabel)}</text>`);
  const yc = y0 + margin.top + ph / 2;
  out.push(`<text x="${fmt(x0 + 16)}" y="${fmt(yc)}" text-anchor="middle" font-size="12" transform="rotate(-90 ${fmt(x0 + 16)} ${fmt(yc)})">${esc(panel.yLabel)}</text>`);
  // Guide line of the expected slope through the first series' last point.
  const [gx, gy] = panel.series[0].points[panel.series[0].points.length - 1];
  const gxStart = 10 ** Math.floor(xMin);
  const gyStart = gy * (gxStart / gx) ** panel.guideSlope;
  out.push(`<line x1="${fmt(X(gxStart))}" y1="${fmt(Y(gyStart))}" x2="${fmt(X(gx))}" y2="${fmt(Y(gy))}" stroke="#999" stroke-dasharray="2 4" clip-path="url(#${clip})"/>`);
  // Series.
  panel.series.forEach((s, i) => {
    const pts = s.points.map(([x, y]) => `${fmt(X(x))},${fmt(Y(y))}`).join(' ');
    out.push(`<polyline points="${pts}" fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 3"' : ''}/>`);
    for (const [x, y] of s.points) out.push(`<circle cx="${fmt(X(x))}" cy="${fmt(Y(y))}" r="3" fill="${s.color}"/>`);
    const slope = logLogSlope(s.points.map((p) => p[0]), s.points.map((p) => p[1]));
    const ly0 = y0 + margin.top + 16 + i * 16;
    out.push(`<line x1="${fmt(x0 + margin.left + 10)}" y1="${fmt(ly0 - 4)}" x2="${fmt(x0 + margin.left + 30)}" y2="${fmt(ly0 - 4)}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 3"' : ''}/>`);
    out.push(`<text x="${fmt(x0 + margin.left + 36)}" y="${fmt(ly0)}" font-size="11">${esc(`${s.name} (fitted slope ${slope.toFixed(2)})`)}</text>`);
  });
  const ly0 = y0 + margin.top + 16 + panel.series.length * 16;
  out.push(`<line x1="${fmt(x0 + margin.left + 10)}" y1="${fmt(ly0 - 4)}" x2="${fmt(x0 + margin.left + 30)}" y2="${fmt(ly0 - 4)}" stroke="#999" stroke-dasharray="2 4"/>`);
  out.push(`<text x="${fmt(x0 + margin.left + 36)}" y="${fmt(ly0)}" font-size="11">${esc(`slope ${panel.guideSlope} guide`)}</text>`);
  return out.join('\n');
}

export function scalingSvg(panels: readonly Panel[], caption: string): string {
  const w = 480;
  const h = 380;
  const width = w * panels.length;
  const height = h + 24;
  const body = panels.map((p, i) => panelSvg(p, i * w, 0, w, h)).join('\n');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    body,
    `<text x="${width / 2}" y="${height - 6}" text-anchor="middle" font-size="11" fill="#555">${esc(caption)}</text>`,
    '</svg>',
    '',
  ].join('\n');
}
