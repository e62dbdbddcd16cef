/**
 * Prometheus label names and values for netbench's dimensions: every dimension of a trial
 * becomes a label (camelCase → snake_case, `kubeProxy` → `kube_proxy`), next to the run id,
 * the trial id, the repetition and its status, so any figure can be sliced by any dimension.
 */
import type { RepetitionRecord, Results, TrialRecord } from '../results/schema.js';

/** Label names and values of one series. */
export type MetricLabels = Record<string, string>;

/** Labels every per-repetition series carries besides the dimensions. */
export const repetitionLabelNames = ['run_id', 'trial', 'repetition', 'status'] as const;

/** `kubeProxy` → `kube_proxy`; anything outside [a-zA-Z0-9_] becomes `_`. */
export function labelName(dimension: string): string {
  const snake = dimension
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^a-zA-Z0-9_]/g, '_')
    .toLowerCase();
  return /^[0-9]/.test(snake) ? `_${snake}` : snake;
}

/** A dimension value as a label value: strings and numbers as written, anything else as JSON. */
export function labelValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === undefined || value === null) return '';
  return JSON.stringify(value);
}

const reserved = new Set<string>(repetitionLabelNames);

/** The dimension labels of a trial (a dimension clashing with a fixed label gets `dim_`). */
export function dimensionLabels(trial: TrialRecord): MetricLabels {
  const out: MetricLabels = {};
  for (const [key, value] of Object.entries(trial.dimensions)) {
    const name = labelName(key);
    out[reserved.has(name) ? `dim_${name}` : name] = labelValue(value);
  }
  return out;
}

/** Every label name any trial of the run uses, fixed ones first. */
export function runLabelNames(results: Results): string[] {
  const names = new Set<string>(repetitionLabelNames);
  for (const t of results.trials) for (const n of Object.keys(dimensionLabels(t))) names.add(n);
  return [...names];
}

/** The labels of one repetition's series. */
export function repetitionLabels(
  results: Results,
  trial: TrialRecord,
  rep: RepetitionRecord,
): MetricLabels {
  return {
    run_id: results.runId,
    trial: trial.id,
    repetition: String(rep.index),
    status: rep.status,
    ...dimensionLabels(trial),
  };
}
