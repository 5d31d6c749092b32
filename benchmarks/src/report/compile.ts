/** The compile section of the report (suites/compile.ts), and its splice for `--only=compile`. */
import type { CompileProblem, CompileResult } from '../suites/compile.js';
import { ms, ratio, sci } from './format.js';
import { failure, type Environment, type Outcome } from './outcome.js';
import { measuredBy, spliceSection } from './splice.js';

const HEADING = '## Record once, replay many: `compile` against re-recording';

/** The targets, by problem and method. */
function target(problem: CompileProblem, method: string): string {
  const rosenbrock = problem.problem.startsWith('extended Rosenbrock');
  if (method.includes('hvpMany')) return '≤ 5 ns / node / direction';
  if (method.includes(' × program.')) return '—';
  if (method.startsWith('compiled')) return rosenbrock ? '≤ 10 ns / node' : '≤ 1.00× hand-written';
  if (method.startsWith('re-recorded') && rosenbrock) return '≤ 25 ns / node';
  return '—';
}

const exactCell = (bitExact: boolean | null) => (bitExact === null ? '—' : bitExact ? 'yes' : '**NO**');

function problemTable(problem: CompileProblem): string[] {
  const out: string[] = [];
  out.push(`### ${problem.problem}: ${problem.n.toLocaleString('en-US')} parameters, ${problem.nodes.toLocaleString('en-US')} recorded nodes`);
  out.push('');
  const network = problem.rows.some((r) => r.handMs !== null);
  if (network) {
    out.push('| method | ms / call | hand-written ms, adjacent | × hand-written | target | rel. error of H·v | bit for bit = gradAndHvp |');
    out.push('|---|---:|---:|---:|---|---:|---|');
    for (const r of problem.rows) {
      out.push(`| ${r.method} | ${ms(r.ms)} | ${ms(r.handMs)} | ${r.handMs ? ratio(r.ms / r.handMs) : '—'} | ${target(problem, r.method)} | ${sci(r.err)} | ${exactCell(r.bitExact)} |`);
    }
  } else {
    out.push('| method | ms / call | ns / recorded node (per direction, k > 1) | target | rel. error of H·v | bit for bit = gradAndHvp |');
    out.push('|---|---:|---:|---|---:|---|');
    for (const r of problem.rows) {
      const perNode = (r.ms * 1e6) / problem.nodes / (r.directions ?? 1);
      out.push(`| ${r.method} | ${ms(r.ms)} | ${perNode.toFixed(1)} | ${target(problem, r.method)} | ${sci(r.err)} | ${exactCell(r.bitExact)} |`);
    }
  }
  out.push('');
  out.push(`H·v checked against ${problem.reference}. \`compile(f, x0)\` itself (recording once, then the first replay, which generates the scalar sweeps): ${ms(problem.compileMs)} ms.`);
  out.push('');
  return out;
}

export function compileSection(env: Environment, outcomes: readonly Outcome[]): string[] {
  const outcome = outcomes.find((o) => o.task.suite === 'compile');
  if (!outcome) return [];
  const out: string[] = [HEADING, ''];
  out.push(measuredBy(env));
  out.push('');
  out.push('`compile(f, x0)` records f once (at other parameters than those timed) and replays the tape at new points: each op\'s primal and tangent rule forward, its dual backward rule in reverse, scalar nodes through sweeps generated from the rules ' +
    '([guide page 8](guide/08-record-once-replay.md)). **re-recorded** is the transform, which runs f again on every call. ' +
    'Each replay is checked in the run: f, ∇f and H·v bit for bit against `gradAndHvp` at the same point (with no re-recording), and H·v against an independent reference. ' +
    'Rows with k directions time one call over all k; hvpMany carries them as k tangent lanes of one forward and one reverse replay (value and ∇f once, tangents and R-adjoints per direction), and its rows are checked bit for bit against gradAndHvp and the k single-direction replays in each direction. ' +
    'Targets are issue 12\'s. On the network, each row is timed between two timings of the hand-written R-propagation, and its ratio divides by their geometric mean.');
  out.push('');
  const result = outcome.result as CompileResult | undefined;
  if (result) for (const problem of result.problems) out.push(...problemTable(problem));
  out.push(...failure(outcomes, (t) => t.suite === 'compile'));
  return out;
}

/** `doc` with its compile section replaced by `lines` (or inserted before "## Reproduce"). */
export function spliceCompileSection(doc: string, lines: readonly string[]): string {
  return spliceSection(doc, (l) => l === HEADING, lines);
}
