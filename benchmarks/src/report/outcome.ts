/** What the report is made from: each task's outcome and the machine it ran on. */
import type { JaxCpuSetup, Size, Task } from '../lib/protocol.js';
import { cell } from './format.js';

export interface Outcome {
  readonly task: Task;
  readonly result?: unknown;
  readonly error?: string;
  readonly seconds: number;
}

export interface Environment {
  readonly command: string;
  readonly date: string;
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGB: number;
  readonly node: string;
  readonly loadAverage: string;
  readonly commit: string;
  readonly peers: Record<string, string>;
  /** Absent in results saved before JAX CPU was added. */
  readonly jaxCpu?: JaxCpuSetup;
  readonly wallSeconds: number;
  readonly quick: boolean;
}

export const sameSize = (a: Size, b: Size) => a.every((x, i) => x === b[i]);

/** A quoted line per failed task matching `pred`: failures are reported, never dropped. */
export function failure(outcomes: readonly Outcome[], pred: (t: Task) => boolean): string[] {
  return outcomes.filter((o) => pred(o.task) && o.error !== undefined).map((o) => `> **suite failed** (${JSON.stringify(o.task)}): ${cell(o.error!.split('\n').slice(0, 3).join(' '))}`);
}
