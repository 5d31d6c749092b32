// The geometry of a 2-D convolution or pooling window over NHWC data: options checked at run time
// (unknown keys, types, ranges), then output sizes and padding resolved as TensorFlow does.
//   'valid'  no padding: out = ⌊(in − d·(f − 1) − 1)/s⌋ + 1
//   'same'   out = ⌈in/s⌉, padded with ⌊total/2⌋ before and the rest after,
//            total = max((out − 1)·s + d·(f − 1) + 1 − in, 0)
//   numbers  explicit padding: [all], [vertical, horizontal] or [top, bottom, left, right]
// A 1-D convolution is a 2-D one of height 1.
import { ArgumentError, ShapeError } from '../errors.js';
import { checkOptions, describeValue, type OptionRule, type OptionsSpec } from '../options.js';
import { checkedSize, formatShape, listOf, type Shape } from '../shape.js';
import type { AvgPoolOptions } from './avg-pool2d.js';

/**
 * Padding of a convolution or pooling window: TensorFlow's two modes, or explicit sizes.
 *
 * @example
 * ```ts
 * conv2d(images, filters, { padding: 'same' });        // output size ⌈in/stride⌉
 * conv2d(images, filters, { padding: [1, 2] });        // 1 row above and below, 2 columns left and right
 * conv2d(images, filters, { padding: [0, 1, 0, 1] });  // top, bottom, left, right
 * ```
 */
export type Padding = 'valid' | 'same' | number | readonly number[];

/**
 * Options of {@link conv2d} and {@link conv1d}. Checked at run time: an unknown key or a value out of
 * range is an error naming it.
 *
 * @example
 * ```ts
 * const options: ConvOptions = { stride: 2, padding: 'same', dilation: 1, groups: 1 };
 * ```
 */
export interface ConvOptions {
  /** Step between windows: one number for every spatial axis, or one per axis ([sh, sw]). Default 1. */
  readonly stride?: number | readonly number[];
  /**
   * `'valid'` (default: windows inside the input), `'same'` (output size ⌈in/stride⌉, zeros padded
   * as TensorFlow does), or explicit zero padding: a number for every side, `[vertical, horizontal]`,
   * or `[top, bottom, left, right]` (for conv1d `[p]` or `[left, right]`).
   */
  readonly padding?: Padding;
  /** Spacing between the filter's taps (atrous convolution): a number or one per axis. Default 1. */
  readonly dilation?: number | readonly number[];
  /** Channel groups: input and output channels split into this many independent convolutions. Default 1. */
  readonly groups?: number;
}

/**
 * Options of {@link maxPool2d} and {@link avgPool2d}, checked at run time.
 *
 * @example
 * ```ts
 * const options: PoolOptions = { stride: 2, padding: 'valid' };
 * ```
 */
export interface PoolOptions {
  /** Step between windows: a number or [sh, sw]. Default: the window size (windows do not overlap). */
  readonly stride?: number | readonly number[];
  /**
   * As for {@link ConvOptions.padding}. Padded positions never win a max, and are left out of an
   * average's count unless {@link AvgPoolOptions.countPadding} says otherwise.
   */
  readonly padding?: Padding;
}

/** Everything a convolution's kernels need: NHWC input, HWIO filter, NHWC output. */
export interface ConvGeometry {
  readonly n: number;
  readonly h: number;
  readonly w: number;
  /** Input channels. */
  readonly c: number;
  readonly oh: number;
  readonly ow: number;
  /** Output channels. */
  readonly k: number;
  readonly fh: number;
  readonly fw: number;
  readonly sh: number;
  readonly sw: number;
  readonly dh: number;
  readonly dw: number;
  /** Zero rows above and columns left of the input. */
  readonly top: number;
  readonly left: number;
  readonly groups: number;
}

/** An integer list (listOf: a plain or a typed array), its elements checked by the rule. */
const isList = (v: unknown): v is unknown[] => listOf(v) !== null;
const isCount = (v: unknown, min: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min;

function perAxisRule(axes: number, min: number, what: string): OptionRule {
  const lengths = axes === 1 ? 'a 1-element array' : `an array of ${axes}`;
  return {
    expected: `an integer ≥ ${min} or ${lengths} of them (${what})`,
    accepts: (v) => isCount(v, min) || (isList(v) && v.length === axes && v.every((e) => isCount(e, min))),
  };
}

function paddingRule(axes: number): OptionRule {
  const lengths = axes === 1 ? [1, 2] : [1, 2, 4];
  return {
    expected: `'valid', 'same', an integer ≥ 0, or an array of ${lengths.join(', ').replace(/, (\d)$/, ' or $1')} integers ≥ 0`,
    accepts: (v) => v === 'valid' || v === 'same' || isCount(v, 0) || (isList(v) && lengths.includes(v.length) && v.every((e) => isCount(e, 0))),
  };
}

function convSpec(axes: number): OptionsSpec<ConvOptions> {
  return {
    stride: perAxisRule(axes, 1, 'the step between windows'),
    padding: paddingRule(axes),
    dilation: perAxisRule(axes, 1, 'the spacing of the filter taps'),
    groups: { expected: 'an integer ≥ 1', accepts: (v) => isCount(v, 1) },
  };
}

/** The checks of {@link PoolOptions}; avgPool2d extends them with its own option. */
export function poolSpec(): OptionsSpec<PoolOptions> {
  return { stride: perAxisRule(2, 1, 'the step between windows'), padding: paddingRule(2) };
}

/** [along height, along width] from a number, [v] (1-D: height 1), or [h, w]. */
function pair(v: number | readonly number[], axes: number, fallback: number): [number, number] {
  if (axes === 1) return [fallback, typeof v === 'number' ? v : v[0]];
  return typeof v === 'number' ? [v, v] : [v[0], v[1]];
}

/** Resolves padding to [top, bottom, left, right] and the output size along each axis. */
function resolve(
  opName: string, padding: Padding, axes: number,
  size: [number, number], window: [number, number], stride: [number, number], dilation: [number, number],
): { pads: [number, number, number, number]; out: [number, number] } {
  const span = [dilation[0] * (window[0] - 1) + 1, dilation[1] * (window[1] - 1) + 1];
  let pads: [number, number, number, number];
  if (padding === 'valid') pads = [0, 0, 0, 0];
  else if (padding === 'same') {
    pads = [0, 0, 0, 0];
    for (const a of [0, 1]) {
      const out = Math.ceil(size[a] / stride[a]);
      const total = Math.max((out - 1) * stride[a] + span[a] - size[a], 0);
      pads[2 * a] = Math.floor(total / 2);
      pads[2 * a + 1] = total - Math.floor(total / 2);
    }
  } else {
    const p = typeof padding === 'number' ? [padding] : padding;
    if (axes === 1) pads = [0, 0, p[0], p.length === 2 ? p[1] : p[0]];
    else if (p.length === 1) pads = [p[0], p[0], p[0], p[0]];
    else if (p.length === 2) pads = [p[0], p[0], p[1], p[1]];
    else pads = [p[0], p[1], p[2], p[3]];
  }
  // An empty axis gives an empty result, as JAX's conv_general_dilated and reduce_window (no window
  // fits, and none is missing); a non-empty axis too short for the window stays an error (TF's).
  const out = [0, 1].map((a) => Math.max(0, Math.floor((size[a] + pads[2 * a] + pads[2 * a + 1] - span[a]) / stride[a]) + 1)) as [number, number];
  if ((out[0] < 1 && size[0] > 0) || (out[1] < 1 && size[1] > 0)) {
    const dims = axes === 1 ? `length ${size[1]}` : `${size[0]}×${size[1]}`;
    const win = axes === 1 ? `${span[1]}` : `${span[0]}×${span[1]}`;
    // Each op's own terms: conv1d's padding is [left, right], and pools have no dilation.
    const shownPads = axes === 1 ? [pads[2], pads[3]] : pads;
    const dilated = dilation[0] > 1 || dilation[1] > 1 ? ' (dilation included)' : '';
    throw new ShapeError(`${opName}: the window spans ${win}${dilated} but the input is only ${dims} plus padding ${JSON.stringify(shownPads)}; use a smaller window or more padding`);
  }
  return { pads, out };
}

/**
 * Geometry of a convolution of x ([N, H, W, C]) with filters ([fh, fw, C/groups, K]), after checking
 * the options (`axes` = 1 for conv1d: H = fh = 1, and the options are 1-D).
 */
export function convGeometry(opName: string, xs: Shape, fs: Shape, options: ConvOptions | undefined, axes: 1 | 2): ConvGeometry {
  const o = checkOptions(opName, options, convSpec(axes));
  const [n, h, w, c] = xs;
  const [fh, fw, cg, k] = fs;
  const groups = o.groups ?? 1;
  const shapes = axes === 1 ? `input ${formatShape([n, w, c])} and filters ${formatShape([fw, cg, k])}` : `input ${formatShape(xs)} and filters ${formatShape(fs)}`;
  if (c % groups !== 0 || k % groups !== 0) {
    throw new ShapeError(`${opName}: groups = ${groups} must divide the input channels (${c}) and the output channels (${k}); ${shapes}`);
  }
  if (cg * groups !== c) {
    throw new ShapeError(`${opName}: the filters take ${cg} input channels per group but the input has ${c} channels in ${groups} group(s), ${c / groups} each; ${shapes}`);
  }
  if (fh < 1 || fw < 1) throw new ShapeError(`${opName}: the filters have an empty window; ${shapes}`);
  const stride = pair(o.stride ?? 1, axes, 1);
  const dilation = pair(o.dilation ?? 1, axes, 1);
  const { pads, out } = resolve(opName, o.padding ?? 'valid', axes, [h, w], [fh, fw], stride, dilation);
  checkedSize([n, out[0], out[1], k], opName);
  return { n, h, w, c, oh: out[0], ow: out[1], k, fh, fw, sh: stride[0], sw: stride[1], dh: dilation[0], dw: dilation[1], top: pads[0], left: pads[2], groups };
}

/** A pooling window and its geometry over x ([N, H, W, C]); `size` a number or [h, w]. */
export function poolGeometry(opName: string, xs: Shape, size: number | readonly number[], options: PoolOptions | undefined): ConvGeometry {
  const sizeRule = perAxisRule(2, 1, 'the window');
  if (!sizeRule.accepts(size)) throw new ArgumentError(`${opName}: size is ${describeValue(size)}; expected ${sizeRule.expected}`);
  const o = checkOptions(opName, options, poolSpec());
  const window = pair(size, 2, 1);
  const stride = pair(o.stride ?? window, 2, 1);
  const [n, h, w, c] = xs;
  const { pads, out } = resolve(opName, o.padding ?? 'valid', 2, [h, w], window, stride, [1, 1]);
  checkedSize([n, out[0], out[1], c], opName);
  // Every window must hold at least one input element, or it would have nothing to pool.
  if (Math.max(pads[0], pads[1]) >= window[0] || Math.max(pads[2], pads[3]) >= window[1]) {
    throw new ArgumentError(`${opName}: padding ${JSON.stringify(pads)} must be smaller than the window ${window[0]}×${window[1]} on every side, or some windows would hold padding only`);
  }
  return { n, h, w, c, oh: out[0], ow: out[1], k: c, fh: window[0], fw: window[1], sh: stride[0], sw: stride[1], dh: 1, dw: 1, top: pads[0], left: pads[2], groups: c };
}
