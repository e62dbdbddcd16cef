/**
 * The scenario file: what the user asks netbench to measure. Parsed once into `Scenario`; unknown
 * keys are errors (a typo must not silently fall back to a default).
 */
import { z } from 'zod';
import {
  dimensionNames,
  dimensions,
  type DimensionName,
  type TrialDimensions,
} from './dimensions.js';
import { parseThreshold } from './threshold.js';
import { durationSchema } from './human-units.js';
import { maxCellPatterns } from './input-limits.js';
import { parsePercent } from '../core/units.js';
import { suggestionHint } from './suggest.js';

export const scenarioSchemaVersion = 1;

const dimensionValueSchemas = Object.fromEntries(
  dimensionNames.map((name) => [name, dimensions[name].schema]),
) as { [K in DimensionName]: (typeof dimensions)[K]['schema'] };

/** `matrix`: each dimension takes one value or a list of values to sweep. */
const matrixSchema = z.strictObject(
  Object.fromEntries(
    dimensionNames.map((name) => {
      const one = dimensionValueSchemas[name];
      return [name, z.union([z.array(one).min(1), one]).optional()];
    }),
  ) as unknown as { [K in DimensionName]: z.ZodOptional<z.ZodType<unknown>> },
);

/** A partial cell of the matrix, used by `include` and `exclude`. */
const cellSchema = z.strictObject(
  Object.fromEntries(
    dimensionNames.map((name) => [name, dimensionValueSchemas[name].optional()]),
  ) as unknown as {
    [K in DimensionName]: z.ZodOptional<z.ZodType<unknown>>;
  },
);

/**
 * A threshold as written: `"p99 < 5ms"`, or `{ check: "p99 < 5ms", where: { placement: cross-node } }`
 * to apply it to some trials only. Validated here, kept as written (results.json records the text).
 */
const thresholdSchema = z
  .union([z.string(), z.strictObject({ check: z.string(), where: cellSchema.optional() })])
  .superRefine((input, ctx) => {
    const parsed = parseThreshold(typeof input === 'string' ? input : input.check, 'scenario');
    if (!parsed.ok) {
      ctx.addIssue({
        code: 'custom',
        message: parsed.message,
        params: { hint: parsed.hint },
        ...(typeof input === 'string' ? {} : { path: ['check'] }),
      });
    }
  });

/** `repetitions`: a whole number from 1 to 1000, or `auto`. */
const repetitionsSchema = z.union([z.number(), z.string()]).transform((input, ctx) => {
  if (input === 'auto') return 'auto' as const;
  if (typeof input === 'number' && Number.isInteger(input) && input >= 1 && input <= 1000) {
    return input;
  }
  ctx.addIssue({
    code: 'custom',
    message: `repetitions ${JSON.stringify(input)} is not a whole number from 1 to 1000, nor "auto"`,
    params: { hint: 'write e.g. repetitions: 5, or repetitions: auto with precision and budget' },
  });
  return z.NEVER;
});

/** `precision`: a percentage above 0 and below 100 ("5%"). */
const precisionSchema = z.union([z.string(), z.number()]).transform((input, ctx) => {
  const outcome = parsePercent(input);
  if (outcome.ok && outcome.value > 0 && outcome.value < 100) return outcome.value;
  ctx.addIssue({
    code: 'custom',
    message: outcome.ok
      ? `precision ${JSON.stringify(input)} is not between 0 % and 100 %`
      : outcome.message,
    params: { hint: 'write a relative precision like "5%"' },
  });
  return z.NEVER;
});

const labSchema = z.strictObject({
  /** Bridge, veth and pod MTU for non-overlay datapaths. @default 1500 */
  mtu: z.number().int().min(576).max(9000).default(1500),
});

const kubernetesSchema = z.strictObject({
  /** Kubeconfig file. @default $KUBECONFIG, else ~/.kube/config */
  kubeconfig: z.string().optional(),
  /** Context of the kubeconfig. @default its current-context */
  context: z.string().optional(),
  /** Cluster nodes for the topology's node1 and node2. @default picked: Ready, schedulable, untainted, one zone */
  nodes: z.array(z.string().min(1)).min(1).max(2).optional(),
  /** Image of the agent container, pinned by digest. @default the official node:20-bookworm-slim digest */
  image: z.string().optional(),
  /** Registry that replaces every image's registry (an air-gapped mirror). @example "registry.local:5000" */
  registry: z.string().optional(),
  /** Image with sockperf, iperf3 and ss, pinned by digest; without it those workloads are refused. */
  toolsImage: z.string().optional(),
  /** Secrets in the run's namespace to pull the images with. @default [] */
  imagePullSecrets: z.array(z.string()).default([]),
  /** How long a topology's pods may take to become Ready (image pulls included). @default "3m" */
  readyTimeout: durationSchema.optional(),
});

const scenarioFields = z.strictObject({
  /** Version of this file format. @default 1 */
  schemaVersion: z.literal(scenarioSchemaVersion).default(scenarioSchemaVersion),
  /** Short name, used in the output directory and reports. @example "quick" */
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'use letters, digits, ".", "_" and "-" (max 63)'),
  /** What question this scenario answers, shown at the top of the report. */
  description: z.string().optional(),
  /** Where to run. @default "lab" */
  platform: z
    .string()
    .default('lab')
    .transform((value, ctx) => {
      if (value === 'lab' || value === 'kubernetes') return value;
      ctx.addIssue({
        code: 'custom',
        message: `platform ${JSON.stringify(value)} does not exist`,
        params: { hint: suggestionHint(value, ['lab', 'kubernetes']) },
      });
      return z.NEVER;
    }),
  /**
   * Repetitions of every trial, interleaved across trials; or `auto`: rounds are added until every
   * headline interval is within `precision` or `budget` is spent (docs/statistics.md).
   * @default 3
   */
  repetitions: repetitionsSchema.default(3),
  /**
   * Relative precision wanted of the headline intervals, in % ("5%": within ×/÷ 1.05): the stop
   * rule of `repetitions: auto`, and the precision "not enough repetitions" hints are given for.
   * @default 10
   */
  precision: precisionSchema.optional(),
  /** Time budget of a `repetitions: auto` run, deployments included. @default "5m" */
  budget: durationSchema.pipe(z.number().min(1, 'budget must be at least 1s')).optional(),
  /** Load before measuring, excluded from results. @default "2s" */
  warmup: durationSchema.pipe(z.number().max(3600, 'warmup must be at most 1h')).default(2),
  /** Measured window of every repetition. @default "10s" */
  duration: durationSchema
    .pipe(
      z
        .number()
        .min(0.1, 'duration must be at least 100ms')
        .max(86_400, 'duration must be at most 24h'),
    )
    .default(10),
  /** A request without a response after this long counts as a timeout. @default "2s" */
  timeout: durationSchema
    .pipe(
      z.number().min(0.001, 'timeout must be at least 1ms').max(600, 'timeout must be at most 10m'),
    )
    .default(2),
  /** Seed for the randomised trial order; recorded in results. @default random */
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .optional(),
  /** Dimensions to sweep; the cartesian product of the lists makes the trials. */
  matrix: matrixSchema.default({}),
  /** Cells to remove from the product (every listed key must match). */
  exclude: z.array(cellSchema).max(maxCellPatterns).default([]),
  /** Extra cells to add (missing keys take the matrix's single value or the default). */
  include: z.array(cellSchema).max(maxCellPatterns).default([]),
  /** Lab platform options. */
  lab: labSchema.default({ mtu: 1500 }),
  /** Kubernetes platform options (docs/kubernetes.md); flags override each. */
  kubernetes: kubernetesSchema.default({ imagePullSecrets: [] }),
  /**
   * The baseline value of each dimension that has one. Every trial with another value of that
   * dimension gets its overhead against the trial that differs only there (or, when none does,
   * the closest one, named in the report). @example { datapath: bridge, mesh: none }
   */
  baseline: cellSchema.optional(),
  /**
   * Pass/fail criteria checked at the end of `netbench run` (exit code 5 when one fails), k6-style.
   * Figures: p50 p90 p99 p999 mean (durations), loss errors cpu (%), throughput (bit rate), rps,
   * memory (bytes), overhead.<p50|p90|p99|p999|mean|throughput|cpu|memory> (%). @default []
   * @example ["p99 < 5ms", "overhead.p99 < 30%", "loss < 0.1%"]
   */
  thresholds: z.array(thresholdSchema).default([]),
});

const isOverhead = (t: string | { check: string }): boolean =>
  /^\s*overhead\./i.test(typeof t === 'string' ? t : t.check);

/** Cross-field checks of `baseline` and `thresholds` (each field alone is checked above). */
function checkBaselineAndThresholds(
  scenario: z.output<typeof scenarioFields>,
  ctx: z.RefinementCtx,
): void {
  const i = scenario.thresholds.findIndex(isOverhead);
  if (i >= 0 && scenario.baseline === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['thresholds', i],
      message: 'overhead thresholds need a baseline to measure the overhead against',
      params: { hint: 'add e.g. `baseline: { datapath: bridge }`' },
    });
  }
  for (const [name, value] of Object.entries(scenario.baseline ?? {})) {
    if (value === undefined) continue;
    const inMatrix: unknown = scenario.matrix[name as DimensionName];
    const offered: unknown[] = [
      ...(inMatrix === undefined
        ? [dimensions[name as DimensionName].default]
        : Array.isArray(inMatrix)
          ? (inMatrix as unknown[])
          : [inMatrix]),
      ...scenario.include.map((c) => (c as Record<string, unknown>)[name]),
    ].filter((v) => v !== undefined);
    if (!offered.some((v) => JSON.stringify(v) === JSON.stringify(value))) {
      const choices = [...new Set(offered.map((v) => JSON.stringify(v)))].join(', ');
      ctx.addIssue({
        code: 'custom',
        path: ['baseline', name],
        message: `baseline ${name} ${JSON.stringify(value)} is not one of the scenario's values (${choices})`,
        params: { hint: `add it to matrix.${name}, or pick one of those values` },
      });
    }
  }
}

export const scenarioSchema = scenarioFields.superRefine(checkBaselineAndThresholds);

export type ScenarioInput = z.input<typeof scenarioSchema>;
type ParsedScenario = z.output<typeof scenarioSchema>;

/** A validated scenario with every default applied. */
export interface Scenario extends Omit<
  ParsedScenario,
  'matrix' | 'exclude' | 'include' | 'baseline'
> {
  matrix: Partial<{ [K in DimensionName]: TrialDimensions[K] | TrialDimensions[K][] }>;
  exclude: Partial<TrialDimensions>[];
  include: Partial<TrialDimensions>[];
  baseline?: Partial<TrialDimensions>;
}
