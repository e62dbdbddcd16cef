/** How figures read in reports: units chosen for people, intervals and verdicts in words. Pure. */
import {
  formatBitRate,
  formatBytes,
  formatMicros,
  formatPercent,
  formatRate,
} from '../core/units.js';
import type { Difference, Estimate, RepetitionsNeeded } from '../stats/estimate.js';
import { maxSuggestedRepetitions } from '../stats/precision.js';
import type { DimensionName, TrialDimensions } from '../spec/dimensions.js';

export { formatBitRate, formatBytes, formatMicros, formatPercent, formatRate };

/** `+12.3%`, `-4.0%` for a fraction (0.123). */
export function formatChange(fraction: number): string {
  const pct = fraction * 100;
  const digits = Math.abs(pct) >= 100 ? 0 : 1;
  return `${pct >= 0 ? '+' : ''}${pct.toFixed(digits)}%`;
}

/** `366µs [353µs, 373µs]`, or the value alone when there is no interval. */
export function formatEstimate(e: Estimate, format: (v: number) => string): string {
  if (e.needed !== undefined) return `${format(e.value)} (${neededText(e.needed)})`;
  if (e.low === undefined || e.high === undefined) return format(e.value);
  return `${format(e.value)} [${format(e.low)}, ${format(e.high)}]`;
}

/** `+12.3% [+4.1%, +21.0%]` or `+1.2 pp [...]` for absolute differences in percent points. */
export function formatDifference(d: Difference): string {
  const f = d.kind === 'relative' ? formatChange : formatPoints;
  if (d.needed !== undefined) return `${f(d.value)} (${neededText(d.needed)})`;
  if (d.low === undefined || d.high === undefined) return f(d.value);
  return `${f(d.value)} [${f(d.low)}, ${f(d.high)}]`;
}

/** "not enough repetitions: about 40 needed for ±5%": an interval too wide to print as one. */
export function neededText(n: RepetitionsNeeded): string {
  const at = n.repetitions >= maxSuggestedRepetitions ? 'more than' : 'about';
  return `not enough repetitions: ${at} ${n.repetitions} needed for ±${+(n.precision * 100).toFixed(1)}%`;
}

function formatPoints(points: number): string {
  return `${points >= 0 ? '+' : ''}${points.toFixed(Math.abs(points) >= 1 ? 2 : 3)} pp`;
}

/** A verdict in words. */
export function verdictText(d: Difference): string {
  switch (d.verdict) {
    case 'significant':
      return 'significant';
    case 'within-noise':
      return 'within noise';
    case 'unknown':
      return d.covers === 'requests' ? 'no verdict (1 repetition)' : 'no verdict';
  }
}

/** A dimension value as text: strings and numbers as they are, anything else as JSON. */
export function valueText(v: unknown): string {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  // A named value (a service graph) reads as its name, as in trial ids.
  const name = (v as { name?: unknown } | null | undefined)?.name;
  return typeof name === 'string' ? name : JSON.stringify(v);
}

/** The parts of a trial id: the values of the dimensions that vary, joined by "/". */
export function dimensionLabel(
  dimensions: TrialDimensions,
  names: readonly DimensionName[],
): string {
  return names.map((n) => valueText(dimensions[n])).join('/');
}

/** A threshold's observed value or limit in its unit (µs, %, bit/s, requests/s, bytes). */
export function formatThresholdValue(
  unit: 'duration' | 'percent' | 'bitrate' | 'rate' | 'bytes',
  value: number,
  signed = false,
): string {
  switch (unit) {
    case 'duration':
      return formatMicros(value);
    case 'bitrate':
      return formatBitRate(value);
    case 'rate':
      return formatRate(value);
    case 'bytes':
      return formatBytes(value);
    case 'percent':
      return `${signed && value >= 0 ? '+' : ''}${value.toFixed(Math.abs(value) >= 10 ? 1 : 2)}%`;
  }
}
