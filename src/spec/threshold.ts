/**
 * Thresholds: pass/fail criteria written as short expressions, k6-style, in a scenario
 * (`thresholds: ["p99 < 5ms", "overhead.p99 < 30%", "loss < 0.1%"]`) or on the command line of
 * `netbench compare` (`--threshold "change.p99 < 10%"`). Parsed once, here, into a typed
 * threshold; evaluated against the analysis in ./evaluate.ts. The language is documented in
 * docs/report.md.
 */
import {
  parseBitRate,
  parseBytes,
  parseDuration,
  parsePercent,
  type ParseOutcome,
} from '../core/units.js';
import {
  figureKeys,
  figureTable,
  relativeFigures,
  type FigureKey,
  type FigureUnit,
  type RelativeFigure,
} from './figures.js';
import { closest } from './suggest.js';

/** Any figure of a trial can be checked against an absolute limit. */
export type AbsoluteFigure = FigureKey;
export type ThresholdOperator = '<' | '<=' | '>' | '>=';

/** Where a threshold applies: against the trial itself, its baseline, or the previous run. */
export type ThresholdTarget =
  | { kind: 'absolute'; figure: AbsoluteFigure }
  | { kind: 'overhead'; figure: RelativeFigure }
  | { kind: 'change'; figure: RelativeFigure };

export interface Threshold {
  /** The expression as written. */
  source: string;
  target: ThresholdTarget;
  operator: ThresholdOperator;
  /**
   * The limit in the figure's canonical unit: microseconds for latency, percent for loss,
   * errors, CPU and relative figures, bits/s for throughput, requests/s for rps, bytes for
   * memory.
   */
  limit: number;
  /** Only trials whose dimensions match every key here. */
  where: Record<string, unknown> | undefined;
}

const expression = /^\s*([A-Za-z][\w.()]*)\s*(<=|>=|<|>)\s*(\S.*?)\s*$/;

function normaliseFigureName(name: string): string {
  // Accept k6's p(99) and p99.9 spellings alongside p99 and p999.
  return name
    .replace(/^p\((\d+(?:\.\d+)?)\)$/, 'p$1')
    .replace(/^p99\.9$/, 'p999')
    .toLowerCase();
}

function limitOf(unit: string, raw: string): ParseOutcome<number> {
  switch (unit) {
    case 'duration': {
      const d = parseDuration(raw);
      if (!d.ok) return d;
      if (/^\s*\d+(\.\d+)?\s*$/.test(raw)) {
        return {
          ok: false,
          message: `latency limit ${JSON.stringify(raw)} has no unit`,
          hint: `write it with a unit, e.g. "${raw}ms" or "${raw}us"`,
        };
      }
      return { ok: true, value: d.value * 1e6 };
    }
    case 'percent': {
      if (!raw.trim().endsWith('%')) {
        return {
          ok: false,
          message: `limit ${JSON.stringify(raw)} must be a percentage`,
          hint: `write it with %, e.g. "${raw.trim()}%"`,
        };
      }
      return parsePercent(raw);
    }
    case 'bitrate':
      return parseBitRate(raw);
    case 'bytes':
      return parseBytes(raw);
    default: {
      const n = Number(raw.replace(/\/s$|rps$/, ''));
      return Number.isFinite(n) && n >= 0
        ? { ok: true, value: n }
        : { ok: false, message: `${JSON.stringify(raw)} is not a rate`, hint: 'e.g. "900"' };
    }
  }
}

const allNames = [
  ...figureKeys,
  ...relativeFigures.map((f) => `overhead.${f}`),
  ...relativeFigures.map((f) => `change.${f}`),
];

/**
 * Parses one threshold expression. `context` says where it was written: a scenario may use
 * absolute and `overhead.*` figures; `compare` may use `change.*` figures.
 */
export function parseThreshold(
  source: string,
  context: 'scenario' | 'compare',
  where?: Record<string, unknown>,
): ParseOutcome<Threshold> {
  const m = expression.exec(source);
  if (m === null) {
    return {
      ok: false,
      message: `threshold ${JSON.stringify(source)} is not "<figure> <operator> <limit>"`,
      hint: 'e.g. "p99 < 5ms", "overhead.p99 < 30%", "loss < 0.1%"',
    };
  }
  const name = normaliseFigureName(m[1]!);
  const operator = m[2] as ThresholdOperator;
  const raw = m[3]!;
  const [prefix, rest] = name.includes('.') ? name.split('.', 2) : [undefined, name];
  let target: ThresholdTarget;
  let unit: string;
  if (prefix === 'overhead' || prefix === 'change') {
    if (!(relativeFigures as readonly string[]).includes(rest)) {
      return {
        ok: false,
        message: `"${prefix}.${rest}" is not a figure that can be compared`,
        hint: `use one of: ${relativeFigures.map((f) => `${prefix}.${f}`).join(', ')}`,
      };
    }
    if (context === 'scenario' && prefix === 'change') {
      return {
        ok: false,
        message: `"${name}" compares two runs; in a scenario compare against the baseline`,
        hint: `write "overhead.${rest} ${operator} ${raw}" (and set \`baseline\`), or use change.* with \`netbench compare --threshold\``,
      };
    }
    if (context === 'compare' && prefix === 'overhead') {
      return {
        ok: false,
        message: `"${name}" is a scenario threshold against its baseline`,
        hint: `for \`compare\`, write "change.${rest} ${operator} ${raw}"`,
      };
    }
    target = { kind: prefix, figure: rest as RelativeFigure };
    unit = 'percent';
  } else if (prefix === undefined && rest in figureTable) {
    if (context === 'compare') {
      return {
        ok: false,
        message: `"${name}" is an absolute figure; compare checks changes between runs`,
        hint: `write "change.${rest} ${operator} ${raw}"`,
      };
    }
    target = { kind: 'absolute', figure: rest as AbsoluteFigure };
    unit = figureTable[rest as AbsoluteFigure].unit;
  } else {
    const allowed = allNames.filter((n) =>
      context === 'compare' ? n.startsWith('change.') : !n.startsWith('change.'),
    );
    const near = closest(name, allowed);
    return {
      ok: false,
      message: `unknown figure "${m[1]!}" in threshold ${JSON.stringify(source)}`,
      hint:
        near === undefined
          ? `use one of: ${allowed.join(', ')}`
          : `did you mean "${m[0].replace(m[1]!, near).trim()}"?`,
    };
  }
  const limit = limitOf(unit, raw);
  if (!limit.ok) return limit;
  return {
    ok: true,
    value: { source: source.trim(), target, operator, limit: limit.value, where },
  };
}

/** The unit a threshold's limit and observed values are in. */
export type ThresholdUnit = FigureUnit;

export function thresholdUnit(t: Threshold): ThresholdUnit {
  return t.target.kind === 'absolute' ? figureTable[t.target.figure].unit : 'percent';
}

/** True when `observed` satisfies the threshold's comparison. */
export function satisfies(threshold: Threshold, observed: number): boolean {
  switch (threshold.operator) {
    case '<':
      return observed < threshold.limit;
    case '<=':
      return observed <= threshold.limit;
    case '>':
      return observed > threshold.limit;
    case '>=':
      return observed >= threshold.limit;
  }
}
