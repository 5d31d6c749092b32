/**
 * Differential test against JAX, dualtape's side: every case of ./cases.ts (each differentiable op with
 * a few argument variants: shapes with broadcasting, axes, keepDims, domains away from kinks and
 * poles) as f(x) = Σ w ⊙ op(x), with value, grad, gradAndHvp, hvp, jvp, hessian, jacobian, vjp and
 * third- and fourth-order nestings, written to JSON for ./oracle.py, which computes the same with JAX
 * float64 and flags differences. Not part of `pnpm test` or `pnpm bench` (it needs JAX); from
 * benchmarks/:
 *   node --conditions=@dualtape/source --import tsx jax/differential/run.ts [all|NAME-FILTER] [OUT.json]
 *   ../.venv/bin/python jax/differential/oracle.py OUT.json [NAME-FILTER]
 */
import * as dt from '@dualtape/core';
import { cases } from './cases.js';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
let seed = 12345;
const rnd = () => { seed |= 0; seed = (seed + 0x6D2B79F5) | 0; let t = Math.imul(seed ^ (seed >>> 15), 1 | seed); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
const normal = () => { const u = rnd() || 1e-12, v = rnd(); return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v); };
const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
function gen(dom: string, shape: number[]): number[] {
  const n = size(shape);
  const a: number[] = [];
  const mat = (f: (k: number) => number[]) => { const m = shape[shape.length - 1]; const nb = n / (m * m); for (let b = 0; b < nb; b++) a.push(...f(m)); };
  switch (dom) {
    case 'spd': mat((m) => { const B = Array.from({ length: m * m }, normal); const A: number[] = [];
      for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) { let s = 0; for (let k = 0; k < m; k++) s += B[i * m + k] * B[j * m + k]; A.push(s / m + (i === j ? 1 : 0)); } return A; }); return a;
    case 'wc': mat((m) => Array.from({ length: m * m }, (_, k) => 0.5 * normal() + (Math.floor(k / m) === k % m ? 2 : 0))); return a;
    case 'tri': mat((m) => Array.from({ length: m * m }, (_, k) => 0.5 * normal() + (Math.floor(k / m) === k % m ? (rnd() < 0.5 ? -1.5 : 1.5) : 0))); return a;
  }
  for (let i = 0; i < n; i++) {
    const U = rnd(); let x: number;
    switch (dom) {
      case 'n': x = normal(); break;
      case 'nz': x = (rnd() < 0.5 ? -1 : 1) * (0.3 + 1.5 * U); break;
      case 'pos': x = 0.5 + 2 * U; break;
      case 'neg': x = -(0.3 + 2 * U); break;
      case 'unit': x = -0.9 + 1.8 * U; break;
      case 'gt1': x = 1.2 + 2 * U; break;
      case 'prob': x = 0.1 + 0.8 * U; break;
      case 'probedge': x = rnd() < 0.5 ? 1e-3 * (1 + U) : 1 - 1e-3 * (1 + U); break;
      case 'negnonint': x = -Math.floor(4 * rnd()) - 0.2 - 0.6 * U; break;
      case 'big': x = 3 + 20 * U; break;
      case 'bigneg': x = -(3 + 30 * U); break;
      case 'bigpm': x = (rnd() < 0.5 ? -1 : 1) * (5 + 40 * U); break;
      case 'large': x = 10 + 1000 * U; break;
      case 'small': x = 1e-3 + 0.05 * U; break;
      case 'tiny': x = (rnd() < 0.5 ? -1 : 1) * 1e-6 * (1 + U); break;
      case 'near1': x = 1 + 1e-4 * (1 + U); break;
      case 'near1m': x = (rnd() < 0.5 ? -1 : 1) * (1 - 1e-4 * (1 + U)); break;
      case 'gtm1': x = -0.8 + 3 * U; break;
      case 'wide': x = -4 + 12 * U; break;
      case 'lo': x = -0.6 + 0.4 * normal() * 0.3; break;
      case 'hi': x = 0.6 + 0.4 * normal() * 0.3; break;
      case 'withzero': x = i === 2 ? 0 : normal(); break;
      default: throw new Error('dom ' + dom);
    }
    a.push(x);
  }
  return a;
}
const arr = (r: any): any => r instanceof Float64Array ? Array.from(r) : typeof r === 'number' ? r : r && r.value !== undefined ? arr(r.value) : r;
const jnum = (x: any): any => Array.isArray(x) ? x.map(jnum) : (typeof x === 'number' && !Number.isFinite(x) ? String(x) : x);
const only = process.argv[2] && process.argv[2] !== 'all' ? process.argv[2] : undefined;
const out: any[] = [];
for (const cs of cases) {
  if (only && !cs.name.includes(only)) continue;
  const sizes = cs.shapes.map(size); const n = sizes.reduce((a, b) => a + b, 0);
  const xs: number[] = []; cs.shapes.forEach((s, i) => xs.push(...gen(cs.doms[i], s)));
  const v = Array.from({ length: n }, normal), u = Array.from({ length: n }, normal);
  const splitX = (x: any) => { const parts: any[] = []; let o = 0; cs.shapes.forEach((s, i) => { parts.push(dt.reshape(dt.slice(x, o, o + sizes[i]), s)); o += sizes[i]; }); return parts; };
  const g = (x: any) => cs.fn(...splitX(x));
  const rec: any = { name: cs.name, shapes: cs.shapes, x: xs, v, u, res: {}, err: {} };
  let outShape: number[] = []; let isT = false;
  try { dt.grad((x: any) => { const y = g(x); isT = y instanceof dt.Tensor; outShape = isT ? [...y.shape] : []; return dt.sum(y as any); })(new Float64Array(xs)); }
  catch (e: any) { rec.err.shape = `${e?.constructor?.name}: ${e?.message}`; out.push(rec); continue; }
  rec.outShape = outShape;
  const w = Array.from({ length: size(outShape) }, normal); rec.w = w;
  const wT = () => dt.tensor(w, outShape);
  const f = (x: any) => { const y = g(x); return y instanceof dt.Tensor ? dt.sum(dt.mul(y, wT())) : (y as any).mul(w[0]); };
  const X = () => new Float64Array(xs);
  const tryq = (k: string, fn: () => any) => { try { rec.res[k] = jnum(arr(fn())); } catch (e: any) { rec.err[k] = `${e?.constructor?.name}: ${e?.message}`.slice(0, 400); } };
  tryq('value', () => dt.valueAndGrad(f)(X()).value);
  tryq('grad', () => dt.grad(f)(X()));
  tryq('gah', () => { const r = dt.gradAndHvp(f, X(), new Float64Array(v)); return [r.value, ...Array.from(r.grad), ...Array.from(r.hvp)]; });
  tryq('hvp', () => dt.hvp(f, X(), new Float64Array(v)));
  tryq('jvp', () => dt.jvp(f, X(), new Float64Array(v)).tangent);
  if (n <= 30) tryq('hessian', () => dt.hessian(f, X()));
  if (n * size(outShape) <= 3000) {
    tryq('jacobian', () => dt.jacobian((x: any) => { const y = g(x); return y instanceof dt.Tensor ? dt.reshape(y, [size(outShape)]) : y; }, X()));
    tryq('vjp', () => { const r = dt.vjp((x: any) => g(x), X()); return (r as any).pullback(isT ? new Float64Array(w) : w[0]); });
  }
  const uT = () => dt.tensor(u);
  tryq('t3_grad_of_hvp', () => dt.grad((x: any) => dt.dot(dt.reshape(dt.hvp(f, x, new Float64Array(v)) as any, [n]), uT()))(X()));
  tryq('t3_hvp_of_grad', () => dt.hvp((x: any) => dt.dot(dt.reshape(dt.grad(f)(x) as any, [n]), uT()), X(), new Float64Array(v)));
  tryq('t3_jvp_gah', () => dt.jvp((x: any) => dt.dot(dt.reshape((dt.gradAndHvp(f, x, new Float64Array(v)) as any).hvp, [n]), uT()), X(), new Float64Array(u)).tangent);
  if (n <= 12) tryq('t4_hvp_hvp', () => dt.hvp((x: any) => dt.dot(dt.reshape(dt.hvp(f, x, new Float64Array(v)) as any, [n]), uT()), X(), new Float64Array(u)));
  out.push(rec);
}
const target = process.argv[3] ?? path.join(os.tmpdir(), 'dualtape-differential.json');
writeFileSync(target, JSON.stringify(out));
console.log(`wrote ${target}`);
console.log('cases', out.length, 'errors:');
for (const r of out) for (const [k, e] of Object.entries(r.err)) console.log(' ', r.name, k, e);
