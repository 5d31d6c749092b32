/**
 * gradAndHvp against JAX CPU, interleaved: the two take turns on the machine in short windows
 * (dualtape, JAX, JAX, dualtape, …), and each round's ratio compares windows seconds apart. The other
 * suites time JAX right after dualtape, up to a minute apart, and one disturbed minute moves a ratio
 * by 2× at the small sizes; here the report gives the median over rounds and their range.
 *
 * This child builds the two-layer problem, checks dualtape's H·v against the reference, writes the
 * same inputs for benchmarks/jax/head_to_head.py, starts it (it checks JAX's H·v and jit-compiles),
 * and then drives both: its own windows in this process, JAX's over the Python process's stdin.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { gradAndHvp, setKernelBackend } from '@dualtape/core';
import { gemmBatch } from '../../../packages/core/src/kernels/backend.js';
import { maxRelDiff } from '../lib/measure.js';
import { flat, reference, twoLayerProblem } from '../lib/problem.js';
import { verdictOf, type Size, type Verdict } from '../lib/protocol.js';
import { sseLoss } from '../two-layer.js';
import { twoLayerInputs, writeInputs } from './jax-cpu.js';

export interface HeadToHeadTask {
  readonly suite: 'head-to-head';
  readonly size: Size;
  readonly python: string;
  readonly script: string;
  readonly quick: boolean;
}

/** One timing window: the fastest and the median call in it (ms), and how many calls it made. */
export interface Window {
  readonly fastestMs: number;
  readonly medianMs: number;
  readonly calls: number;
}

export interface HeadToHeadRound {
  /** Which side had the machine first in this round. */
  readonly first: 'dualtape' | 'jax';
  readonly dualtape: Window;
  readonly jax: Window;
  /**
   * The same call on the fused multiply-add kernels (`setKernelBackend('auto', { fma: true })`, an
   * opt-in on Node 20), timed between the two; absent where relaxed SIMD cannot run.
   */
  readonly fma?: Window;
  /**
   * The first layer's four products alone ({@link layerOneProducts}), default kernels and FMA: a
   * floor under the call's time with these kernels, whatever is done around them.
   */
  readonly floor?: { readonly plain: Window; readonly fma?: Window };
}

export interface HeadToHeadResult {
  readonly suite: 'head-to-head';
  readonly size: Size;
  readonly W: number;
  readonly windowSeconds: number;
  readonly rounds: HeadToHeadRound[];
  /** H·v against the reference (rPropagation): dualtape's and JAX's. */
  readonly err: { readonly dualtape: number; readonly jax: number; readonly fma?: number };
  readonly verdict: { readonly dualtape: Verdict; readonly jax: Verdict; readonly fma?: Verdict };
  readonly jaxVersion: string;
}

/** Rounds and window length: long enough for a few hundred calls at 784-1024, short enough to interleave. */
export const ROUNDS = { full: 8, quick: 4 } as const;
export const WINDOW_SECONDS = { full: 1.5, quick: 0.4 } as const;
/** The products-alone windows: their times vary less than the call's. */
export const FLOOR_SECONDS = { full: 0.5, quick: 0.2 } as const;

/**
 * The products of the first layer that any forward-over-reverse call must make, as gradAndHvp makes
 * them: X·W1ᵀ with its tangent X·V1ᵀ as one gemmBatch, and W1's adjoint δ1ᵀ·X with its R-adjoint
 * R{δ1}ᵀ·X as another (fresh results, operands copied into the kernels' memory as in the call). At
 * 784-256 and 784-1024 they are 97–99% of the call's arithmetic.
 */
export function layerOneProducts([D, H, , N]: Size): () => void {
  const filled = (n: number, phase: number) => Float64Array.from({ length: n }, (_, i) => Math.sin(i * 1.3 + phase) * 0.1);
  const X = filled(N * D, 0), W1 = filled(H * D, 1), V1 = filled(H * D, 2), d1 = filled(N * H, 3), Rd1 = filled(N * H, 4);
  return () => {
    gemmBatch([
      { terms: [{ a: X, b: W1, transB: true }], C: new Float64Array(N * H), m: N, n: H, k: D },
      { terms: [{ a: X, b: V1, transB: true }], C: new Float64Array(N * H), m: N, n: H, k: D },
    ]);
    gemmBatch([
      { terms: [{ a: d1, transA: true, b: X }], C: new Float64Array(H * D), m: H, n: D, k: N },
      { terms: [{ a: Rd1, transA: true, b: X }], C: new Float64Array(H * D), m: H, n: D, k: N },
    ]);
  };
}

function timeWindow(run: () => unknown, seconds: number): Window {
  run();
  const times: number[] = [];
  const end = performance.now() + seconds * 1e3;
  for (;;) {
    const start = performance.now();
    run();
    const now = performance.now();
    times.push(now - start);
    if (now >= end) break;
  }
  times.sort((a, b) => a - b);
  return { fastestMs: times[0], medianMs: times[times.length >> 1], calls: times.length };
}

/** A Python process answering one JSON line per command. */
class PythonPeer {
  private readonly child;
  private readonly lines: AsyncIterator<string>;
  private stderr = '';

  constructor(python: string, script: string, manifest: string) {
    this.child = spawn(python, [script, manifest], { stdio: ['pipe', 'pipe', 'pipe'] });
    // A Python that cannot start (ENOENT) ends stdout; next() then reports this.
    this.child.on('error', (e) => {
      this.stderr += `\n${e.message}`;
    });
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-4000);
    });
    this.lines = createInterface({ input: this.child.stdout })[Symbol.asyncIterator]();
  }

  /** The next line of output as JSON; throws with the end of stderr if the process ended instead. */
  async next<T>(): Promise<T> {
    const { value, done } = await this.lines.next();
    if (done) throw new Error(`head_to_head.py ended without an answer: ${this.stderr.trim().split('\n').slice(-3).join(' | ')}`);
    const parsed = JSON.parse(value) as T & { error?: string };
    if (parsed.error) throw new Error(`head_to_head.py: ${parsed.error}`);
    return parsed;
  }

  async command<T>(line: string): Promise<T> {
    this.child.stdin.write(`${line}\n`);
    return this.next<T>();
  }

  close(): void {
    this.child.stdin.end('quit\n');
    setTimeout(() => this.child.kill('SIGKILL'), 5000).unref();
  }
}

export async function headToHead(task: HeadToHeadTask): Promise<HeadToHeadResult> {
  const problem = twoLayerProblem(task.size);
  const { net, p, v, X, T, N, W } = problem;
  const ref = reference(problem).hvp;
  const f = sseLoss(net, X, T, N);
  const run = () => gradAndHvp(f, p, v);
  const errDualtape = maxRelDiff(flat(run().hvp), ref);
  // The FMA side switches the kernels per window (an explicit fma: false for the default side: once
  // Node 20's relaxed-SIMD flag is on, 'auto' would fuse too). Each window's untimed first call
  // absorbs the switch (new kernel instances, workers restarted).
  const kernels = (fma: boolean) => setKernelBackend('auto', { fma });
  let fmaRuns = true;
  try {
    kernels(true);
  } catch {
    fmaRuns = false;
  }
  const errFma = fmaRuns ? maxRelDiff(flat(run().hvp), ref) : undefined;
  kernels(false);
  const ours = (fma: boolean) => {
    kernels(fma);
    const w = timeWindow(run, seconds);
    kernels(false);
    return w;
  };
  const products = layerOneProducts(task.size);
  const floor = () => {
    const plain = timeWindow(products, floorSeconds);
    if (!fmaRuns) return { plain };
    kernels(true);
    const fused = timeWindow(products, floorSeconds);
    kernels(false);
    return { plain, fma: fused };
  };
  const rounds = task.quick ? ROUNDS.quick : ROUNDS.full;
  const seconds = task.quick ? WINDOW_SECONDS.quick : WINDOW_SECONDS.full;
  const floorSeconds = task.quick ? FLOOR_SECONDS.quick : FLOOR_SECONDS.full;
  const { dir, manifest } = writeInputs('two-layer', task.quick, twoLayerInputs(task.size));
  const jax = new PythonPeer(task.python, task.script, manifest);
  try {
    const ready = await jax.next<{ ready: true; err: number; jax: string }>();
    // One window each, not reported: the first windows after start-up run slow on both sides
    // (JIT tiers, thread pools, memory growth), and the first round would carry it.
    ours(false);
    if (fmaRuns) ours(true);
    await jax.command<Window>(`time ${seconds}`);
    const result: HeadToHeadRound[] = [];
    // ABBA order: neither side always follows the other (whatever the machine did just before); the
    // FMA window, when there is one, sits between them.
    for (let r = 0; r < rounds; r++) {
      const first = r % 2 === 0 ? 'dualtape' : 'jax';
      let plain: Window, fused: Window | undefined, theirs: Window;
      if (first === 'dualtape') {
        plain = ours(false);
        fused = fmaRuns ? ours(true) : undefined;
        theirs = await jax.command<Window>(`time ${seconds}`);
      } else {
        theirs = await jax.command<Window>(`time ${seconds}`);
        fused = fmaRuns ? ours(true) : undefined;
        plain = ours(false);
      }
      // After the round's three windows, so the windows the ratios compare stay adjacent.
      const alone = floor();
      result.push(fused ? { first, dualtape: plain, jax: theirs, fma: fused, floor: alone } : { first, dualtape: plain, jax: theirs, floor: alone });
    }
    return {
      suite: 'head-to-head', size: task.size, W, windowSeconds: seconds, rounds: result,
      err: errFma === undefined ? { dualtape: errDualtape, jax: ready.err } : { dualtape: errDualtape, jax: ready.err, fma: errFma },
      verdict: errFma === undefined
        ? { dualtape: verdictOf(errDualtape, 'float64'), jax: verdictOf(ready.err, 'float64') }
        : { dualtape: verdictOf(errDualtape, 'float64'), jax: verdictOf(ready.err, 'float64'), fma: verdictOf(errFma, 'float64') },
      jaxVersion: ready.jax,
    };
  } finally {
    jax.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
