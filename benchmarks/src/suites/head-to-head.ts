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
  const rounds = task.quick ? ROUNDS.quick : ROUNDS.full;
  const seconds = task.quick ? WINDOW_SECONDS.quick : WINDOW_SECONDS.full;
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
      result.push(fused ? { first, dualtape: plain, jax: theirs, fma: fused } : { first, dualtape: plain, jax: theirs });
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
