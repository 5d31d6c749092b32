/**
 * `pnpm bench`: dualtape side by side with the hand-written R-propagation and the JavaScript peers
 * (tfjs cpu/wasm, jax-js), every H·v checked against rPropagation before it is timed.
 *
 *   pnpm bench                  all suites; writes docs/benchmarks.md and docs/benchmarks-scaling.svg
 *   pnpm bench --quick          the two smaller sizes, no scaling tails; writes benchmarks/dist/ only
 *   pnpm bench --only=a,b       a subset of suites: two-layer, scaling, memory, rosenbrock, hessian, newton, pinn;
 *                               writes benchmarks/dist/benchmarks-subset.md (docs/ keeps the full report)
 *   pnpm bench --only=pinn      the PINN suite alone: replaces only the PINN sections of docs/benchmarks.md
 *   pnpm bench --only=cnn       the CNN suite alone: replaces only the CNN section of docs/benchmarks.md
 *   pnpm bench --only=sparse-hessian  that suite alone: replaces only its section of docs/benchmarks.md
 *   pnpm bench --only=compile   compiled against re-recorded: replaces only its section of docs/benchmarks.md
 *   pnpm bench --only=memory    the memory suite alone (two-layer, deep network with checkpoints): replaces only its sections
 *   pnpm bench --only=hessian   the full Hessian and k-lane rows (with JAX CPU's where available): replaces only that section
 *   pnpm bench --only=head-to-head  gradAndHvp and JAX CPU in alternating windows: replaces only that section
 *   pnpm bench --report-from=F  rewrite the report from the raw results F of an earlier run
 *                               (every run saves them to benchmarks/dist/results[-quick].json)
 *
 * This parent process only orchestrates: each suite runs in a child process (child.ts) started with
 * --expose-gc, one at a time, and sends its result back as JSON over IPC.
 *
 * JAX CPU runs beside every problem when a Python here can import jax (lib/python.ts: .venv/bin/python
 * first, then python3): right after each dualtape suite, a child writes the same inputs to files and
 * times benchmarks/jax/bench.py on them. Without JAX the report says why its column is empty.
 */
import { execSync, fork } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CNN_GROUPS } from './lib/cnn-protocol.js';
import { sizeLabel } from './lib/problem.js';
import { JAX_VARIANTS, TFJS_VARIANTS, type ChildMessage, type JaxCpuProblem, type JaxCpuSetup, type ScalingResult, type Size, type Task } from './lib/protocol.js';
import { findJaxCpu, JAX_INSTALL_HINT } from './lib/python.js';
import { markdownReport, SIZES_FULL, SIZES_QUICK, type Environment, type Outcome } from './report/markdown.js';
import type { PinnResults } from './report/pinn.js';
import { pinnDualtapeSection, spliceSections } from './report/pinn-dualtape.js';
import { pinnSection } from './report/pinn.js';
import { cnnSection, spliceCnnSection } from './report/cnn.js';
import { sparseHessianSection, spliceSparseHessianSection } from './report/sparse-hessian.js';
import { compileSection, spliceCompileSection } from './report/compile.js';
import { checkpointLabel, deepLabel, memorySections, spliceMemorySections } from './report/memory.js';
import { hessianSection, spliceHessianSection } from './report/small-problems.js';
import { headToHeadSection, spliceHeadToHeadSection } from './report/head-to-head.js';
import { CHECKPOINT_EVERY, DEEP_NETWORK, DEEP_NETWORK_QUICK } from './suites/memory.js';
import { scalingSvg } from './report/svg.js';

const args = process.argv.slice(2);
const reportFrom = args.find((a) => a.startsWith('--report-from='))?.slice('--report-from='.length);
const saved = reportFrom ? (JSON.parse(readFileSync(reportFrom, 'utf8')) as { env: Environment; outcomes: Outcome[] }) : undefined;
const quick = saved ? saved.env.quick : args.includes('--quick');
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
const unknown = args.filter((a) => a !== '--quick' && !a.startsWith('--only=') && !a.startsWith('--report-from='));
if (unknown.length) {
  console.error(`pnpm bench: unknown argument(s) ${unknown.join(' ')}; use --quick and/or --only=two-layer,head-to-head,scaling,memory,rosenbrock,hessian,newton,pinn,cnn,sparse-hessian,compile`);
  process.exit(2);
}

const distDir = path.dirname(fileURLToPath(import.meta.url));
const packageDir = path.resolve(distDir, '..');
const rootDir = path.resolve(packageDir, '..');
const childScript = path.join(distDir, 'child.mjs');
const jaxScript = path.join(packageDir, 'jax', 'bench.py');
const headToHeadScript = path.join(packageDir, 'jax', 'head_to_head.py');

function tasks(jax: JaxCpuSetup): Task[] {
  const sizes = quick ? SIZES_QUICK : SIZES_FULL;
  const list: Task[] = [];
  // JAX CPU right after the dualtape suite of the same problem, so both see the same machine load.
  const jaxCpu = (problem: JaxCpuProblem, size?: Size): Task[] =>
    jax.available ? [{ suite: 'jax-cpu', problem, ...(size ? { size } : {}), python: jax.python, script: jaxScript, quick }] : [];
  for (const size of sizes) {
    list.push({ suite: 'two-layer', group: 'dualtape', size, quick }, ...jaxCpu('two-layer', size));
    // One process per peer variant; --quick saves the process start-ups and runs each peer's variants together.
    const split = <V>(all: readonly V[]): V[][] => (quick ? [[...all]] : all.map((v) => [v]));
    for (const group of ['tfjs-cpu', 'tfjs-wasm'] as const) for (const variants of split(TFJS_VARIANTS)) list.push({ suite: 'two-layer', group, variants, size, quick });
    for (const variants of split(JAX_VARIANTS)) list.push({ suite: 'two-layer', group: 'jax-js', variants, size, quick });
  }
  // gradAndHvp and JAX CPU taking turns in short windows (suites/head-to-head.ts).
  if (jax.available) for (const size of sizes) list.push({ suite: 'head-to-head', size, python: jax.python, script: headToHeadScript, quick });
  list.push({ suite: 'scaling', quick });
  for (const size of sizes) for (const method of ['gradAndHvp', 'gradAndHvp, workers started', 'hand-written'] as const) list.push({ suite: 'memory', size, method, quick });
  for (const checkpointEvery of CHECKPOINT_EVERY) list.push({ suite: 'memory', deep: quick ? DEEP_NETWORK_QUICK : DEEP_NETWORK, checkpointEvery, quick });
  list.push({ suite: 'rosenbrock', quick }, ...jaxCpu('rosenbrock'), { suite: 'hessian', quick }, ...jaxCpu('hessian'), { suite: 'newton', quick }, ...jaxCpu('newton'));
  list.push({ suite: 'pinn', quick });
  list.push({ suite: 'sparse-hessian', quick });
  list.push({ suite: 'compile', quick });
  // The CNN's peers take a minute and a half: --quick leaves them out unless named.
  if (!quick || only?.includes('cnn')) for (const group of CNN_GROUPS) list.push({ suite: 'cnn', group, quick });
  // --only names problems: JAX CPU goes with the problem it is timed on.
  return only ? list.filter((t) => only.includes(t.suite === 'jax-cpu' ? t.problem : t.suite)) : list;
}

function describe(task: Task): string {
  switch (task.suite) {
    case 'two-layer': return `two-layer ${sizeLabel(task.size)} ${task.group}${'variants' in task ? ` ${task.variants.join('+')}` : ''}`;
    case 'memory': return 'deep' in task ? `memory ${deepLabel(task.deep)} ${checkpointLabel(task.checkpointEvery)}` : `memory ${sizeLabel(task.size)} ${task.method}`;
    case 'jax-cpu': return `JAX CPU ${task.problem}${task.size ? ` ${sizeLabel(task.size)}` : ''}`;
    case 'cnn': return `cnn ${task.group}`;
    case 'head-to-head': return `head-to-head with JAX CPU ${sizeLabel(task.size)}`;
    default: return task.suite;
  }
}

/** Runs one task in a child process; never rejects (a failure becomes the outcome's error). */
function runChild(task: Task): Promise<Outcome> {
  const start = performance.now();
  const timeoutMs = (quick ? 3 : 30) * 60_000;
  return new Promise((resolve) => {
    let message: ChildMessage | undefined;
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
    };
    const child = fork(childScript, [JSON.stringify(task)], { execArgv: ['--expose-gc'], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('message', (m) => {
      message = m as ChildMessage;
    });
    const timer = setTimeout(() => {
      message ??= { ok: false, error: `timed out after ${timeoutMs / 60_000} min` };
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const seconds = (performance.now() - start) / 1e3;
      if (message?.ok) resolve({ task, result: message.result, seconds });
      else {
        const why = message && !message.ok ? message.error : `child exited with ${signal ?? `code ${code}`} without a result`;
        resolve({ task, error: `${why}${output ? `\n${output.trim().split('\n').slice(-5).join('\n')}` : ''}`, seconds });
      }
    });
  });
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('model name'));
    if (line) return line.split(':')[1].trim();
  } catch {
    // not Linux
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

function peerVersion(name: string): string {
  const file = path.join(packageDir, 'node_modules', name, 'package.json');
  if (!existsSync(file)) return 'not installed';
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

function commit(): string {
  try {
    const hash = execSync('git rev-parse --short HEAD', { cwd: rootDir, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    const dirty = execSync('git status --porcelain', { cwd: rootDir, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() !== '';
    return dirty ? `${hash} (with uncommitted changes)` : hash;
  } catch {
    return 'unknown';
  }
}

async function measureAll(): Promise<{ env: Environment; outcomes: Outcome[] }> {
  const started = performance.now();
  const env0 = {
    command: `pnpm bench${args.length ? ` ${args.join(' ')}` : ''}`,
    date: new Date().toISOString().replace('T', ' ').slice(0, 16) + ' UTC',
    cpu: cpuModel(),
    cores: os.availableParallelism?.() ?? os.cpus().length,
    memoryGB: os.totalmem() / 2 ** 30,
    node: process.version,
    loadAverage: os.loadavg().map((x) => x.toFixed(2)).join(', '),
    commit: commit(),
    peers: Object.fromEntries(['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', '@jax-js/jax'].map((n) => [n, peerVersion(n)])),
    quick,
  };
  const jaxCpu = findJaxCpu(rootDir, jaxScript);
  process.stderr.write(jaxCpu.available ? `JAX CPU: ${jaxCpu.python} (jax ${jaxCpu.versions.jax})\n` : `JAX CPU not run: ${jaxCpu.why}; to add it: ${JAX_INSTALL_HINT}\n`);
  const list = tasks(jaxCpu);
  const outcomes: Outcome[] = [];
  for (const [i, task] of list.entries()) {
    process.stderr.write(`[${i + 1}/${list.length}] ${describe(task)} … `);
    const outcome = await runChild(task);
    outcomes.push(outcome);
    process.stderr.write(`${outcome.error ? 'FAILED' : 'done'} in ${outcome.seconds.toFixed(1)} s\n`);
    if (outcome.error) process.stderr.write(`${outcome.error}\n`);
  }
  const env: Environment = { ...env0, jaxCpu, wallSeconds: (performance.now() - started) / 1e3 };
  writeFileSync(path.join(distDir, quick ? 'results-quick.json' : 'results.json'), JSON.stringify({ env, outcomes }, null, 1));
  return { env, outcomes };
}

const { env, outcomes } = saved ?? (await measureAll());
// The PINN anchor is measured by benchmarks/jax/pinn.py on its own; its saved results are quoted.
const pinnFile = path.join(packageDir, 'jax', 'pinn-results.json');
const pinn = existsSync(pinnFile) ? (JSON.parse(readFileSync(pinnFile, 'utf8')) as PinnResults) : undefined;
// Suites that, run alone, replace only their own sections of docs/benchmarks.md (the splices below).
const SPLICED_ALONE = ['pinn', 'cnn', 'sparse-hessian', 'compile', 'memory', 'hessian', 'head-to-head'];
const docsFile = path.join(rootDir, 'docs', 'benchmarks.md');
// Any other subset would replace the whole report with its few sections: it is written to dist/.
const subset = !quick && only !== undefined && !(only.length === 1 && SPLICED_ALONE.includes(only[0]) && existsSync(docsFile));
const outDir = quick || subset ? distDir : path.join(rootDir, 'docs');
const mdFile = path.join(outDir, quick ? 'benchmarks-quick.md' : subset ? 'benchmarks-subset.md' : 'benchmarks.md');
// The PINN suite alone takes minutes, the whole run a quarter of an hour: alone, it rewrites only its sections.
const pinnAlone = !quick && only?.length === 1 && only[0] === 'pinn' && existsSync(mdFile);
const markdown = pinnAlone
  ? spliceSections(readFileSync(mdFile, 'utf8'), [...pinnSection(pinn), ...pinnDualtapeSection(env, outcomes, pinn)])
  : !quick && only?.length === 1 && only[0] === 'cnn' && existsSync(mdFile)
    ? spliceCnnSection(readFileSync(mdFile, 'utf8'), cnnSection(env, outcomes))
    : !quick && only?.length === 1 && only[0] === 'sparse-hessian' && existsSync(mdFile)
      ? spliceSparseHessianSection(readFileSync(mdFile, 'utf8'), sparseHessianSection(env, outcomes))
      : !quick && only?.length === 1 && only[0] === 'compile' && existsSync(mdFile)
        ? spliceCompileSection(readFileSync(mdFile, 'utf8'), compileSection(env, outcomes))
        : !quick && only?.length === 1 && only[0] === 'memory' && existsSync(mdFile)
          ? spliceMemorySections(readFileSync(mdFile, 'utf8'), memorySections(env, outcomes, true))
          : !quick && only?.length === 1 && only[0] === 'hessian' && existsSync(mdFile)
            ? spliceHessianSection(readFileSync(mdFile, 'utf8'), hessianSection(env, outcomes))
            : !quick && only?.length === 1 && only[0] === 'head-to-head' && existsSync(mdFile)
              ? spliceHeadToHeadSection(readFileSync(mdFile, 'utf8'), headToHeadSection(env, outcomes))
              : markdownReport(env, outcomes, pinn);
mkdirSync(outDir, { recursive: true });
writeFileSync(mdFile, markdown);
const scalingResult = outcomes.find((o) => o.task.suite === 'scaling')?.result as ScalingResult | undefined;
if (scalingResult) {
  const svg = scalingSvg([
    {
      title: 'gradAndHvp: f, ∇f and H·v',
      xLabel: 'W (parameters)',
      yLabel: 'ms per call',
      guideSlope: 1,
      series: [
        { name: 'dualtape gradAndHvp', color: '#1f77b4', points: scalingResult.gradAndHvp.map((p) => [p.W, p.ms] as const) },
        { name: 'hand-written R-prop', color: '#ff7f0e', dashed: true, points: scalingResult.gradAndHvp.map((p) => [p.W, p.handMs ?? NaN] as const) },
      ],
    },
    {
      title: 'hessian: the full W×W matrix',
      xLabel: 'W (parameters)',
      yLabel: 'ms per call',
      guideSlope: 2,
      series: [{ name: 'dualtape hessian', color: '#2ca02c', points: scalingResult.hessian.map((p) => [p.W, p.ms] as const) }],
    },
  ], `two-layer tanh network, log-log axes; ${env.cpu}, Node ${env.node}, ${env.date}${quick ? ' (--quick)' : ''}`);
  writeFileSync(path.join(outDir, quick ? 'benchmarks-quick-scaling.svg' : subset ? 'benchmarks-subset-scaling.svg' : 'benchmarks-scaling.svg'), svg);
}
console.log(markdown);
console.error(`wrote ${path.relative(rootDir, mdFile)}${scalingResult ? ' and the scaling SVG' : ''} in ${(env.wallSeconds / 60).toFixed(1)} min`);
const failed = outcomes.filter((o) => o.error).length;
if (failed) console.error(`${failed} suite(s) failed: see the report`);
