/**
 * The playground's picture of a trace, as Graphviz DOT. Like `toDot` in @dualtape/core (one node
 * per tape node with its four lanes, lanes not computed yet kept but invisible so the layout never
 * moves while stepping), plus what the page needs on top:
 * - parameters and constants that feed the same node sit side by side in tape order, so `x.x`
 *   comes before `x.y` (Graphviz's `ordering=in` was tried for this: it also fixes the order of
 *   every other node's inputs, and that made edges cross in the examples);
 * - rank-0 nodes read as scalars, as in the table;
 * - rows that carry a group label (the nested transform that recorded them) are boxed together
 *   under that label; without labels there are no boxes.
 * @module
 */
import type { Lane, Trace, TraceFrame } from '@dualtape/core';
import { groupOf, laneText, rowName } from './row-display.js';

export interface GraphOptions {
  /** `TB`: inputs above the nodes that use them (default); `LR`: to their left. */
  readonly rankdir?: 'TB' | 'LR';
  /** Show the sweeps at this point; without a frame every lane is final. */
  readonly frame?: TraceFrame;
  /** A short note under a node's title (the PRML equation numbers). */
  readonly notes?: ReadonlyMap<number, string>;
}

// The page's palette (style.css).
const COLORS = {
  leaf: '#e3f1e6', constant: '#f1f3f4', op: '#ffffff', output: '#dde9fb', current: '#ffe08a', currentBorder: '#b06000',
  edge: '#7a7a7a', forwardEdge: '#1a66d2', reverseEdge: '#c5221f', muted: '#5f6368', group: '#9aa0a6',
} as const;

/** DOT source for the trace; each node gets `id="node_<index>"` (kept in the SVG) for the page to find. */
export function traceGraphDot(t: Trace, options: GraphOptions = {}): string {
  const { frame, notes, rankdir = 'TB' } = options;
  const current = frame ? frame.node : -1;
  const lines = [
    'digraph trace {',
    // Courier: Graphviz sizes boxes from its own font metrics, and those of Courier (every glyph
    // 0.6 em) hold for any monospace font the page substitutes; Helvetica's do not for the sans
    // fonts a machine without Helvetica uses, and the text spilled out of its box.
    `  graph [rankdir=${rankdir}, nodesep=0.25, ranksep=0.35, fontname="Courier", bgcolor="transparent"];`,
    '  node [shape=plain, fontname="Courier", fontsize=10];',
    `  edge [color="${COLORS.edge}", arrowsize=0.6];`,
  ];
  const nodeLine = (i: number) => {
    const r = t.rows[i];
    const lanes = frame ? frame.lanes[i] : r;
    // A lane not computed yet is written in transparent ink: its space is kept.
    const lane = (shown: Lane | null, final: Lane, active: boolean) =>
      !active ? { text: '—', hidden: false } : { text: laneText(r, shown ?? final), hidden: shown === null };
    const cell = (name: string, { text, hidden }: { text: string; hidden: boolean }) =>
      `<tr><td align="left"><font color="${COLORS.muted}">${name}</font></td><td align="right">` +
      (hidden ? `<font color="transparent">${escapeHtml(text)}</font>` : escapeHtml(text)) + '</td></tr>';
    const fill = i === current ? COLORS.current : i === t.output ? COLORS.output : COLORS[r.role];
    const shape = r.shape.length === 0 ? '' : ` [${r.shape.join(',')}]`;
    const note = notes?.get(i);
    const label = [
      `<table border="1" cellborder="0" cellspacing="0" cellpadding="2" bgcolor="${fill}" color="${i === current ? COLORS.currentBorder : '#000000'}"${r.role === 'constant' ? ' style="dashed"' : ''}>`,
      `<tr><td colspan="2"><b>${escapeHtml(rowName(r))}</b>${escapeHtml(shape)}${i === t.output ? ' = f' : ''}</td></tr>`,
      note ? `<tr><td colspan="2"><font point-size="8" color="${COLORS.muted}">${escapeHtml(note)}</font></td></tr>` : '',
      cell('value', lane(lanes.value, r.value, true)),
      cell('R{value}', lane(lanes.tangent, r.tangent, true)),
      cell('adjoint', lane(lanes.adjoint, r.adjoint, r.active)),
      cell('R{adjoint}', lane(lanes.adjointDot, r.adjointDot, r.active)),
      '</table>',
    ].join('');
    return `n${i} [id="node_${i}", label=<${label}>];`;
  };
  // Rows of one group are declared inside its cluster; the others at the top level.
  const groups = new Map<string, number[]>();
  for (const r of t.rows) {
    const g = groupOf(r);
    if (g === undefined) lines.push(`  ${nodeLine(r.index)}`);
    else groups.set(g, [...(groups.get(g) ?? []), r.index]);
  }
  [...groups].forEach(([label, members], k) => {
    lines.push(
      `  subgraph cluster_${k} {`,
      `    graph [label=<${escapeHtml(label)}>, labeljust=l, fontsize=10, fontcolor="${COLORS.muted}", style="rounded,dashed", color="${COLORS.group}"];`,
      ...members.map((i) => `    ${nodeLine(i)}`),
      '  }',
    );
  });
  for (const set of sourcesSideBySide(t)) lines.push(`  { rank=same; ${set.map((i) => `n${i}`).join(' -> ')} [style=invis]; }`);
  const step = frame?.step ?? null;
  for (const r of t.rows) {
    for (const k of new Set(r.inputs)) {
      let attrs = '';
      if (frame?.phase === 'forward' && r.index === current) attrs = ` [color="${COLORS.forwardEdge}", penwidth=2]`;
      if (step && r.index === step.node && step.pushes.some((p) => p.input === k)) {
        attrs = ` [color="${COLORS.reverseEdge}", penwidth=2, dir=back]`;
      }
      lines.push(`  n${k} -> n${r.index}${attrs};`);
    }
  }
  lines.push('}');
  return lines.join('\n');
}

/**
 * Sets of sources (leaves and constants: nodes with no inputs) that are inputs of a common node, in
 * tape order, each with at least two members and all in one group. Drawn as one rank with an
 * invisible chain of edges, which Graphviz keeps in order. Only sources: they
 * can sit on any rank above their users, so tying them together never stretches the rest.
 */
export function sourcesSideBySide(t: Trace): number[][] {
  const isSource = (i: number) => t.rows[i].inputs.length === 0;
  const root = t.rows.map((r) => r.index);
  const find = (i: number): number => (root[i] === i ? i : (root[i] = find(root[i])));
  for (const r of t.rows) {
    const sources = [...new Set(r.inputs)].filter(isSource);
    // Never across group boxes: Graphviz cannot put one rank through two clusters.
    for (let k = 1; k < sources.length; k++) {
      if (groupOf(t.rows[sources[k]]) === groupOf(t.rows[sources[0]])) root[find(sources[k])] = find(sources[0]);
    }
  }
  const sets = new Map<number, number[]>();
  for (const r of t.rows) {
    if (!isSource(r.index)) continue;
    const key = find(r.index);
    sets.set(key, [...(sets.get(key) ?? []), r.index]);
  }
  return [...sets.values()].filter((set) => set.length > 1);
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
