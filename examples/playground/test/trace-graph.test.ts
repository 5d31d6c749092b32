// The playground's graph and table helpers on traces with and without group labels (the optional
// `frame` a later engine adds to each row), and the tape-order tie of sources feeding one node.
import * as dt from '@dualtape/core';
import { renderDotSvg } from '@dualtape/viz';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupOf, groupRuns, hasGroups, laneText, shapeText } from '../src/row-display.js';
import { sourcesSideBySide, traceGraphDot } from '../src/trace-graph.js';

const t = dt.trace((p: { x: dt.Scalar; y: dt.Scalar }) => p.x.mul(p.y).add(p.x.sin()).mul(1.1), { x: 2, y: 3 }, { x: 1, y: -2 });

/** The same trace with `frame` labels on some rows, as a later engine will give them. */
function labelled(labels: ReadonlyArray<string | undefined>): dt.Trace {
  return { ...t, rows: t.rows.map((r, i) => (labels[i] === undefined ? r : { ...r, frame: labels[i] })) };
}

describe('group labels', () => {
  it('are absent from today\'s traces: no groups, no clusters, one unlabelled run', () => {
    expect(hasGroups(t)).toBe(false);
    expect(groupRuns(t)).toEqual([{ label: undefined, rows: t.rows }]);
    expect(traceGraphDot(t)).not.toContain('cluster');
  });

  it('split the rows into runs of equal labels, in tape order, covering every row once', () => {
    const label = fc.option(fc.constantFrom('grad #1 · reverse', 'hvp #2 · forward'), { nil: undefined });
    fc.assert(fc.property(fc.array(label, { minLength: t.rows.length, maxLength: t.rows.length }), (labels) => {
      const runs = groupRuns(labelled(labels));
      expect(runs.flatMap((r) => r.rows.map((row) => row.index))).toEqual(t.rows.map((r) => r.index));
      runs.forEach((run, k) => {
        for (const row of run.rows) expect(groupOf(row)).toBe(run.label);
        if (k > 0) expect(run.label).not.toBe(runs[k - 1].label);
      });
    }));
  });

  it('ignore a frame that is not a non-empty string', () => {
    for (const frame of ['', '  ', 3, null, {}]) expect(groupOf({ ...t.rows[0], frame } as dt.TraceRow)).toBeUndefined();
  });

  it('box each group\'s nodes in a labelled cluster that Graphviz draws', async () => {
    const g = labelled([undefined, undefined, 'grad #1 · reverse', 'grad #1 · reverse', 'grad #1 · reverse']);
    const svg = await renderDotSvg(traceGraphDot(g));
    expect(svg.match(/class="cluster"/g)).toHaveLength(1);
    expect(svg).toContain('grad #1 · reverse');
    expect(svg.match(/class="node"/g)).toHaveLength(t.rows.length);
  });
});

describe('sources side by side', () => {
  it('ties the parameters of mul(x, y) together in tape order, and nothing else', () => {
    expect(sourcesSideBySide(t)).toEqual([[0, 1]]);
    expect(traceGraphDot(t)).toContain('{ rank=same; n0 -> n1 [style=invis]; }');
  });

  it('never ties sources of different groups (Graphviz cannot run one rank through two clusters)', () => {
    expect(sourcesSideBySide(labelled(['a', 'b']))).toEqual([]);
    expect(sourcesSideBySide(labelled(['a', 'a']))).toEqual([[0, 1]]);
  });
});

describe('row display', () => {
  it('shows every rank-0 node as a scalar with a plain number, a Scalar or a 0-d tensor alike', () => {
    const zeroD = dt.trace((x: dt.Tensor) => x.mul(1.1).sum(), [1, 2], [1, 0]);
    const constant = zeroD.rows.find((r) => r.role === 'constant')!;
    expect(constant.shape).toEqual([]);
    expect(shapeText(constant)).toBe('scalar');
    expect(laneText(constant, constant.value)).toBe('1.1');
    const leaf = zeroD.rows[0];
    expect(shapeText(leaf)).toBe('[2]');
    expect(laneText(leaf, leaf.value)).toBe('[1, 2]');
  });
});
