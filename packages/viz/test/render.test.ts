// The trace's DOT laid out by Graphviz (WebAssembly) into SVG: well-formed, one group per tape node.
import { describe, expect, it } from 'vitest';
import { ArgumentError, formatNumber, toDot, trace, traceFrame, traceLength, type Scalar, type Tensor, tensor } from '@dualtape/core';
import { graphvizVersion, renderDotSvg, renderTraceSvg } from '../src/index.js';

/**
 * Checks that `xml` is one well-formed element tree: tags nest and close in order, attributes are
 * quoted, and only the five predefined entities or numeric references are used.
 */
function assertWellFormed(xml: string): string[] {
  const body = xml.replace(/<\?xml[^?]*\?>/, '').replace(/<!DOCTYPE[^>[]*(\[[^\]]*\])?>/, '').replace(/<!--[\s\S]*?-->/g, '');
  const stack: string[] = [];
  const opened: string[] = [];
  let roots = 0;
  const tag = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/g;
  let last = 0;
  for (let m = tag.exec(body); m !== null; m = tag.exec(body)) {
    const text = body.slice(last, m.index);
    expect(text, `stray markup before ${m[0]}`).not.toMatch(/[<>]/);
    expect(text).not.toMatch(/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/);
    last = tag.lastIndex;
    const [, closing, name, , selfClosing] = m;
    if (closing) expect(stack.pop(), `</${name}> closes the wrong element`).toBe(name);
    else {
      if (stack.length === 0) roots++;
      opened.push(name);
      if (!selfClosing) stack.push(name);
    }
  }
  expect(body.slice(last).trim()).toBe('');
  expect(stack).toEqual([]);
  expect(roots).toBe(1);
  return opened;
}

describe('renderTraceSvg', () => {
  const f = (p: { x: Scalar; y: Scalar }) => p.x.mul(p.y).add(p.x.sin());
  const t = trace(f, { x: 2, y: 3 }, { x: 1, y: -2 });

  it('renders well-formed SVG with one node group per tape node and one edge per data flow', async () => {
    const svg = await renderTraceSvg(t);
    expect(svg).toMatch(/<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    const elements = assertWellFormed(svg);
    expect(elements[0]).toBe('svg');
    for (let i = 0; i < t.rows.length; i++) expect(svg).toContain(`<g id="node_${i}" class="node">`);
    expect((svg.match(/class="node"/g) ?? []).length).toBe(5);
    expect((svg.match(/class="edge"/g) ?? []).length).toBe(5);
    // The lanes are drawn as text: value of sin x and the gradient's first entry.
    expect(svg).toContain(`>${formatNumber(Math.sin(2))}<`);
    expect(svg).toContain(`>${formatNumber(3 + Math.cos(2))}<`);
    expect(svg).toContain('R{adjoint}');
  });

  it('renders every frame of the replay, with the same layout at every step', async () => {
    const net = (p: { w1: Tensor; b1: Tensor; w2: Tensor; b2: Tensor }) => {
      const z = p.w1.reshape([2, 1]).matmul(tensor([0.5])).add(p.b1).tanh();
      return p.w2.reshape([1, 2]).matmul(z).add(p.b2).sub(tensor([0.2])).square().sum().mul(0.5);
    };
    const u = trace(net, { w1: [0.3, -0.4], b1: [0.1, 0.2], w2: [0.7, -0.5], b2: [0.05] }, { w1: [1, 0], b1: [0, 0], w2: [0, 1], b2: [0] });
    const sizes = new Set<string>();
    for (let p = 0; p <= traceLength(u); p++) {
      const svg = await renderTraceSvg(u, { frame: traceFrame(u, p) });
      assertWellFormed(svg);
      sizes.add(svg.match(/<svg width="([\d.]+)pt" height="([\d.]+)pt"/)!.slice(1).join('×'));
      for (let i = 0; i < u.rows.length; i++) expect(svg).toContain(`id="node_${i}"`);
    }
    expect(sizes.size).toBe(1);
  });

  it('matches what toDot produces, through renderDotSvg', async () => {
    expect(await renderDotSvg(toDot(t))).toBe(await renderTraceSvg(t));
  });

  it('reports DOT syntax errors as ArgumentError, with Graphviz\'s words', async () => {
    await expect(renderDotSvg('digraph { a -> }')).rejects.toThrow(/syntax error/i);
    await expect(renderDotSvg('digraph { a -> }')).rejects.toThrow(ArgumentError);
    await expect(renderDotSvg('digraph {')).rejects.toThrow(/^renderDotSvg: Graphviz could not draw the DOT source: syntax error in line 1/);
  });

  it('refuses empty DOT source with ArgumentError (Graphviz said only "render failed")', async () => {
    for (const empty of ['', '  \n']) {
      await expect(renderDotSvg(empty)).rejects.toThrow(ArgumentError);
      await expect(renderDotSvg(empty)).rejects.toThrow(/^renderDotSvg: dot is empty/);
    }
  });

  it('refuses what is not DOT text, and a non-trace, with ArgumentError (Graphviz gave a bare Error)', async () => {
    for (const junk of [undefined, null, 3, { graph: 1 }]) {
      await expect(renderDotSvg(junk as never)).rejects.toThrow(ArgumentError);
      await expect(renderDotSvg(junk as never)).rejects.toThrow(/renderDotSvg: dot must be DOT source text/);
    }
    await expect(renderTraceSvg({} as never)).rejects.toThrow(/toDot: expected a trace/);
  });

  it('a graph past 100 nodes with an input read along its chain is laid out (it took minutes: the test\'s timeout guards it); past 2,000 nodes, an ArgumentError', async () => {
    // 161 nodes took 9 s, 241 nodes 174 s with dot's unbounded passes.
    const loop = trace((x: Scalar) => { let y = x; for (let i = 0; i < 80; i++) y = y.mul(x).sin(); return y; }, 0.5, 1);
    expect(loop.rows.length).toBe(161);
    const svg = await renderTraceSvg(loop);
    assertWellFormed(svg);
    expect(svg.match(/id="node_\d+"/g)).toHaveLength(161);
    const huge = trace((x: Tensor) => { let s = x.at(0); for (let i = 0; i < 1100; i++) s = s.add(x.at(1)); return s; }, [1, 2], [1, 0]);
    expect(huge.rows.length).toBeGreaterThan(2000);
    await expect(renderTraceSvg(huge)).rejects.toThrow(/more than the 2000 drawn here.*formatTrace/);
  }, 60_000);

  it('names its Graphviz version', () => {
    expect(graphvizVersion).toMatch(/^\d+\.\d+/);
  });
});
