// trace, traceFrame, formatTrace and toDot, checked against the sweeps worked out by hand.
import { describe, expect, it } from 'vitest';
import {
  ArgumentError, D, OptionError, OutputError, concat, defineOp, formatLane, formatNumber, formatTrace, gradAndHvp, tensor, toDot, trace,
  traceFrame, traceLength, type Lane, type Scalar, type Tensor, type Trace,
} from '../src/index.js';
import { expectError } from './expect-error.js';

// f(x, y) = x·y + sin x at (x, y) = (2, 3), direction v = (vx, vy) = (1, −2).
// The tape, in creation order:
//   #0 leaf x   #1 leaf y   #2 mul(#0, #1) = x·y   #3 sin(#0) = sin x   #4 add(#2, #3) = f
const X = 2, Y = 3, VX = 1, VY = -2;
const f = (p: { x: Scalar; y: Scalar }) => p.x.mul(p.y).add(p.x.sin());

// Forward sweep: values and R{·} (the directional derivative along v).
const value = [X, Y, X * Y, Math.sin(X), X * Y + Math.sin(X)];
const tangent = [
  VX,
  VY,
  VX * Y + X * VY, // product rule
  Math.cos(X) * VX, // chain rule
  VX * Y + X * VY + Math.cos(X) * VX,
];
// Reverse sweep from (f̄, R{f̄}) = (1, 0):
//   add  passes (1, 0) to both inputs.
//   sin  x̄ += 1·cos x;  R{x̄} += 0·cos x + 1·(−sin x)·R{x}   (the dual product (1, 0)·(cos x, −sin x·vx))
//   mul  x̄ += 1·y;      R{x̄} += 0·y + 1·R{y} = vy
//        ȳ += 1·x;      R{ȳ} += 0·x + 1·R{x} = vx
const adjoint = [Y + Math.cos(X), X, 1, 1, 1];
const adjointDot = [-Math.sin(X) * VX + VY, VX, 0, 0, 0];
// Cross-check with the Hessian [[−sin x, 1], [1, 0]]: H·v = (−sin x·vx + vy, vx).

const close = (a: number, b: number) => expect(a).toBeCloseTo(b, 12);

describe('trace of x·y + sin x', () => {
  const t = trace(f, { x: X, y: Y }, { x: VX, y: VY });

  it('has one row per tape node, in creation order, with ops, inputs and kinds', () => {
    expect(t.rows.map((r) => r.op)).toEqual(['leaf', 'leaf', 'mul', 'sin', 'add']);
    expect(t.rows.map((r) => r.inputs)).toEqual([[], [], [0, 1], [0], [2, 3]]);
    expect(t.rows.map((r) => r.role)).toEqual(['leaf', 'leaf', 'op', 'op', 'op']);
    expect(t.rows.map((r) => r.label)).toEqual(['x.x', 'x.y', undefined, undefined, undefined]);
    expect(t.rows.every((r) => r.kind === 'scalar' && r.shape.length === 0 && r.active)).toBe(true);
    expect(t.output).toBe(4);
  });

  it('rows hold the values, tangents, adjoints and R-adjoints worked out by hand', () => {
    t.rows.forEach((r, i) => {
      close(r.value as number, value[i]);
      close(r.tangent as number, tangent[i]);
      close(r.adjoint as number, adjoint[i]);
      close(r.adjointDot as number, adjointDot[i]);
    });
  });

  it('records the reverse sweep: active nodes last to first, inputs’ dual adjoints after each step', () => {
    expect(t.reverse.map((s) => s.node)).toEqual([4, 3, 2, 1, 0]);
    const [add, sin, mul, leafY, leafX] = t.reverse;
    expect(add.pushes.map((p) => [p.input, p.adjoint, p.adjointDot])).toEqual([[2, 1, 0], [3, 1, 0]]);
    // After sin's step x holds only sin's contribution; after mul's, the sum of both.
    expect(sin.pushes).toHaveLength(1);
    expect(sin.pushes[0].input).toBe(0);
    close(sin.pushes[0].adjoint as number, Math.cos(X));
    close(sin.pushes[0].adjointDot as number, -Math.sin(X) * VX);
    expect(mul.pushes.map((p) => p.input)).toEqual([0, 1]);
    close(mul.pushes[0].adjoint as number, Math.cos(X) + Y);
    close(mul.pushes[0].adjointDot as number, -Math.sin(X) * VX + VY);
    close(mul.pushes[1].adjoint as number, X);
    close(mul.pushes[1].adjointDot as number, VX);
    expect(leafY.pushes).toEqual([]);
    expect(leafX.pushes).toEqual([]);
    close(leafX.adjoint as number, adjoint[0]);
  });

  it('gives f, ∇f and H·v, identical to gradAndHvp', () => {
    close(t.value, value[4]);
    close(t.grad.x, adjoint[0]);
    close(t.grad.y, adjoint[1]);
    close(t.hvp.x, adjointDot[0]);
    close(t.hvp.y, adjointDot[1]);
    expect({ value: t.value, grad: t.grad, hvp: t.hvp }).toEqual(gradAndHvp(f, { x: X, y: Y }, { x: VX, y: VY }));
  });

  it('formatTrace prints an aligned table whose cells hold the hand-computed numbers', () => {
    const text = formatTrace(t);
    const lines = text.split('\n');
    const headerAt = lines.findIndex((l) => /^#\s+op\s+inputs\s+shape\s+value\s+R\{value\}\s+adjoint\s+R\{adjoint\}\s+note$/.test(l));
    expect(headerAt).toBeGreaterThanOrEqual(0);
    expect(lines[headerAt + 1]).toMatch(/^-+$/);
    const rows = lines.slice(headerAt + 2, headerAt + 7);
    // Aligned: every value column starts at the same character in every row.
    const valueColumn = lines[headerAt].indexOf('value');
    const valueEnd = valueColumn + 'value'.length;
    for (const row of rows) expect(row.length).toBeGreaterThan(valueEnd);
    rows.forEach((line, i) => {
      const cells = line.trim().split(/\s+/);
      expect(Number(cells[0])).toBe(i);
      // index, op, [inputs…], 'scalar', value, R{value}, adjoint, R{adjoint}, note…
      const at = cells.indexOf('scalar');
      const numbers = cells.slice(at + 1, at + 5).map(Number);
      expect(numbers[0]).toBeCloseTo(value[i], 4);
      expect(numbers[1]).toBeCloseTo(tangent[i], 4);
      expect(numbers[2]).toBeCloseTo(adjoint[i], 4);
      expect(numbers[3]).toBeCloseTo(adjointDot[i], 4);
    });
    expect(rows[0]).toMatch(/leaf x\.x$/);
    expect(rows[2]).toMatch(/^2\s+mul\s+#0 #1\s+scalar\s/);
    expect(rows[4]).toMatch(/output f$/);
    // The reverse log names each step and the inputs it pushed into.
    expect(text).toContain('seed on #4: adjoint 1, R{adjoint} 0');
    expect(text).toMatch(/step 1\s+#4 add\s+\(ȳ, R\{ȳ\}\) = \(1, 0\)\s+#2 ← \(1, 0\)\s+#3 ← \(1, 0\)/);
    expect(text).toMatch(/step 2\s+#3 sin .*#0 ← \(-0\.416147, -0\.909297\)/);
    expect(text).toContain(`f    = ${formatNumber(6 + Math.sin(2))}`);
    expect(text).toMatch(/H·v {2}= \{ x: -2\.9093, y: 1 \}/);
  });

  it('toDot draws every node with its lanes and every data-flow edge', () => {
    const dot = toDot(t);
    expect(dot.startsWith('digraph trace {')).toBe(true);
    expect(dot.trimEnd().endsWith('}')).toBe(true);
    for (let i = 0; i < 5; i++) expect(dot).toContain(`n${i} [id="node_${i}"`);
    const edges = [...dot.matchAll(/^ {2}n(\d+) -> n(\d+)/gm)].map((m) => `${m[1]}->${m[2]}`).sort();
    expect(edges).toEqual(['0->2', '0->3', '1->2', '2->4', '3->4']);
    const node3 = dot.split('\n').find((l) => l.startsWith('  n3 '))!;
    expect(node3).toContain('#3 sin');
    expect(node3).toContain(`>${formatNumber(Math.sin(2))}<`); // value 0.909297
    expect(node3).toContain(`>${formatNumber(Math.cos(2))}<`); // R{value} −0.416147
    const node0 = dot.split('\n').find((l) => l.startsWith('  n0 '))!;
    expect(node0).toContain('#0 leaf x.x');
    expect(node0).toContain(`>${formatNumber(3 + Math.cos(2))}<`); // adjoint 2.58385
    expect(node0).toContain(`>${formatNumber(-Math.sin(2) - 2)}<`); // R{adjoint} −2.9093
    expect(dot).not.toMatch(/font color="transparent"/); // no hidden lanes without a frame
  });
});

describe('traceFrame replays the sweeps', () => {
  const t = trace(f, { x: X, y: Y }, { x: VX, y: VY });

  it('has one position per forward node and per reverse step', () => {
    expect(traceLength(t)).toBe(5 + 5);
    expect(() => traceFrame(t, 11)).toThrow(/outside 0…10/);
    expect(() => traceFrame(t, -1)).toThrow();
  });

  it('fills values and tangents in tape order, then adjoints as the reverse sweep pushes them', () => {
    const start = traceFrame(t, 0);
    expect(start.phase).toBe('start');
    expect(start.node).toBe(-1);
    expect(start.lanes.every((l) => l.value === null && l.adjoint === null)).toBe(true);

    const third = traceFrame(t, 3); // #0, #1, #2 computed
    expect(third.phase).toBe('forward');
    expect(third.node).toBe(2);
    expect(third.lanes.map((l) => l.value !== null)).toEqual([true, true, true, false, false]);
    close(third.lanes[2].tangent as number, tangent[2]);

    const forwardDone = traceFrame(t, 5);
    expect(forwardDone.lanes.every((l) => l.adjoint === null)).toBe(true);

    const afterAdd = traceFrame(t, 6); // seed, then add pushed into #2 and #3
    expect(afterAdd.phase).toBe('reverse');
    expect(afterAdd.node).toBe(4);
    expect(afterAdd.step?.node).toBe(4);
    expect(afterAdd.lanes.map((l) => l.adjoint)).toEqual([null, null, 1, 1, 1]);

    const afterSin = traceFrame(t, 7); // x holds sin's contribution only
    close(afterSin.lanes[0].adjoint as number, Math.cos(X));
    close(afterSin.lanes[0].adjointDot as number, -Math.sin(X) * VX);
    expect(afterSin.lanes[1].adjoint).toBeNull();

    const end = traceFrame(t, 10);
    expect(end.done).toBe(true);
    end.lanes.forEach((l, i) => {
      expect(l.adjoint).toBe(t.rows[i].adjoint);
      expect(l.adjointDot).toBe(t.rows[i].adjointDot);
    });
  });

  it('toDot with a frame hides what is not computed yet and highlights the step', () => {
    const hidden = (dot: string) => (dot.match(/font color="transparent"/g) ?? []).length;
    expect(hidden(toDot(t, { frame: traceFrame(t, 0) }))).toBe(5 * 4);
    expect(hidden(toDot(t, { frame: traceFrame(t, 5) }))).toBe(5 * 2); // adjoints still to come
    expect(hidden(toDot(t, { frame: traceFrame(t, 10) }))).toBe(0);
    const third = toDot(t, { frame: traceFrame(t, 3) });
    expect(third).toMatch(/n2 \[id="node_2", label=<<table[^>]*bgcolor="#ffe08a"/);
    expect(third).toMatch(/n0 -> n2 \[color=/);
    const sinStep = toDot(t, { frame: traceFrame(t, 7) });
    expect(sinStep).toMatch(/n0 -> n3 \[[^\]]*dir=back/);
    expect(sinStep).not.toMatch(/n0 -> n2 \[/);
  });
});

describe('trace agrees with gradAndHvp', () => {
  const cube = defineOp({
    name: 'cube',
    primal: (x) => x * x * x,
    tangent: ([x], [xDot]) => 3 * x * x * xDot,
    backward: ([x], _y, yBar) => [D.mul(yBar, D.scale(D.mul(x, x), 3))],
  });
  const fma = defineOp({
    name: 'fma',
    primal: (a, b, c) => a * b + c,
    tangent: ([a, b], [aDot, bDot, cDot]) => aDot * b + a * bDot + cDot,
    backward: ([a, b], _y, yBar) => [D.mul(yBar, b), D.mul(yBar, a), yBar],
  });
  const cases: Array<[string, (x: never) => Scalar | number, unknown, unknown]> = [
    ['Rosenbrock (scalar ops)', (x: Tensor) => {
      const a = x.at(0), b = x.at(1);
      return a.sub(1).square().add(b.sub(a.square()).square().mul(100));
    }, [0.3, -0.7], [1, 2]],
    ['tensors, broadcasting, matmul', (x: Tensor) => tensor([1, 2, 3, 4, 5, 6], [2, 3]).matmul(x).tanh().square().sum().add(x.mul(x.at(0)).sum()), [0.1, 0.2, 0.3], [1, -1, 0.5]],
    ['a 1-2-1 network', (p: { w1: Tensor; b1: Tensor; w2: Tensor; b2: Tensor }) => {
      const z = p.w1.reshape([2, 1]).matmul(tensor([0.5])).add(p.b1).tanh();
      return p.w2.reshape([1, 2]).matmul(z).add(p.b2).sub(tensor([0.2])).square().sum().mul(0.5);
    }, { w1: [0.3, -0.4], b1: [0.1, 0.2], w2: [0.7, -0.5], b2: [0.05] }, { w1: [1, 0.5], b1: [-0.3, 0.2], w2: [0.4, 1], b2: [-1] }],
    ['defineOp and concat', (x: Tensor) => {
      const c = cube(x.at(0));
      return fma(c, x.at(1), x.at(2)).add(concat([x, x.square()]).sin().sum());
    }, [0.4, -1.2, 0.9], [0.5, 1, -2]],
  ];
  for (const [name, fn, x, v] of cases) {
    it(name, () => {
      const t = trace(fn as never, x as never, v as never) as Trace;
      const expected = gradAndHvp(fn as never, x as never, v as never);
      expect({ value: t.value, grad: t.grad, hvp: t.hvp }).toEqual(expected);
      // The leaves' rows hold the same gradient and H·v.
      const leaves = t.rows.filter((r) => r.role === 'leaf');
      expect(leaves.length).toBeGreaterThan(0);
      // Every reverse step pushes only into the node's own inputs.
      for (const s of t.reverse) for (const p of s.pushes) expect(t.rows[s.node].inputs).toContain(p.input);
    });
  }

  it('lists all inputs of n-ary ops (defineOp, concat)', () => {
    const t = trace((x: Tensor) => fma(x.at(0), x.at(1), x.at(2)).add(concat([x, x]).sum()), [1, 2, 3], [1, 1, 1]);
    const fmaRow = t.rows.find((r) => r.op === 'fma')!;
    expect(fmaRow.inputs).toHaveLength(3);
    expect(fmaRow.inputs.map((k) => t.rows[k].op)).toEqual(['at', 'at', 'at']);
    expect(t.rows.find((r) => r.op === 'concat')!.inputs).toEqual([0, 0]);
    expect(t.reverse.find((s) => s.op === 'concat')!.pushes.map((p) => p.input)).toEqual([0]);
  });

  it('handles an f that returns a constant', () => {
    const t = trace(() => 7, [1, 2], [1, 0]);
    expect(t.value).toBe(7);
    expect(t.output).toBe(-1);
    expect(t.reverse).toEqual([]);
    expect(t.grad).toEqual(new Float64Array(2));
    expect(formatTrace(t)).toContain('reverse sweep: none');
  });

  it('refuses a tensor output, like gradAndHvp', () => {
    expect(() => trace((x: Tensor) => x.square() as never, [1, 2], [1, 0])).toThrow(OutputError);
  });

  it('leaves the engine as it was: a later transform gives the same numbers', () => {
    const g = (x: Tensor) => x.exp().mul(x).sum();
    const before = gradAndHvp(g, [0.1, 0.2], [1, 1]);
    trace(g, [0.1, 0.2], [1, 1]);
    expect(gradAndHvp(g, [0.1, 0.2], [1, 1])).toEqual(before);
  });
});

describe('formatting numbers and lanes', () => {
  it('keeps six significant digits and drops trailing zeros', () => {
    const cases: Array<[number, string]> = [
      [0, '0'], [-0, '0'], [3, '3'], [-12, '-12'], [0.5, '0.5'], [1 / 3, '0.333333'], [-2.5e-7, '-2.5e-7'],
      [123456.7, '123457'], [1.5e9, '1500000000'], [1.234567e20, '1.23457e20'], [NaN, 'NaN'], [-Infinity, '-Infinity'],
    ];
    for (const [x, s] of cases) expect(formatNumber(x)).toBe(s);
  });

  it('summarizes tensors by their first entries', () => {
    const lane: Lane = Float64Array.of(1, 2.5, 3, 4, 5);
    expect(formatLane(lane)).toBe('[1, 2.5, 3, 4, …]');
    expect(formatLane(lane, { maxEntries: 2 })).toBe('[1, 2.5, …]');
    expect(formatLane(Float64Array.of(1, 2))).toBe('[1, 2]');
  });
});

describe('printing refuses what it cannot print (adversarial pass: these were ignored, or internal errors)', () => {
  const t = trace(f, { x: X, y: Y }, { x: VX, y: VY });
  it('a misspelled option is an OptionError naming the nearest valid one, in every printing function', () => {
    expectError(() => formatLane(1, { maxEntry: 2 } as never), OptionError, 'formatLane', "'maxEntry'", "'maxEntries'");
    expectError(() => formatTrace(t, { revers: false } as never), OptionError, 'formatTrace', "'revers'", "'reverse'");
    expectError(() => toDot(t, { rankDir: 'LR' } as never), OptionError, 'toDot', "'rankDir'", "'rankdir'");
  });
  it('option values are checked: digits, maxEntries, rankdir, frame, notes', () => {
    expectError(() => formatLane(1.5, { digits: 0 }), OptionError, 'digits');
    expectError(() => formatLane(1.5, { digits: 101 }), OptionError, 'digits');
    expectError(() => formatLane(Float64Array.of(1), { maxEntries: -1 }), OptionError, 'maxEntries');
    expectError(() => formatTrace(t, { reverse: 'no' as never }), OptionError, 'reverse');
    expectError(() => toDot(t, { rankdir: 'XX' as never }), OptionError, 'rankdir', "'TB', 'LR'");
    expectError(() => toDot(t, { frame: 7 as never }), OptionError, 'frame', 'traceFrame');
    expectError(() => toDot(t, { notes: { 0: 'x' } as never }), OptionError, 'notes', 'Map');
  });
  it('a frame of another trace is refused by toDot', () => {
    const other = trace((x: Scalar) => x.square(), 3, 1);
    expectError(() => toDot(t, { frame: traceFrame(other, 1) }), ArgumentError, 'toDot', 'frame', 'traceFrame(t, position)');
    // Of the same size too (it checked the size only, and drew this graph with the other's numbers).
    const f = (p: { x: Scalar; y: Scalar }) => p.x.div(p.y).sub(p.x.cos());
    const t1 = trace(f, { x: 1, y: 2 }, { x: 1, y: 0 }), t2 = trace(f, { x: 5, y: 7 }, { x: 0, y: 1 });
    expect(t2.rows.length).toBe(t1.rows.length);
    expectError(() => toDot(t1, { frame: traceFrame(t2, traceLength(t2)) }), ArgumentError, 'another trace', 'traceFrame(t, position)');
    expect(toDot(t1, { frame: traceFrame(t1, traceLength(t1)) })).toContain('digraph');
    // A frame copied (a playground's state, serialized) is checked by its size, as before.
    expect(toDot(t1, { frame: structuredClone(traceFrame(t1, 2)) })).toContain('digraph');
  });
  it('notes for nodes that do not exist, or keyed by strings, are refused (they were dropped silently)', () => {
    expectError(() => toDot(t, { notes: new Map([[99, 'x']]) }), ArgumentError, 'node 99');
    expectError(() => toDot(t, { notes: new Map(Object.entries({ 1: 'x' })) as never }), OptionError, 'notes', 'integer');
  });
  it('a large graph is laid out with bounded passes (a loop reusing x took minutes at 241 nodes)', () => {
    const big = trace((x: Scalar) => { let y = x; for (let i = 0; i < 60; i++) y = y.mul(x).sin(); return y; }, 0.5, 1);
    expect(big.rows.length).toBeGreaterThan(100);
    expect(toDot(big)).toContain('mclimit=0.05');
    expect(toDot(t)).not.toContain('mclimit');
  });
  it('formatNumber takes a number and 1…100 digits; formatLane a number or a Float64Array', () => {
    expectError(() => formatNumber('1' as never), ArgumentError, 'formatNumber', "'1'");
    expectError(() => formatNumber(1.5, NaN), ArgumentError, 'formatNumber', 'digits');
    expectError(() => formatNumber(1.5, 2.5), ArgumentError, 'digits');
    expect(formatNumber(Math.PI, 1)).toBe('3');
    expect(formatNumber(Math.PI, 100).startsWith('3.14159265358979311599796346854')).toBe(true);
    expectError(() => formatLane(undefined as never), ArgumentError, 'formatLane', 'undefined');
    expectError(() => formatLane([1, 2] as never), ArgumentError, 'formatLane', 'array');
  });
  it.each([
    ['traceLength', (x: unknown) => traceLength(x as Trace)],
    ['traceFrame', (x: unknown) => traceFrame(x as Trace, 0)],
    ['formatTrace', (x: unknown) => formatTrace(x as Trace)],
    ['toDot', (x: unknown) => toDot(x as Trace)],
  ])('%s of something that is not a trace is an ArgumentError saying what a trace is', (name, call) => {
    for (const junk of [undefined, null, {}, { rows: 1, reverse: [], output: 0 }, 3]) expectError(() => call(junk), ArgumentError, `${name}:`, 'trace(f, x, v)');
  });
  it('well-formed options still print: the checks let every documented option through', () => {
    expect(formatTrace(t, { reverse: false, digits: 4, maxEntries: 3 })).toContain('forward sweep');
    expect(toDot(t, { rankdir: 'LR', frame: traceFrame(t, 2), notes: new Map([[2, 'x·y']]), digits: 3 })).toContain('rankdir=LR');
    expect(formatLane(Float64Array.of(1, 2, 3), { maxEntries: 0 })).toBe('[…]');
  });
});
