/**
 * Kubernetes label selectors (metav1.LabelSelector): `matchLabels` and `matchExpressions` are
 * ANDed; an empty selector matches everything. Whether a *missing* selector means "everything"
 * or "nothing" depends on where it sits, so callers decide that, never this module.
 * Reference: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors
 */
import type { InputProblem } from '../core/errors.js';
import { labelKeyProblem, labelValueProblem } from './k8s-names.js';

export type Labels = Readonly<Record<string, string>>;

export const selectorOperators = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;
export type SelectorOperator = (typeof selectorOperators)[number];

export interface LabelSelectorRequirement {
  key: string;
  operator: SelectorOperator;
  values: string[];
}

export interface LabelSelector {
  matchLabels: Readonly<Record<string, string>>;
  matchExpressions: readonly LabelSelectorRequirement[];
}

export const emptySelector: LabelSelector = { matchLabels: {}, matchExpressions: [] };

export function isEmptySelector(s: LabelSelector): boolean {
  return Object.keys(s.matchLabels).length === 0 && s.matchExpressions.length === 0;
}

export function matchesSelector(s: LabelSelector, labels: Labels): boolean {
  for (const [k, v] of Object.entries(s.matchLabels)) {
    if (labels[k] !== v) return false;
  }
  for (const r of s.matchExpressions) {
    const has = Object.prototype.hasOwnProperty.call(labels, r.key);
    const value = labels[r.key];
    switch (r.operator) {
      case 'In':
        if (!has || !r.values.includes(value!)) return false;
        break;
      case 'NotIn':
        // A pod without the key is "not in" any set of values.
        if (has && r.values.includes(value!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
    }
  }
  return true;
}

/** `pod=a,tier in (web,api)` — the kubectl notation, for messages. */
export function formatSelector(s: LabelSelector): string {
  const parts = Object.entries(s.matchLabels).map(([k, v]) => `${k}=${v}`);
  for (const r of s.matchExpressions) {
    switch (r.operator) {
      case 'In':
        parts.push(`${r.key} in (${r.values.join(',')})`);
        break;
      case 'NotIn':
        parts.push(`${r.key} notin (${r.values.join(',')})`);
        break;
      case 'Exists':
        parts.push(r.key);
        break;
      case 'DoesNotExist':
        parts.push(`!${r.key}`);
        break;
    }
  }
  return parts.length === 0 ? '{} (everything)' : parts.join(',');
}

/**
 * The API server's label-selector checks (metav1 validation.ValidateLabelSelector): valid keys
 * and values, In/NotIn with values, Exists/DoesNotExist without.
 */
export function selectorProblems(s: LabelSelector, path: string): InputProblem[] {
  const out: InputProblem[] = [];
  for (const [k, v] of Object.entries(s.matchLabels)) {
    const keyWhy = labelKeyProblem(k);
    if (keyWhy !== undefined) {
      out.push({ path: `${path}.matchLabels`, message: `label key "${k}" ${keyWhy}` });
    }
    const valueWhy = labelValueProblem(v);
    if (valueWhy !== undefined) {
      out.push({ path: `${path}.matchLabels.${k}`, message: `label value "${v}" ${valueWhy}` });
    }
  }
  s.matchExpressions.forEach((r, i) => {
    const p = `${path}.matchExpressions[${i}]`;
    const keyWhy = labelKeyProblem(r.key);
    if (keyWhy !== undefined) out.push({ path: `${p}.key`, message: `key "${r.key}" ${keyWhy}` });
    if ((r.operator === 'In' || r.operator === 'NotIn') && r.values.length === 0) {
      out.push({
        path: `${p}.values`,
        message: `operator ${r.operator} needs at least one value`,
        hint: 'list the values, or use Exists / DoesNotExist',
      });
    }
    if ((r.operator === 'Exists' || r.operator === 'DoesNotExist') && r.values.length > 0) {
      out.push({
        path: `${p}.values`,
        message: `operator ${r.operator} takes no values (got ${JSON.stringify(r.values)})`,
        hint: 'remove `values`, or use In / NotIn',
      });
    }
    r.values.forEach((v, j) => {
      const why = labelValueProblem(v);
      if (why !== undefined) {
        out.push({ path: `${p}.values[${j}]`, message: `value "${v}" ${why}` });
      }
    });
  });
  return out;
}
