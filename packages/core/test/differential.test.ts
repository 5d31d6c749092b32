// Differential testing: the engine against an independent oracle (test/oracle/hyper-dual.ts, forward-
// over-forward on hyper-dual numbers, sharing no code with the engine) on random expression DAGs
// (test/oracle/expressions.ts) over every op: scalar and tensor, broadcasting, shared subexpressions,
// number and tensor constants, kinks away from their ties.
//
// Compared, for each program f, point x and direction v:
//   gradAndHvp(f, x, v)   value, ∇f and H·v
//   hessian(f, x)         every entry H_ij (oracle: seeds eᵢ, eⱼ, entry = the ε₁ε₂ part)
//   jvp(f, x, v)          ∇f·v (oracle: the ε₂ part)
// to 1e-12 relative to max(1, scale), the scale being the compared quantity's magnitude, plus 64 ulps
// of the largest intermediate number M of the computation (measured by the oracle): two correct float64
// evaluations differ by a few ulps of their intermediates however small the result (see compareWithOracle
// in oracle/expressions.ts, and the saturated softmax in regressions.test.ts). The first test also
// checks that comparisons which pass only thanks to that allowance stay rare.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  BINARY, POW_EXPONENTS, UNARY, caseArb, compareWithOracle, decode, rawProgramArb, type Expr,
} from './oracle/expressions.js';
import { ruleOf, type OpRule } from '../src/tape.js';
import type { Lanes } from '../src/lanes.js';

describe('engine vs hyper-dual oracle on random expression DAGs', () => {
  it('value, ∇f, H·v (gradAndHvp), ∇f·v (jvp) and the full Hessian agree to 1e-12 on 1200 DAGs', () => {
    const stats = { compared: 0, kink: 0, nonFinite: 0, loosened: 0 };
    fc.assert(
      fc.property(caseArb(20), ({ expr, x, v }) => {
        const out = compareWithOracle(expr, x, v, true);
        if (out.skipped === 'kink') stats.kink++;
        else if (out.skipped === 'non-finite') stats.nonFinite++;
        else stats.compared++;
        if (out.loosened) stats.loosened++;
      }),
      { numRuns: 1200, seed: 0x5eed_7 },
    );
    // The test must actually compare: skips and loosened bounds stay rare.
    expect(stats.compared).toBeGreaterThanOrEqual(1100);
    expect(stats.loosened).toBeLessThanOrEqual(60);
  });

  it('at points with exact special coordinates (0, ±1, 2, ±½), where the engine has special cases (600 DAGs)', () => {
    // Uniform random points never hit an exponent of exactly 0 or a base of exactly 1: this property
    // found the pow(a, b) mixed-partial bug at b = 0 (see regressions.test.ts).
    const stats = { compared: 0 };
    fc.assert(
      fc.property(caseArb(20, { special: true }), ({ expr, x, v }) => {
        if (compareWithOracle(expr, x, v, true).skipped === null) stats.compared++;
      }),
      { numRuns: 600, seed: 0x5eed_8 },
    );
    expect(stats.compared).toBeGreaterThanOrEqual(540);
  });

  it('the same at fresh seeds each run (400 DAGs; fast-check prints the seed and the shrunk program on failure)', () => {
    fc.assert(
      fc.property(caseArb(20), ({ expr, x, v }) => {
        compareWithOracle(expr, x, v, true);
      }),
      { numRuns: 400 },
    );
  });
});

describe('the differential test catches planted bugs', () => {
  // Mutation check: hide the inputs' tangents R{x} from one op's backward rule, which drops exactly the
  // second-order terms (f″·R{x}, the cross terms of mul and matmul) that a hand-written R-backward most
  // often forgets. First derivatives stay right, so only a second-order oracle can see it.
  const nonlinear = ['tanh', 'exp', 'sigmoid', 'softplus', 'log', 'sqrt', 'sin', 'square', 'mul', 'div', 'pow', 'matmul', 'dot', 'log1p', 'cos'];
  // (maximum, minimum, relu, abs are piecewise linear: their second partials are 0, nothing to drop.)

  for (const name of nonlinear) {
    it(`dropping ${name}'s second-order terms is detected`, () => {
      const restore = plantBug(name);
      try {
        const result = fc.check(
          fc.property(caseArb(20), ({ expr, x, v }) => {
            compareWithOracle(expr, x, v, false);
          }),
          { numRuns: 2000, seed: 1234, endOnFailure: true },
        );
        expect(result.failed, `a missing second-order term in ${name} went unnoticed`).toBe(true);
      } finally {
        restore();
      }
    });
  }
});

/** Patches every rule named `name` so its backward sees zero input tangents; returns the undo. */
function plantBug(name: string): () => void {
  const undo: Array<() => void> = [];
  for (let code = 0; ruleOf(code) !== undefined; code++) {
    const rule = ruleOf(code);
    if (rule.name !== name) continue;
    const original = rule.backward;
    const patched: OpRule['backward'] = (o, L, i) => {
      const inputs = new Set(L.tape.inputsOf(i));
      // The same lanes, except that the inputs' tangents read as zero (either way a rule reads them):
      // R{local derivative} is lost.
      const blind: Lanes = Object.create(L, {
        dot: { value: (j: number) => (inputs.has(j) ? 0 : L.dot(j)) },
        fusedDot: { value: (j: number) => (inputs.has(j) ? 0 : L.fusedDot(j)) },
      });
      original.call(rule, o, blind, i);
    };
    (rule as { backward: OpRule['backward'] }).backward = patched;
    undo.push(() => ((rule as { backward: OpRule['backward'] }).backward = original));
  }
  if (undo.length === 0) throw new Error(`no rule named ${name}`);
  return () => undo.forEach((u) => u());
}

describe('the generator covers the language', () => {
  // A differential test is only as good as what it generates: every op, function and mode must occur.
  const programs = fc.sample(rawProgramArb(20), { numRuns: 500, seed: 99 }).map(decode);
  const nodes = programs.flatMap((p) => p.nodes);

  it('every op, unary function, binary function and constant exponent', () => {
    const seen = (pred: (n: Expr['nodes'][number]) => boolean) => nodes.filter(pred).length;
    for (const op of ['x', 'const', 'scalar', 'unary', 'binary', 'sum', 'mean', 'lse', 'softmax', 'matmul', 'dot', 'transpose', 'reshape', 'at', 'slice', 'concat', 'stack', 'where']) {
      expect(seen((n) => n.op === op), op).toBeGreaterThan(10);
    }
    for (const fn of UNARY) expect(seen((n) => n.op === 'unary' && n.fn === fn), fn).toBeGreaterThan(5);
    for (const fn of BINARY) expect(seen((n) => n.op === 'binary' && n.fn === fn), fn).toBeGreaterThan(5);
    for (const p of POW_EXPONENTS) expect(seen((n) => n.op === 'unary' && n.fn === 'pow' && n.p === p), `pow ${p}`).toBeGreaterThan(0);
  });

  it('shared subexpressions, broadcasting, number constants on both sides, mixed scalar/tensor operands', () => {
    const shapes = programs.map(shapesOf);
    let shared = 0, usedThrice = 0, broadcast = 0, colRow = 0, numLeft = 0, numRight = 0, mixed = 0, whereScalar = 0, rank3 = 0, axisOps = 0, keepDims = 0;
    programs.forEach((p, k) => {
      const s = shapes[k];
      const uses = new Map<number, number>();
      const ref = (a: { ref: number } | { num: number }) => ('ref' in a ? a.ref : -1);
      p.nodes.forEach((n) => {
        const refs: number[] = [];
        if ('a' in n) refs.push(typeof n.a === 'number' ? n.a : ref(n.a));
        if ('b' in n) refs.push(typeof n.b === 'number' ? n.b : ref(n.b));
        if ('parts' in n) refs.push(...n.parts);
        refs.filter((r) => r >= 0).forEach((r) => uses.set(r, (uses.get(r) ?? 0) + 1));
        if (n.op === 'binary') {
          if ('num' in n.a) numLeft++;
          if ('num' in n.b) numRight++;
          if ('ref' in n.a && 'ref' in n.b) {
            const [sa, sb] = [s[n.a.ref], s[n.b.ref]];
            if (sa && sb && JSON.stringify(sa) !== JSON.stringify(sb)) broadcast++;
            // An outer broadcast: a rank-2 result that neither operand's shape equals (column against row).
            const out = s[p.nodes.indexOf(n)];
            if (sa && sb && out && out.length === 2 && out.join() !== sa.join() && out.join() !== sb.join()) colRow++;
            if ((sa === null) !== (sb === null)) mixed++;
          }
        }
        if (n.op === 'where' && [n.a, n.b].some((a) => 'num' in a || s[a.ref] === null)) whereScalar++;
        if ((n.op === 'sum' || n.op === 'mean' || n.op === 'lse') && n.axis !== undefined) {
          axisOps++;
          if (n.keepDims) keepDims++;
        }
      });
      if ([...uses.values()].some((c) => c >= 2)) shared++;
      if ([...uses.values()].some((c) => c >= 3)) usedThrice++;
      if (s.some((sh) => sh !== null && sh.length === 3)) rank3++;
    });
    expect(shared).toBeGreaterThan(250);
    expect(usedThrice).toBeGreaterThan(100);
    expect(broadcast).toBeGreaterThan(100);
    expect(colRow).toBeGreaterThan(30);
    expect(numLeft).toBeGreaterThan(50);
    expect(numRight).toBeGreaterThan(50);
    expect(mixed).toBeGreaterThan(50);
    expect(whereScalar).toBeGreaterThan(20);
    expect(rank3).toBeGreaterThan(10);
    expect(axisOps).toBeGreaterThan(50);
    expect(keepDims).toBeGreaterThan(20);
  });
});

/** The shape of every node by evaluating the oracle at a point (null for an engine scalar). */
function shapesOf(p: Expr): Array<readonly number[] | null> {
  // Engine scalars: at, dot, full reductions, scalar constants, and unary/binary of scalars only.
  const out: Array<readonly number[] | null> = [];
  const shapeOfArg = (a: { ref: number } | { num: number }) => ('num' in a ? null : out[a.ref]);
  const bshape = (a: readonly number[] | null, b: readonly number[] | null): readonly number[] | null => {
    if (a === null && b === null) return null;
    const x = a ?? [], y = b ?? [];
    const r = Math.max(x.length, y.length);
    return Array.from({ length: r }, (_, k) => {
      const da = x[x.length - r + k] ?? 1, db = y[y.length - r + k] ?? 1;
      return da === 1 ? db : da;
    });
  };
  for (const n of p.nodes) {
    switch (n.op) {
      case 'x': out.push([p.n]); break;
      case 'const': out.push(n.shape); break;
      case 'scalar': case 'at': case 'dot': out.push(null); break;
      case 'unary': out.push(out[n.a]); break;
      case 'binary': out.push(bshape(shapeOfArg(n.a), shapeOfArg(n.b))); break;
      case 'sum': case 'mean': case 'lse': {
        const s = out[n.a]!;
        if (n.axis === undefined) out.push(null);
        else {
          const ax = n.axis < 0 ? n.axis + s.length : n.axis;
          out.push(n.keepDims ? s.map((d, k) => (k === ax ? 1 : d)) : s.filter((_, k) => k !== ax));
        }
        break;
      }
      case 'softmax': case 'transpose': out.push(n.op === 'transpose' && out[n.a]!.length === 2 ? [out[n.a]![1], out[n.a]![0]] : out[n.a]); break;
      case 'matmul': {
        const a = out[n.a]!, b = out[n.b]!;
        out.push([...(a.length === 2 ? [a[0]] : []), ...(b.length === 2 ? [b[1]] : [])]);
        break;
      }
      case 'reshape': {
        const size = out[n.a]!.reduce((q, d) => q * d, 1);
        const known = n.shape.filter((d) => d !== -1).reduce((q, d) => q * d, 1);
        out.push(n.shape.map((d) => (d === -1 ? size / known : d)));
        break;
      }
      case 'slice': out.push(out[n.a]!.map((d, k) => (k === n.axis ? n.end - n.start : d))); break;
      case 'concat': {
        const s = out[n.parts[0]]!;
        const ax = n.axis < 0 ? n.axis + s.length : n.axis;
        out.push(s.map((d, k) => (k === ax ? n.parts.reduce((t, q) => t + out[q]![ax], 0) : d)));
        break;
      }
      case 'stack': {
        const s = out[n.parts[0]] ?? [];
        const ax = n.axis < 0 ? n.axis + s.length + 1 : n.axis;
        out.push([...s.slice(0, ax), n.parts.length, ...s.slice(ax)]);
        break;
      }
      case 'where': out.push(n.maskShape); break;
    }
  }
  return out;
}
