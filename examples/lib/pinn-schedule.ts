/**
 * The training schedule of Rathore et al. (ICML 2024) for the PINN of `pnpm example pinn`, with the
 * settings of benchmarks/jax/pinn.py: Adam, then L-BFGS from where Adam ended, then trust-region
 * Newton–CG with exact H·v of the loss from where L-BFGS ended. The relative L2 error is checked
 * after every 500 Adam steps and every L-BFGS and Newton–CG iteration (as pinn.py does), off the clock.
 * @module
 */
import { flatten, unflatten, type Pytree } from '@dualtape/core';
import { adam, lbfgs, newtonCG } from '@dualtape/curvature';
import { TrainingClock, type Elapsed } from './pinn-clock.js';
import { pinnLoss, relativeError, type PinnParams, type SecondDerivativeMode } from './pinn-problem.js';

/** How long each stage runs; the defaults are pinn.py's. */
export interface ScheduleSettings {
  readonly adamSteps: number;
  readonly adamLearningRate: number;
  readonly lbfgsMemory: number;
  readonly lbfgsMaxIterations: number;
  readonly newtonMaxIterations: number;
  readonly newtonGradTolerance: number;
  /** The relative L2 error whose first crossing is timed. */
  readonly target: number;
  readonly mode: SecondDerivativeMode;
}

export const PINN_SCHEDULE: ScheduleSettings = {
  adamSteps: 5000,
  adamLearningRate: 1e-3,
  lbfgsMemory: 50,
  lbfgsMaxIterations: 20_000,
  newtonMaxIterations: 1000,
  newtonGradTolerance: 1e-12,
  target: 1e-8,
  mode: 'grad',
};

/** One stage's outcome, as pinn.py reports it. */
export interface StageOutcome {
  readonly stage: 'Adam' | 'L-BFGS' | 'Newton-CG';
  readonly iterations: number;
  /** Time at the end of the stage, since the start of Adam, error checks excluded. */
  readonly at: Elapsed;
  readonly loss: number;
  readonly relL2: number;
  /** Why the stage stopped (the optimizer's reason). */
  readonly reason: string;
  /** Newton–CG only: H·v products spent. */
  readonly hvpCount?: number;
}

export interface ScheduleOutcome {
  readonly params: PinnParams;
  readonly stages: StageOutcome[];
  /** When the relative L2 error first reached the target, or null. */
  readonly reached: Elapsed | null;
  /** The lowest relative L2 error of all checks. */
  readonly lowest: number;
}

/** Runs Adam → L-BFGS → Newton–CG on the PINN loss of a network; `log` receives progress lines. */
export function trainPinn(sizes: readonly number[], params0: PinnParams, settings: ScheduleSettings, log: (line: string) => void): ScheduleOutcome {
  const loss = pinnLoss(sizes, settings.mode);
  const shape = params0 as Pytree;
  const paramsOf = (flat: Float64Array) => unflatten(shape, flat) as PinnParams;
  const clock = new TrainingClock((flat) => relativeError(sizes, paramsOf(flat)), settings.target);
  const stages: StageOutcome[] = [];
  const finish = (stage: StageOutcome['stage'], iterations: number, x: Float64Array, value: number, reason: string, hvpCount?: number) => {
    const relL2 = clock.check(x);
    const at = clock.elapsed();
    stages.push({ stage, iterations, at, loss: value, relL2, reason, ...(hvpCount === undefined ? {} : { hvpCount }) });
    log(`  ${stage.padEnd(9)} ${String(iterations).padStart(6)} iterations${hvpCount === undefined ? '' : ` (${hvpCount} H·v)`}, ` +
      `at ${at.wall.toFixed(2)} s (${at.cpu.toFixed(2)} s CPU): loss ${value.toExponential(2)}, rel. L2 error ${relL2.toExponential(2)} (${reason})`);
  };
  // Every iteration until the target is reached (that crossing is what is timed), then every `every`.
  const progress = (name: string, every: number) => (iteration: number, value: number, x: Float64Array) => {
    if (clock.reached !== null && iteration % every !== 0) return;
    const err = clock.check(x);
    if (iteration % every === 0) log(`    ${name} ${String(iteration).padStart(6)}: loss ${value.toExponential(3)}, rel. L2 error ${err.toExponential(2)}`);
  };

  const adamProgress = progress('Adam', 1000);
  const warm = adam(loss, params0, {
    learningRate: settings.adamLearningRate,
    maxIterations: settings.adamSteps,
    // pinn.py checks after every chunk of 500 compiled steps.
    onIteration: (info) => { if (info.iteration % 500 === 0) adamProgress(info.iteration, info.value, info.x); },
  });
  finish('Adam', warm.iterations, flatten(warm.x), warm.value, warm.reason);

  const lbfgsProgress = progress('L-BFGS', 2000);
  const fine = lbfgs(loss, warm.x, {
    memory: settings.lbfgsMemory,
    maxIterations: settings.lbfgsMaxIterations,
    gradTolerance: 0,
    relativeGradTolerance: 0,
    onIteration: (info) => lbfgsProgress(info.iteration, info.value, info.x),
  });
  finish('L-BFGS', fine.iterations, flatten(fine.x), fine.value, fine.reason);

  const newtonProgress = progress('Newton', 100);
  const newton = newtonCG(loss, fine.x, {
    maxIterations: settings.newtonMaxIterations,
    gradTolerance: settings.newtonGradTolerance,
    relativeGradTolerance: 0,
    onIteration: (info) => newtonProgress(info.iteration, info.value, info.x),
  });
  finish('Newton-CG', newton.iterations, flatten(newton.x), newton.value, newton.reason, newton.hvpCount);

  return { params: newton.x, stages, reached: clock.reached, lowest: clock.lowest };
}
