/**
 * Sparsity rules of products (dot, matmul, the linear recurrence behind cumprod, convolution) and of
 * ops kept whole (matrix factorizations and solves). A product couples its operands' elements that
 * it multiplies; a constant operand's exact zeros cut the other operand's elements off (0·x = 0 at
 * every x).
 * @module
 */
import { axisView } from '../algebra/numbers.js';
import type { ConvGeometry } from '../ops/conv-geometry.js';
import { broadcastMap, type Shape } from '../shape.js';
import { NOTHING } from './element-graph.js';
import { EMPTY_SET } from './index-sets.js';
import type { SparsityRule } from './elementwise-sparsity.js';
import type { Walk } from './walk.js';

/** Σₖ aₖbₖ. */
export const dot: SparsityRule = (w, i) => {
  const a = w.tape.in0[i], b = w.tape.in1[i];
  const ea = w.elements(a), eb = w.elements(b);
  const av = w.isConstant(a) ? w.values(a) : null, bv = w.isConstant(b) ? w.values(b) : null;
  const m = w.size(a);
  const terms = new Int32Array(2 * m);
  for (let k = 0; k < m; k++) {
    const ha = ea === null || (bv !== null && bv[k] === 0) ? NOTHING : ea[k];
    const hb = eb === null || (av !== null && av[k] === 0) ? NOTHING : eb[k];
    w.cross(ha, hb);
    terms[2 * k] = ha;
    terms[2 * k + 1] = hb;
  }
  w.setRun(i, w.graph.unionOf(terms));
};

interface MatmulSpec {
  readonly a: Shape;
  readonly b: Shape;
  readonly c: Shape;
  readonly ta: boolean;
  readonly tb: boolean;
}

/**
 * C = op(A)·op(B) over broadcast batches: C[i, j] depends on the A[i, l] and B[l, j] it multiplies,
 * and for each l, column l of op(A) meets row l of op(B) (the pairs of Σ_l A[i,l]·B[l,j] over all i, j).
 */
export const matmul: SparsityRule = (w, i) => {
  const t = w.tape;
  const a = t.in0[i], b = t.in1[i];
  const s = t.saved.get(i) as MatmulSpec;
  const ea = w.elements(a), eb = w.elements(b);
  const av = w.isConstant(a) ? w.values(a) : null, bv = w.isConstant(b) ? w.values(b) : null;
  const [ra, ca] = s.a.slice(-2), [rb, cb] = s.b.slice(-2), [m, n] = s.c.slice(-2);
  const k = s.ta ? ra : ca;
  const cBatch = s.c.slice(0, -2);
  const batches = cBatch.reduce((p, d) => p * d, 1);
  const aBatch = broadcastMap(s.a.slice(0, -2), cBatch), bBatch = broadcastMap(s.b.slice(0, -2), cBatch);
  const aAt = (ba: number, r: number, l: number) => ba * ra * ca + (s.ta ? l * ca + r : r * ca + l);
  const bAt = (bb: number, l: number, c: number) => bb * rb * cb + (s.tb ? c * cb + l : l * cb + c);
  const out = new Int32Array(batches * m * n);
  const terms = new Int32Array(2 * k);
  const column = new Int32Array(m), row = new Int32Array(n);
  for (let bc = 0; bc < batches; bc++) {
    const ba = aBatch === null ? bc : aBatch[bc], bb = bBatch === null ? bc : bBatch[bc];
    for (let r = 0; r < m; r++) {
      for (let c = 0; c < n; c++) {
        for (let l = 0; l < k; l++) {
          const ia = aAt(ba, r, l), ib = bAt(bb, l, c);
          terms[2 * l] = ea === null || (bv !== null && bv[ib] === 0) ? NOTHING : ea[ia];
          terms[2 * l + 1] = eb === null || (av !== null && av[ia] === 0) ? NOTHING : eb[ib];
        }
        out[(bc * m + r) * n + c] = w.graph.unionOf(terms);
      }
    }
    if (ea === null || eb === null) continue;
    for (let l = 0; l < k; l++) {
      for (let r = 0; r < m; r++) column[r] = ea[aAt(ba, r, l)];
      for (let c = 0; c < n; c++) row[c] = eb[bAt(bb, l, c)];
      w.pairs.cross(w.graph.setOfAll(column), w.graph.setOfAll(row));
    }
  }
  w.setElements(i, out);
};

/** zₖ = aₖ·zₖ₋₁ + bₖ along an axis (z₀ = b₀): cumprod's recurrence; aₖ meets zₖ₋₁. */
export const linearScan: SparsityRule = (w, i) => {
  const t = w.tape;
  const a = t.in0[i], b = t.in1[i];
  const { axis, reverse } = t.saved.get(i) as { axis: number; reverse: boolean };
  const ea = w.elements(a), eb = w.elements(b);
  const av = w.isConstant(a) ? w.values(a) : null;
  const { outer, n, inner } = axisView(w.shape(i), axis);
  const out = new Int32Array(w.size(i));
  for (let o = 0; o < outer; o++) {
    for (let r = 0; r < inner; r++) {
      let previous = NOTHING;
      for (let step = 0; step < n; step++) {
        const e = o * n * inner + (reverse ? n - 1 - step : step) * inner + r;
        const hb = eb === null ? NOTHING : eb[e];
        if (step > 0) {
          const ha = ea === null ? NOTHING : ea[e];
          w.cross(ha, previous);
          const term = av !== null && av[e] === 0 ? NOTHING : w.graph.union2(ha, previous);
          previous = w.graph.union2(term, hb);
        } else {
          previous = hb;
        }
        out[e] = previous;
      }
    }
  }
  w.setElements(i, out);
};

/**
 * The convolution family (ops/convolution.ts). The forward member with one constant operand (a fixed
 * stencil over x, or a learned filter over fixed data) is linear and exact: an output reads the
 * window it covers. Otherwise every output depends on both operands whole, and they meet whole.
 */
export const convolution: SparsityRule = (w, i) => {
  const t = w.tape;
  const p = t.in0[i], q = t.in1[i];
  const saved = t.saved.get(i) as { geometry: ConvGeometry; slot: 'y' | 'x' | 'w' };
  const ep = w.elements(p), eq = w.elements(q);
  if (saved.slot === 'y' && (ep === null || eq === null)) {
    return w.setElements(i, convWindows(w, saved.geometry, ep, eq, ep === null ? w.values(p) : w.values(q)));
  }
  const P = w.setOfNode(p), Q = w.setOfNode(q);
  w.pairs.cross(P, Q);
  w.setAll(i, w.sets.union2(P, Q, Infinity));
};

/** y[b,oy,ox,kk] = Σ x[b, oy·sh + fy·dh − top, ox·sw + fx·dw − left, cc] · W[fy, fx, cc, kk] with one operand constant. */
function convWindows(w: Walk, g: ConvGeometry, ex: Int32Array | null, eW: Int32Array | null, constant: Float64Array): Int32Array {
  const cg = g.c / g.groups, kg = g.k / g.groups;
  const out = new Int32Array(g.n * g.oh * g.ow * g.k);
  if (ex === null && eW === null) return out;
  const terms = new Int32Array(g.fh * g.fw * cg);
  for (let b = 0; b < g.n; b++) {
    for (let oy = 0; oy < g.oh; oy++) {
      for (let ox = 0; ox < g.ow; ox++) {
        for (let kk = 0; kk < g.k; kk++) {
          const group = Math.floor(kk / kg);
          let count = 0;
          for (let fy = 0; fy < g.fh; fy++) {
            const iy = oy * g.sh + fy * g.dh - g.top;
            if (iy < 0 || iy >= g.h) continue;
            for (let fx = 0; fx < g.fw; fx++) {
              const ix = ox * g.sw + fx * g.dw - g.left;
              if (ix < 0 || ix >= g.w) continue;
              for (let cc = 0; cc < cg; cc++) {
                const xi = ((b * g.h + iy) * g.w + ix) * g.c + group * cg + cc;
                const wi = ((fy * g.fw + fx) * cg + cc) * g.k + kk;
                // The constant operand's exact zeros cut the term off.
                if (ex !== null) { if (constant[wi] !== 0) terms[count++] = ex[xi]; } else if (constant[xi] !== 0) terms[count++] = eW![wi];
              }
            }
          }
          out[((b * g.oh + oy) * g.ow + ox) * g.k + kk] = w.graph.unionOf(terms, 0, count);
        }
      }
    }
  }
  return out;
}

/**
 * Ops kept whole (cholesky, solve, inv, det, …) and ops this walk does not know (user ops): every
 * output depends on every input element, and all of them may meet. Always a superset.
 */
export const whole: SparsityRule = (w, i) => {
  let all = EMPTY_SET;
  for (const x of w.tape.inputsOf(i)) all = w.sets.union2(all, w.setOfNode(x), Infinity);
  w.pairs.square(all);
  w.setAll(i, all);
};
