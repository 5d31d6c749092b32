/**
 * Option rules the package's routines share (internal: not exported from the package index).
 */
import type { OptionRule } from '@dualtape/core';

/** Seeds feed `createRng`, which takes any safe integer (negative and ≥ 2³² included). */
export const SEED_RULE: OptionRule = { expected: 'a safe integer', accepts: (v) => Number.isSafeInteger(v) };
