// The SVG writer: well-formed output (parsed with a small tag tokenizer), panels, dashed hidden units.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OptionError, figure53Data, figure53Svg, svgPlot, train, twoLayerNet, type CurveFit } from '../src/index.js';

interface Tag {
  name: string;
  kind: 'open' | 'close' | 'self';
  attrs: string;
}

/** Tokenizes the tags of an XML document, throwing on anything malformed (unterminated tags, stray '<'). */
function tags(xml: string): Tag[] {
  const out: Tag[] = [];
  const re = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/y;
  let i = 0;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    if (lt < 0) break;
    const text = xml.slice(i, lt);
    if (text.includes('>')) throw new Error(`stray '>' in text at ${i}`);
    re.lastIndex = lt;
    const m = re.exec(xml);
    if (!m) throw new Error(`malformed tag at ${lt}: ${xml.slice(lt, lt + 40)}`);
    if (m[1] && m[4]) throw new Error(`tag both closing and self-closing at ${lt}`);
    out.push({ name: m[2], kind: m[1] ? 'close' : m[4] ? 'self' : 'open', attrs: m[3] });
    i = re.lastIndex;
  }
  return out;
}

function assertBalanced(list: Tag[]): void {
  const stack: string[] = [];
  for (const t of list) {
    if (t.kind === 'open') stack.push(t.name);
    else if (t.kind === 'close') {
      const top = stack.pop();
      if (top !== t.name) throw new Error(`</${t.name}> closes <${top}>`);
    }
  }
  if (stack.length > 0) throw new Error(`unclosed: ${stack.join(', ')}`);
}

describe('svgPlot', () => {
  it('the tokenizer rejects unbalanced and malformed documents (so the checks below can fail)', () => {
    expect(() => assertBalanced(tags('<svg><g></svg>'))).toThrow(/closes/);
    expect(() => assertBalanced(tags('<svg><g></g>'))).toThrow(/unclosed/);
    expect(() => tags('<svg><text>a < b</text></svg>')).toThrow(/malformed/);
  });

  it('escapes titles and rejects an empty panel list', () => {
    const svg = svgPlot([{ title: 'a < b & "c"', series: [{ x: [0, 1], y: [0, 1], style: 'line' }] }]);
    expect(svg).toContain('a &lt; b &amp; &quot;c&quot;');
    assertBalanced(tags(svg));
    expect(() => svgPlot([])).toThrow(OptionError);
  });

  it('checks its options: unknown keys (with the nearest name), non-objects, non-positive sizes', () => {
    const panel = [{ title: 'p', series: [{ x: [0, 1], y: [0, 1], style: 'line' as const }] }];
    expect(() => svgPlot(panel, { colums: 3 } as never)).toThrow(/^svgPlot: unknown option 'colums'; did you mean 'columns'\? Valid options: columns, panelWidth, panelHeight, title$/);
    expect(() => svgPlot(panel, null as never)).toThrow(OptionError);
    expect(() => svgPlot(panel, { panelWidth: 0 })).toThrow(/^svgPlot: option 'panelWidth' must be an integer ≥ 1, got 0$/);
    expect(() => svgPlot(panel, { title: 5 as never })).toThrow(/option 'title' must be a string, got 5/);
  });
});

describe('figure53Svg', () => {
  it('writes a well-formed SVG file with 4 panels, titles, points, solid fits and dashed hidden units', () => {
    const net = twoLayerNet({ inputs: 1, hidden: 3, outputs: 1, activation: 'tanh', output: 'linear' });
    const sets = figure53Data(50, 1);
    const fits: CurveFit[] = sets.map((dataset, k) => ({
      dataset,
      params: k === 0 ? train(net, net.init(1), dataset.X, dataset.T, { maxIterations: 30 }).params : net.init(k),
    }));
    const file = join(mkdtempSync(join(tmpdir(), 'nn-svg-')), 'fig.svg');
    writeFileSync(file, figure53Svg(net, fits));
    const svg = readFileSync(file, 'utf8');

    expect(svg.startsWith('<svg')).toBe(true);
    const list = tags(svg);
    assertBalanced(list);
    expect(list[0].name).toBe('svg');
    expect(list[0].attrs).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(list.at(-1)).toMatchObject({ name: 'svg', kind: 'close' });

    const panels = list.filter((t) => t.name === 'g' && t.kind === 'open' && t.attrs.includes('class="panel"'));
    expect(panels).toHaveLength(4);
    for (const { name } of sets) expect(svg).toContain(`f(x) = ${name}`);
    const paths = list.filter((t) => t.name === 'path');
    const dashed = paths.filter((t) => t.attrs.includes('stroke-dasharray'));
    expect(dashed).toHaveLength(4 * 3); // one per hidden unit per panel
    expect(paths.length - dashed.length).toBe(4); // one solid fitted curve per panel
    expect(list.filter((t) => t.name === 'circle')).toHaveLength(4 * 50);
    expect(svg).not.toMatch(/NaN|Infinity/);
  });
});
