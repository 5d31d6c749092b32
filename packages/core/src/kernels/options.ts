// The run-time check of setKernelBackend's options, through the shared checkOptions (../options.ts):
// an unknown key, a wrong type or a value out of range is an OptionError naming the valid ones.
import { checkOptions, option, type OptionsSpec } from '../options.js';

/** What setKernelBackend accepts as options (KernelBackendOptions in ./backend.ts, checked). */
export interface CheckedKernelOptions {
  readonly threads?: number;
  readonly fma?: boolean | 'auto';
}

/**
 * Checks setKernelBackend's `options`: `threads` an integer from 1 to `maxThreads` (twice the cores:
 * more threads than that only wait for each other in the fork-join), `fma` true, false or 'auto'.
 */
export function checkKernelOptions(options: unknown, maxThreads: number, cores: number): CheckedKernelOptions {
  const spec: OptionsSpec<CheckedKernelOptions> = {
    threads: {
      expected: `an integer from 1 to ${maxThreads} (twice the ${cores} core${cores === 1 ? '' : 's'} os.availableParallelism() reports; more threads only wait for each other)`,
      accepts: (v) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= maxThreads,
    },
    fma: option.literal(true, false, 'auto'),
  };
  return checkOptions('setKernelBackend', options as CheckedKernelOptions | undefined, spec);
}
