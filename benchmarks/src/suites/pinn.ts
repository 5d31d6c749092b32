/**
 * The PINN of `pnpm example pinn` (issue 16): what one gradAndHvp of a loss that holds u_xx by nested
 * transforms costs, against the plain gradAndHvp of the same network's data-fit loss and against
 * JAX's `jvp(grad(L))` (benchmarks/jax/pinn.py); and the example's training schedule, timed to a
 * relative L2 error of 1e-8 the way pinn.py times it. The loss, network and schedule are imported
 * from examples/lib so that the suite times exactly what the example trains.
 *
 * Per-call times are taken as pinn.py takes its own: the fastest of several samples, each a run of
 * many calls. Wall and CPU time are both kept: this machine is shared, and CPU time (this process,
 * all threads) is what another job cannot inflate as much.
 */
import { gradAndHvp, hvpOperator, trace, valueAndGrad } from '@dualtape/core';
import { hvpAgainstCentralDifferences } from '../../../examples/lib/pinn-checks.js';
import { NETWORKS, dataFitLoss, initialParams, parameterCount, pinnLoss, randomArray, type PinnParams } from '../../../examples/lib/pinn-problem.js';
import { PINN_SCHEDULE, trainPinn } from '../../../examples/lib/pinn-schedule.js';
import type { PerCall, PinnNetworkResult, PinnResult } from '../lib/protocol.js';

const cpuMicros = (): number => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

/** Fastest wall and CPU µs per call over `samples` runs of `calls` calls (one untimed warm-up run first). */
function perCall(fn: () => unknown, calls: number, samples: number): PerCall {
  for (let k = 0; k < calls; k++) fn();
  let us = Infinity, cpuUs = Infinity;
  for (let s = 0; s < samples; s++) {
    const wall0 = performance.now(), cpu0 = cpuMicros();
    for (let k = 0; k < calls; k++) fn();
    us = Math.min(us, ((performance.now() - wall0) * 1e3) / calls);
    cpuUs = Math.min(cpuUs, (cpuMicros() - cpu0) / calls);
  }
  return { us, cpuUs };
}

/** A direction of the parameters' shape, seeded (the same for every method). */
function directionOf(params: PinnParams): PinnParams {
  let seed = 100;
  return Object.fromEntries(Object.entries(params).map(([k, a]) => [k, randomArray(a.length, seed++)]));
}

function network(sizes: readonly number[], quick: boolean): PinnNetworkResult {
  const params = initialParams(sizes);
  const v = directionOf(params);
  const pinn = pinnLoss(sizes, PINN_SCHEDULE.mode);
  const dataFit = dataFitLoss(sizes);
  const calls = quick ? 20 : 200;
  const samples = quick ? 3 : 9;
  const op = hvpOperator(pinn, params);
  const flatV = new Float64Array(parameterCount(sizes)).fill(0.5);
  const result: PinnNetworkResult = {
    network: sizes.join('-'),
    W: parameterCount(sizes),
    nodes: { pinn: trace(pinn, params, v).rows.length, dataFit: trace(dataFit, params, v).rows.length },
    pinnGradAndHvp: perCall(() => gradAndHvp(pinn, params, v), calls, samples),
    pinnValueAndGrad: perCall(() => valueAndGrad(pinn)(params), calls, samples),
    pinnApply: perCall(() => op.applyFlat(flatV), calls, samples),
    dataFitGradAndHvp: perCall(() => gradAndHvp(dataFit, params, v), calls * 4, samples),
    hvpVsFiniteDifferences: hvpAgainstCentralDifferences(sizes, params, PINN_SCHEDULE.mode).relError,
  };
  if (quick) return result;
  const trained = trainPinn(sizes, params, PINN_SCHEDULE, () => {});
  return {
    ...result,
    training: {
      stages: trained.stages.map((s) => ({
        stage: s.stage, iterations: s.iterations, seconds: s.at.wall, cpuSeconds: s.at.cpu, loss: s.loss, relL2: s.relL2, reason: s.reason,
        ...(s.hvpCount === undefined ? {} : { hvpCount: s.hvpCount }),
      })),
      secondsToTarget: trained.reached?.wall ?? null,
      cpuSecondsToTarget: trained.reached?.cpu ?? null,
      lowestRelL2: trained.lowest,
    },
  };
}

export function pinnSuite(quick: boolean): PinnResult {
  return { suite: 'pinn', target: PINN_SCHEDULE.target, networks: NETWORKS.map((sizes) => network(sizes, quick)) };
}
