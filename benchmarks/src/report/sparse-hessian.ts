/** The sparse Hessian section of the report (suites/sparse-hessian.ts), and its splice for `--only=sparse-hessian`. */
import type { SparseHessianResult } from '../suites/sparse-hessian.js';
import { ms, ratio, sci } from './format.js';
import { failure, type Environment, type Outcome } from './outcome.js';
import { measuredBy, spliceSection } from './splice.js';

const HEADING = '## Sparse Hessian: `sparseHessian` against one `gradAndHvp` and against the dense `hessian`';

export function sparseHessianSection(env: Environment, outcomes: readonly Outcome[]): string[] {
  const outcome = outcomes.find((o) => o.task.suite === 'sparse-hessian');
  if (!outcome) return [];
  const out: string[] = [HEADING, ''];
  out.push(measuredBy(env));
  out.push('');
  out.push('`sparseHessian(f, x)` finds the pattern from the tape (nonlinear interaction propagation), star-colors it, and computes one H·v per color ' +
    '(the colors as tangent lanes of one sweep pair over one recording, up to 16 at a time; f is recorded twice in all, once for the pattern). ' +
    'Its time covers all of that. **× gradAndHvp** divides it by one `gradAndHvp(f, x, v)` at the same point (issue 12\'s target: ≤ 20× on extended Rosenbrock at n = 10⁵); ' +
    '**dense / sparse** divides the dense `hessian(f, x)` (n tangent sweeps) by it. Every result is checked in the run: Rosenbrock entry by entry against the closed form (2×2 blocks, all 2n listed), ' +
    'the others against the dense Hessian over all n² entries (an entry missing from the pattern would count in full). ' +
    'Problems: extended Rosenbrock (scalar ops as in the section above; tensor ops with strided slices); banded Σ xᵢ² + Σ_{d=1,2} sin(xᵢxᵢ₊d); arrowhead Σ exp(x₀xᵢ) + Σ xᵢ².');
  out.push('');
  const result = outcome.result as SparseHessianResult | undefined;
  if (result) {
    out.push('| problem | n | nonzeros | colors | sparseHessian ms | gradAndHvp ms | × gradAndHvp | dense hessian ms | dense / sparse | rel. error | checked against |');
    out.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
    for (const r of result.rows) {
      out.push(`| ${r.problem} | ${r.n.toLocaleString('en-US')} | ${r.nonzeros.toLocaleString('en-US')} | ${r.colors} | ${ms(r.sparseMs)} | ${ms(r.gradAndHvpMs)} | ` +
        `${r.gradAndHvpMs === null ? '—' : ratio(r.sparseMs / r.gradAndHvpMs)} | ${ms(r.denseMs)} | ${r.denseMs === null ? '—' : ratio(r.denseMs / r.sparseMs)} | ${sci(r.err)} | ${r.reference} |`);
    }
    out.push('');
  }
  out.push(...failure(outcomes, (t) => t.suite === 'sparse-hessian'));
  return out;
}

/** `doc` with its sparse Hessian section replaced by `lines` (or inserted before "## Reproduce"). */
export function spliceSparseHessianSection(doc: string, lines: readonly string[]): string {
  return spliceSection(doc, (l) => l === HEADING, lines);
}
