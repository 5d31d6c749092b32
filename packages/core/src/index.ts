/**
 * dualtape: forward-over-reverse automatic differentiation. One forward sweep with tangents ẋ = v and
 * one reverse sweep with dual adjoints give f, ∇f and the exact Hessian-vector product H·v.
 *
 * @example
 * ```ts
 * import { gradAndHvp, type Tensor } from '@dualtape/core';
 * const f = (x: Tensor) => x.tanh().square().sum();
 * const { value, grad, hvp } = gradAndHvp(f, [0.5, -1], [1, 0]);
 * ```
 * @packageDocumentation
 */
export * from './ops/index.js';
export { Scalar, Tensor, tensor, scalar, isNode } from './node.js';
export { arange, eye, full, linspace, oneHot, ones, zeros, type LinspaceOptions } from './constructors.js';
export { RandomKey, randomKey, splitKey, randomUniform, randomNormal, type UniformOptions } from './random.js';
export type { Node, Operand, MaskLike, Combined, Same, ArrayData } from './node.js';
export {
  grad, valueAndGrad, gradAndHvp, hvp, hvpOperator, hvpMany, hessian, DEFAULT_HESSIAN_LANES, jvp, linearize, vjp, jacobian, ggnvp,
} from './transforms.js';
export type {
  NodeTree, Differentiable, TransformOptions, LanesOptions, HvpOperator, GradFunction, ValueAndGradFunction, GradAndHvpResult,
  GradOptions, ArgnumsGradFunction, ArgnumsValueAndGradFunction, ArgnumsGradient, ScalarFunction,
  AuxFunction, AuxOf, AuxValue, AuxGradFunction, AuxValueAndGradFunction, AuxTransformOptions, AuxDifferentiable, JacobianMode, JacobianOptions, JacobianTree, Linearized,
} from './transforms.js';
export type { TapeOptions } from './tape.js';
export { vmap, type VmapOptions, type Batched } from './vmap.js';
export { compile, BranchChangeError } from './compile.js';
export { checkpoint, CheckpointError } from './checkpoint.js';
export type { CheckpointInput } from './checkpoint.js';
export { customJvp, CustomJvpError, type JvpRule } from './custom-jvp.js';
export type { Program, ProgramResult, CompileOptions, Widen } from './compile.js';
export { flatten, unflatten } from './pytree.js';
export type { Pytree, ValueTree, NestedNumbers } from './pytree.js';
export { dual, D } from './dual.js';
export type { Dual } from './dual.js';
export { defineOp } from './define-op.js';
export type { OpDefinition, CustomOp, CustomOpOperands, CustomOpResult, HasTensorOperand, NodeOperandRequired } from './define-op.js';
export type { Algebra, Value, Primitive, Elementwise, Elementwise2, ProductTerm } from './algebra/algebra.js';
export type { Shape } from './shape.js';
export { setKernelBackend, getKernelBackend, initKernels, type KernelBackend, type KernelBackendOptions, type KernelBackendInfo, type InitKernelsOptions } from './kernels/backend.js';
export {
  DualtapeError, ShapeError, StructureError, OutputError, StaleNodeError, NestedTransformError,
  FiniteError, TapeBudgetError, ArgumentError, NodeConversionError, SingularMatrixError, NotPositiveDefiniteError,
} from './errors.js';
export { ReentrantSweepError } from './tape.js';
export { trace, traceFrame, traceLength, formatTrace, formatLane, formatNumber, toDot } from './trace.js';
export type { Trace, TraceRow, TraceRole, TracePush, ReverseStep, TraceOptions, TraceFrame, FrameLanes, Lane, LaneFormat, FormatTraceOptions, DotOptions } from './trace.js';
export * from './options.js';
export { noExtraArguments } from './arity.js';
export { sparseHessian, type SparseHessian, type SparseHessianOptions, type VertexOrder } from './sparse-hessian.js';
