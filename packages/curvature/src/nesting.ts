/**
 * The check that the pytree optimizers run at top level (internal: not exported from the package index).
 */
import { NestedTransformError, isNode } from '@dualtape/core';

/**
 * Throws core's `NestedTransformError` when f's value or gradient came back as nodes: core's transforms
 * return nodes exactly when they run inside the function of another transform (`grad`, `compile`, …).
 * An optimizer steps on numbers and records nothing, so no derivative could flow through it there; without
 * this check, flattening the gradient failed with core's advice to read `.value` inside f, which is wrong.
 */
export function refuseNested(where: string, value: unknown, gradient: unknown): void {
  if (!isNode(value) && !holdsNode(gradient)) return;
  throw new NestedTransformError(
    `${where}: called inside the function of another transform (grad, compile, …), where f and its gradient are nodes ` +
      `of that transform; ${where} steps on numbers and records nothing, so no derivative can flow through it. ` +
      `Call ${where} at top level, outside the function of another transform`,
  );
}

/** Whether a pytree has a node among its leaves. */
function holdsNode(tree: unknown): boolean {
  if (isNode(tree)) return true;
  if (typeof tree !== 'object' || tree === null || ArrayBuffer.isView(tree)) return false;
  return Object.values(tree).some(holdsNode);
}
