/** Small builders for policy unit tests: models and policies from inline YAML. */
import { readFileSync } from 'node:fs';
import { createEvaluator, type Verdict } from '../../../src/policy/evaluate.js';
import { parseClusterModel, type ClusterModel } from '../../../src/policy/model.js';
import type { NetworkPolicy, Protocol } from '../../../src/policy/network-policy.js';
import { parsePolicies } from '../../../src/policy/parse-policies.js';

export const fixtures = new URL('../../fixtures/policy/', import.meta.url).pathname;

export function model(yaml: string): ClusterModel {
  return parseClusterModel(yaml, 'model.yaml');
}

export function policies(yaml: string): NetworkPolicy[] {
  return parsePolicies(yaml, 'policies.yaml');
}

export function e2eModel(): ClusterModel {
  return parseClusterModel(readFileSync(`${fixtures}e2e-model.yaml`, 'utf8'), 'e2e-model.yaml');
}

/** A decide(from, to, port, protocol) function over a model and policy YAML. */
export function decider(
  m: ClusterModel,
  policyYaml: string,
): (from: string, to: string, port?: number, protocol?: Protocol) => Verdict {
  const ev = createEvaluator(m, policyYaml.trim() === '' ? [] : policies(policyYaml));
  return (from, to, port = 80, protocol = 'TCP') => {
    const f = m.pods.find((p) => p.id === from);
    const t = m.pods.find((p) => p.id === to);
    if (f === undefined || t === undefined) throw new Error(`no pod ${from} or ${to}`);
    return ev.evaluate({ from: f, to: t, port, protocol });
  };
}

/** A NetworkPolicy manifest from its namespace, name and spec (YAML, indented by 2). */
export function np(namespace: string, name: string, spec: string): string {
  const body = spec
    .trim()
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
  return `---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n${body}\n`;
}
