/**
 * Safe text for error messages (internal: not exported from the package index). A template literal
 * throws a TypeError on a Symbol (and on an object without a usable `toString`), so every name or
 * value that reaches a message from the caller goes through these.
 */
import { describeValue } from '@dualtape/core';

/** A routine or argument name: strings as they are, anything else described (`a symbol`, `an object`). */
export function label(name: unknown): string {
  return typeof name === 'string' ? name : describeValue(name);
}

/** A received value: numbers as `String` prints them (`NaN`, `1.5`), anything else described. */
export function show(value: unknown): string {
  return typeof value === 'number' ? String(value) : describeValue(value);
}
