/** Number and cell formatting shared by the report's sections. */
import type { MethodResult } from '../lib/protocol.js';

export const ms = (x: number | null | undefined) => {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  if (x < 1) return x.toFixed(3);
  if (x < 100) return x.toFixed(2);
  return x.toFixed(0);
};
export const ratio = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : x < 10 ? `${x.toFixed(2)}×` : `${x.toFixed(1)}×`);
export const sci = (x: number | null | undefined) => (x === null || x === undefined ? '—' : x === 0 ? '0' : Number.isNaN(x) ? 'NaN' : x.toExponential(1));
export const mb = (x: number) => (x < 0.05 ? '0.0' : x.toFixed(1));
export const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
export const verdictText = (m: MethodResult) => (m.verdict === 'WRONG' ? '**WRONG**' : m.verdict);
export const flag = (m: MethodResult) => (m.verdict === 'WRONG' ? ' **WRONG**' : m.verdict === 'WRONG (inexact)' ? ' WRONG (inexact)' : m.verdict === 'not run' ? ' not run' : '');
