/**
 * A tiny dependency-free SVG line-plot writer: a grid of panels, each with a frame, axes through 0,
 * range labels, a title, and any number of series drawn as points (circles), solid or dashed lines.
 * Enough for PRML Figure 5.3 and nothing more; the output is a plain string.
 *
 * @module
 */
import { checkOptions, describeValue, nearestName, noExtraArguments, option, type OptionsSpec } from '@dualtape/core';
import { OptionError } from './errors.js';

/**
 * One data series of a panel.
 *
 * @example
 * ```ts
 * const fit: PlotSeries = { x: grid, y: fitted, style: 'line', color: '#d62728' };
 * ```
 */
export interface PlotSeries {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** `'points'`: a circle per point; `'line'`: a solid path; `'dashed'`: a dashed path. */
  style: 'points' | 'line' | 'dashed';
  /** Any SVG colour. Defaults: points blue, lines red, dashed green. */
  color?: string;
}

/**
 * One panel: a title, its series, and optionally fixed axis ranges (else the data's, padded by 5 %).
 *
 * @example
 * ```ts
 * const panel: PlotPanel = { title: 'f(x) = x²', series: [points, fit], xRange: [-1, 1] };
 * ```
 */
export interface PlotPanel {
  title: string;
  series: PlotSeries[];
  xRange?: readonly [number, number];
  yRange?: readonly [number, number];
}

/**
 * Layout of {@link svgPlot}.
 *
 * @example
 * ```ts
 * svgPlot(panels, { columns: 2, panelWidth: 360, panelHeight: 270, title: 'Figure 5.3' });
 * ```
 */
export interface PlotOptions {
  /** Panels per row. Default 2. */
  columns?: number;
  /** Size of one panel in px, margins included. Defaults 360 × 270. */
  panelWidth?: number;
  panelHeight?: number;
  /** A heading above the grid. */
  title?: string;
}

const PLOT_OPTIONS: OptionsSpec<PlotOptions> = {
  columns: option.integer({ min: 1 }),
  panelWidth: option.integer({ min: 1 }),
  panelHeight: option.integer({ min: 1 }),
  title: option.string(),
};

const DEFAULT_COLORS = { points: '#1f77b4', line: '#d62728', dashed: '#2ca02c' } as const;
const MARGIN = { left: 44, right: 12, top: 28, bottom: 26 };

/** Escapes text for use inside an SVG element or attribute. */
function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Coordinates rounded to 0.01 px: plenty for a screen, and it keeps the file small. */
function fmt(v: number): string {
  return String(Math.round(v * 100) / 100);
}

function label(v: number): string {
  // Rounding to 3 digits can pass the largest double (1.797…e308 → 1.80e+308): keep the digits then.
  const rounded = Number(v.toPrecision(3));
  return Number.isFinite(rounded) ? String(rounded) : v.toPrecision(3);
}

function extent(series: PlotSeries[], axis: 'x' | 'y'): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series) {
    const values = s[axis];
    for (let i = 0; i < values.length; i++) {
      if (Number.isFinite(values[i])) {
        lo = Math.min(lo, values[i]);
        hi = Math.max(hi, values[i]);
      }
    }
  }
  if (!Number.isFinite(lo)) return [-1, 1];
  // A flat series still needs a non-zero span to map onto pixels. The pad from each end, and the ends
  // held to finite numbers: data from −1e308 to 1e308 made hi − lo, and so the range, ±∞ (NaN in the SVG).
  const pad = hi > lo ? 0.05 * hi - 0.05 * lo : Math.max(1, Math.abs(lo)) * 0.5;
  return [Math.max(lo - pad, -Number.MAX_VALUE), Math.min(hi + pad, Number.MAX_VALUE)];
}

/** How far outside the frame a coordinate may lie, in frame sizes, before it is held there. */
const FAR = 1e6;

/**
 * Where v lies in [lo, hi], 0 to 1; in halves where hi − lo or v − lo overflows (a range wider than the
 * largest double). Held to ±FAR: a value far outside a fixed range (a fit of 1e308 in yRange [−2, 2])
 * would give ±Infinity px, and the SVG path would not parse. The frame clips such points anyway, and a
 * segment to a point a million frames away is drawn within a millionth of its true slope.
 */
function fraction(v: number, lo: number, hi: number): number {
  const span = hi - lo, t = (v - lo) / span;
  const f = Number.isFinite(span) && Number.isFinite(t) ? t : (v / 2 - lo / 2) / (hi / 2 - lo / 2);
  return Math.min(Math.max(f, -FAR), FAR);
}

const STYLES: readonly PlotSeries['style'][] = ['points', 'line', 'dashed'];
const PANEL_KEYS = ['title', 'series', 'xRange', 'yRange'];
const SERIES_KEYS = ['x', 'y', 'style', 'color'];

/** A misspelt key (`xrange`, `colour`) would be ignored without a word, and the plot drawn without it. */
function checkKeys(where: string, object: object, keys: readonly string[]): void {
  for (const key of Object.keys(object)) {
    if (keys.includes(key)) continue;
    const near = nearestName(key, keys);
    throw new OptionError(
      `svgPlot: ${where} has an unknown key '${key}'${near === null ? '.' : `; did you mean '${near}'?`} Valid keys: ${keys.join(', ')}`,
    );
  }
}

/** Throws {@link OptionError} naming `where` unless `v` is an array-like of finite numbers; returns its length. */
function checkValues(where: string, v: unknown): number {
  const isArrayLike =
    typeof v === 'object' && v !== null && Number.isSafeInteger((v as { length?: unknown }).length) && (v as { length: number }).length >= 0;
  if (!isArrayLike) {
    throw new OptionError(`svgPlot: ${where} must be an array or typed array of finite numbers, got ${describeValue(v)}`);
  }
  const values = v as ArrayLike<unknown>;
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw new OptionError(`svgPlot: ${where}[${i}] is ${describeValue(x)}; every plotted value must be a finite number`);
    }
  }
  return values.length;
}

function checkRange(where: string, r: unknown): void {
  if (r === undefined) return;
  const ok =
    Array.isArray(r) && r.length === 2 && typeof r[0] === 'number' && typeof r[1] === 'number' &&
    Number.isFinite(r[0]) && Number.isFinite(r[1]) && r[0] < r[1];
  if (!ok) {
    const got = Array.isArray(r) && r.length === 2 ? `[${describeValue(r[0])}, ${describeValue(r[1])}]` : describeValue(r);
    throw new OptionError(`svgPlot: ${where} must be [lo, hi] with finite lo < hi (or left out for the data's range), got ${got}`);
  }
}

/** Checks every panel and series once, before any drawing: a bad value would otherwise end up as "NaN" in the SVG. */
function checkPanels(panels: unknown): asserts panels is readonly PlotPanel[] {
  if (!Array.isArray(panels) || panels.length === 0) throw new OptionError('svgPlot: need at least one panel');
  for (let k = 0; k < panels.length; k++) {
    const panel: unknown = panels[k];
    const at = `panels[${k}]`;
    if (typeof panel !== 'object' || panel === null || Array.isArray(panel)) {
      throw new OptionError(`svgPlot: ${at} must be an object { title, series, xRange?, yRange? }, got ${describeValue(panel)}`);
    }
    checkKeys(at, panel, PANEL_KEYS);
    const { title, series, xRange, yRange } = panel as Record<string, unknown>;
    if (typeof title !== 'string') throw new OptionError(`svgPlot: ${at}.title must be a string, got ${describeValue(title)}`);
    if (!Array.isArray(series)) throw new OptionError(`svgPlot: ${at}.series must be an array of series (possibly empty), got ${describeValue(series)}`);
    checkRange(`${at}.xRange`, xRange);
    checkRange(`${at}.yRange`, yRange);
    for (let i = 0; i < series.length; i++) {
      const s: unknown = series[i];
      const sAt = `${at}.series[${i}]`;
      if (typeof s !== 'object' || s === null || Array.isArray(s)) {
        throw new OptionError(`svgPlot: ${sAt} must be an object { x, y, style, color? }, got ${describeValue(s)}`);
      }
      checkKeys(sAt, s, SERIES_KEYS);
      const { x, y, style, color } = s as Record<string, unknown>;
      if (!(STYLES as readonly unknown[]).includes(style)) {
        throw new OptionError(`svgPlot: ${sAt}.style must be one of ${STYLES.map((n) => `'${n}'`).join(', ')}, got ${describeValue(style)}`);
      }
      if (color !== undefined && typeof color !== 'string') {
        throw new OptionError(`svgPlot: ${sAt}.color must be an SVG colour string (or left out), got ${describeValue(color)}`);
      }
      const nx = checkValues(`${sAt}.x`, x);
      const ny = checkValues(`${sAt}.y`, y);
      if (nx !== ny) {
        throw new OptionError(`svgPlot: ${sAt} has ${nx} x values but ${ny} y values; a series needs one y per x`);
      }
    }
  }
}

function renderPanel(panel: PlotPanel, index: number, width: number, height: number): string {
  const [x0, x1] = panel.xRange ?? extent(panel.series, 'x');
  const [y0, y1] = panel.yRange ?? extent(panel.series, 'y');
  const left = MARGIN.left;
  const right = width - MARGIN.right;
  const top = MARGIN.top;
  const bottom = height - MARGIN.bottom;
  const px = (x: number) => left + fraction(x, x0, x1) * (right - left);
  const py = (y: number) => bottom - fraction(y, y0, y1) * (bottom - top);
  const parts: string[] = [];
  parts.push(`<text x="${fmt(width / 2)}" y="18" text-anchor="middle" font-size="14">${escapeXml(panel.title)}</text>`);
  parts.push(`<rect x="${left}" y="${top}" width="${fmt(right - left)}" height="${fmt(bottom - top)}" fill="none" stroke="#999"/>`);
  // Axes through the origin when it is in view, as in the book's figures.
  if (y0 < 0 && y1 > 0) parts.push(`<line class="axis" x1="${left}" y1="${fmt(py(0))}" x2="${fmt(right)}" y2="${fmt(py(0))}" stroke="#555"/>`);
  if (x0 < 0 && x1 > 0) parts.push(`<line class="axis" x1="${fmt(px(0))}" y1="${top}" x2="${fmt(px(0))}" y2="${fmt(bottom)}" stroke="#555"/>`);
  parts.push(`<text x="${left}" y="${fmt(bottom + 16)}" font-size="11">${label(x0)}</text>`);
  parts.push(`<text x="${fmt(right)}" y="${fmt(bottom + 16)}" font-size="11" text-anchor="end">${label(x1)}</text>`);
  parts.push(`<text x="${left - 4}" y="${fmt(bottom)}" font-size="11" text-anchor="end">${label(y0)}</text>`);
  parts.push(`<text x="${left - 4}" y="${fmt(top + 10)}" font-size="11" text-anchor="end">${label(y1)}</text>`);
  // Everything drawn from data is clipped to the frame: a steep fit must not paint over the neighbours.
  const clip = `panel-clip-${index}`; // ids must be unique in the document, and stable across runs
  parts.push(`<clipPath id="${clip}"><rect x="${left}" y="${top}" width="${fmt(right - left)}" height="${fmt(bottom - top)}"/></clipPath>`);
  parts.push(`<g clip-path="url(#${clip})">`);
  for (const s of panel.series) {
    const color = escapeXml(s.color ?? DEFAULT_COLORS[s.style]);
    const n = Math.min(s.x.length, s.y.length);
    if (s.style === 'points') {
      for (let i = 0; i < n; i++) {
        parts.push(`<circle cx="${fmt(px(s.x[i]))}" cy="${fmt(py(s.y[i]))}" r="3" fill="none" stroke="${color}"/>`);
      }
    } else {
      const d: string[] = [];
      for (let i = 0; i < n; i++) d.push(`${i === 0 ? 'M' : 'L'}${fmt(px(s.x[i]))} ${fmt(py(s.y[i]))}`);
      const dash = s.style === 'dashed' ? ' stroke-dasharray="5 4"' : '';
      parts.push(`<path d="${d.join(' ')}" fill="none" stroke="${color}" stroke-width="${s.style === 'line' ? 2 : 1.3}"${dash}/>`);
    }
  }
  parts.push('</g>');
  return parts.join('');
}

/**
 * Renders panels on a grid into one standalone SVG document (a string starting with `<svg`).
 *
 * @throws {OptionError} when there are no panels, for an unknown option, or when a layout number is not a
 *   positive integer; for a panel or series that is not as {@link PlotPanel} and {@link PlotSeries} describe
 *   (a missing title, an unknown style, x and y of different lengths, a value that is not a finite number,
 *   a range that is not [lo, hi] with lo < hi, a key neither describes, such as a misspelt `xrange`); for a layout too large to give a finite size in px.
 * @example
 * ```ts
 * const svg = svgPlot([
 *   { title: 'x²', series: [{ x: X, y: T, style: 'points' }, { x: grid, y: fit, style: 'line' }] },
 * ]);
 * writeFileSync('plot.svg', svg);
 * ```
 */
export function svgPlot(panels: readonly PlotPanel[], plotOptions?: PlotOptions): string {
  noExtraArguments('svgPlot', arguments, 2, 'svgPlot(panels, options)');
  const options = checkOptions('svgPlot', plotOptions, PLOT_OPTIONS);
  const columns = options.columns ?? 2;
  const width = options.panelWidth ?? 360;
  const height = options.panelHeight ?? 270;
  checkPanels(panels);
  const rows = Math.ceil(panels.length / columns);
  const head = options.title === undefined ? 0 : 30;
  const totalWidth = columns * width;
  const totalHeight = rows * height + head;
  if (!Number.isSafeInteger(totalWidth) || !Number.isSafeInteger(totalHeight)) {
    throw new OptionError(
      `svgPlot: the layout is ${totalWidth} × ${totalHeight} px (columns × panelWidth by rows × panelHeight); ` +
        'choose columns, panelWidth and panelHeight that give a finite size',
    );
  }
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${totalWidth}" height="${totalHeight}" viewBox="0 0 ${totalWidth} ${totalHeight}" font-family="sans-serif">`,
    `<rect width="${totalWidth}" height="${totalHeight}" fill="white"/>`,
  ];
  if (options.title !== undefined) {
    out.push(`<text x="${fmt(totalWidth / 2)}" y="21" text-anchor="middle" font-size="16">${escapeXml(options.title)}</text>`);
  }
  panels.forEach((panel, k) => {
    const x = (k % columns) * width;
    const y = head + Math.floor(k / columns) * height;
    out.push(`<g class="panel" transform="translate(${x} ${y})">${renderPanel(panel, k, width, height)}</g>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
