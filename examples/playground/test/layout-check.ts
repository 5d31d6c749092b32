/**
 * Layout checks run inside the page (passed to `page.evaluate`): what overflows its container, and
 * whether the graph is inside its pane. Self-contained functions: they are serialized into the page.
 * @module
 */

/** One element that sticks out of the element that contains it. */
export interface Overflow {
  readonly element: string;
  readonly container: string;
  readonly by: { readonly left: number; readonly right: number; readonly top: number; readonly bottom: number };
}

/**
 * Every visible element whose box sticks out of its parent's box, in a direction in which the
 * parent neither scrolls nor clips (content inside a scrolling pane, such as the tape table in its
 * wrapper, is that pane's business); and every such element whose own content is wider than it.
 * SVG internals are left to {@link graphInsidePane}. Tolerance: 1 px for rounding.
 */
export function findOverflows(): Overflow[] {
  const describe = (el: Element) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.getAttribute('data-testid') ? `[data-testid=${el.getAttribute('data-testid')}]` : ''}${typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : ''}`;
  const shows = (el: Element) => {
    const style = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    return style.display !== 'none' && style.visibility !== 'hidden' && r.width > 0 && r.height > 0;
  };
  const out: Overflow[] = [];
  for (const el of Array.from(document.querySelectorAll('body *'))) {
    if (el.closest('svg') || el.tagName === 'OPTION' || !shows(el)) continue;
    const parent = el.parentElement;
    if (!parent) continue;
    const ps = getComputedStyle(parent);
    const r = el.getBoundingClientRect();
    const p = parent.getBoundingClientRect();
    const x = ps.overflowX === 'visible';
    const y = ps.overflowY === 'visible';
    const by = {
      left: x ? Math.max(0, p.left - r.left) : 0,
      right: x ? Math.max(0, r.right - p.right) : 0,
      top: y ? Math.max(0, p.top - r.top) : 0,
      bottom: y ? Math.max(0, r.bottom - p.bottom) : 0,
    };
    if (Object.values(by).some((d) => d > 1)) out.push({ element: describe(el), container: describe(parent), by });
    const own = getComputedStyle(el);
    if (el instanceof HTMLElement && own.overflowX === 'visible' && own.display !== 'inline' && el.scrollWidth > el.clientWidth + 1 && el.tagName !== 'TABLE') {
      out.push({ element: `${describe(el)} (its content)`, container: describe(el), by: { left: 0, right: el.scrollWidth - el.clientWidth, top: 0, bottom: 0 } });
    }
  }
  // The page itself: no sideways scrolling.
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth + 1) {
    out.push({ element: 'the page', container: 'the window', by: { left: 0, right: root.scrollWidth - root.clientWidth, top: 0, bottom: 0 } });
  }
  return out;
}

/** How far the drawn graph sticks out of its pane's content box on each side (all ≤ 0 when inside). */
export function graphInsidePane(): { left: number; right: number; top: number; bottom: number } | null {
  const pane = document.getElementById('graph');
  const svg = pane?.querySelector('svg');
  if (!pane || !svg) return null;
  const p = pane.getBoundingClientRect();
  const s = svg.getBoundingClientRect();
  return { left: p.left - s.left, right: s.right - p.right, top: p.top - s.top, bottom: s.bottom - p.bottom };
}

/**
 * Pairs of drawn edges that cross, as `n0->n2 × n1->n3`. Each edge's path (cubic Béziers, from the
 * SVG) is sampled into a polyline; edges that share an end node are not compared (they meet there).
 */
export function crossingEdges(): string[] {
  type Point = readonly [number, number];
  const edges = [...document.querySelectorAll('#graph svg g.edge')].flatMap((g) => {
    const [from, to] = (g.querySelector('title')?.textContent ?? '').split('->');
    const d = g.querySelector('path')?.getAttribute('d');
    if (!from || !to || !d) return [];
    const nums = (d.match(/-?\d+(?:\.\d+)?/g) ?? []).map(Number);
    const pts: Point[] = [];
    for (let k = 0; k + 1 < nums.length; k += 2) pts.push([nums[k], nums[k + 1]]);
    // M p0 C p1 p2 p3 [p4 p5 p6 …]: cubic pieces sharing end points.
    const line: Point[] = [pts[0]];
    for (let k = 0; k + 3 < pts.length; k += 3) {
      const [p0, p1, p2, p3] = [pts[k], pts[k + 1], pts[k + 2], pts[k + 3]];
      for (let s = 1; s <= 12; s++) {
        const u = s / 12;
        const w = [(1 - u) ** 3, 3 * u * (1 - u) ** 2, 3 * u ** 2 * (1 - u), u ** 3];
        line.push([w[0] * p0[0] + w[1] * p1[0] + w[2] * p2[0] + w[3] * p3[0], w[0] * p0[1] + w[1] * p1[1] + w[2] * p2[1] + w[3] * p3[1]]);
      }
    }
    return [{ name: `${from}->${to}`, ends: [from, to], line }];
  });
  const side = (p: Point, q: Point, r: Point) => Math.sign((q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]));
  const segmentsCross = (a: Point, b: Point, c: Point, d: Point) => side(a, b, c) * side(a, b, d) < 0 && side(c, d, a) * side(c, d, b) < 0;
  const out: string[] = [];
  for (let i = 0; i < edges.length; i++) {
    for (let j = i + 1; j < edges.length; j++) {
      const [e, f] = [edges[i], edges[j]];
      if (e.ends.some((n) => f.ends.includes(n))) continue;
      let crosses = false;
      for (let a = 1; a < e.line.length && !crosses; a++) {
        for (let b = 1; b < f.line.length && !crosses; b++) crosses = segmentsCross(e.line[a - 1], e.line[a], f.line[b - 1], f.line[b]);
      }
      if (crosses) out.push(`${e.name} × ${f.name}`);
    }
  }
  return out;
}
