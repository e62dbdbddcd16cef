import { describe, expect, it } from 'vitest';
import { evaluateByClass } from '../../../src/policy/class-evaluator.js';
import { createEvaluator } from '../../../src/policy/evaluate.js';
import type { ClusterModel } from '../../../src/policy/model.js';
import type { NetworkPolicy } from '../../../src/policy/network-policy.js';
import { planProbes, type ProbeSelection } from '../../../src/policy/probes.js';
import { summarize, type NamespacePairSummary } from '../../../src/policy/summary.js';
import { randomCase } from './random-models.js';

/** The namespace-pair table computed the slow way, from every pairwise verdict. */
function pairsFromVerdicts(
  model: ClusterModel,
  policies: NetworkPolicy[],
  selection: ProbeSelection,
): NamespacePairSummary[] {
  const evaluator = createEvaluator(model, policies);
  const namespaces = [...new Set(model.pods.map((p) => p.namespace))];
  const order = new Map(policies.map((p, i) => [`${p.namespace}/${p.name}`, i]));
  const acc = new Map<string, NamespacePairSummary & { a: Set<string>; d: Set<string> }>();
  for (const probe of planProbes(model, selection)) {
    const v = evaluator.evaluate(probe);
    const id = `${probe.from.namespace}>${probe.to.namespace}`;
    const a = acc.get(id) ?? {
      from: probe.from.namespace,
      to: probe.to.namespace,
      connections: 0,
      allowed: 0,
      denied: 0,
      allowedBy: [],
      deniedBy: [],
      a: new Set<string>(),
      d: new Set<string>(),
    };
    acc.set(id, a);
    a.connections++;
    if (v.allowed) a.allowed++;
    else a.denied++;
    if (v.self) continue;
    for (const side of [v.egress, v.ingress]) {
      if (v.allowed) for (const r of side.allowedBy) a.a.add(r.policy);
      else if (!side.allowed) for (const p of side.isolatedBy) a.d.add(p);
    }
  }
  const sorted = (s: Set<string>): string[] => [...s].sort((x, y) => order.get(x)! - order.get(y)!);
  const out: NamespacePairSummary[] = [];
  for (const from of namespaces) {
    for (const to of namespaces) {
      const a = acc.get(`${from}>${to}`);
      if (a === undefined) continue;
      const { a: allowedBy, d: deniedBy, ...counts } = a;
      out.push({ ...counts, allowedBy: sorted(allowedBy), deniedBy: sorted(deniedBy) });
    }
  }
  return out;
}

describe('evaluation summary', () => {
  it('counts and attributes every namespace pair as the pairwise verdicts do, on 120 random models', () => {
    let attributed = 0;
    for (let seed = 1000; seed < 1120; seed++) {
      const { model, policies } = randomCase(seed);
      const selection: ProbeSelection = seed % 2 === 0 ? {} : { ports: [53, 80, 8080] };
      const summary = summarize(evaluateByClass(model, policies, selection));
      const expected = pairsFromVerdicts(model, policies, selection);
      expect(summary.namespacePairs).toEqual(expected);
      expect(summary.connections).toBe(planProbes(model, selection).length);
      attributed += expected.filter((p) => p.allowedBy.length + p.deniedBy.length > 0).length;
    }
    expect(attributed).toBeGreaterThan(100);
  });

  it('lists the pods no policy isolates, and counts the isolated ones per direction', () => {
    const { model, policies } = randomCase(1003);
    const summary = summarize(evaluateByClass(model, policies, {}));
    const evaluator = createEvaluator(model, policies);
    const open = model.pods.filter(
      (p) =>
        evaluator.isolating(p, 'ingress').length === 0 &&
        evaluator.isolating(p, 'egress').length === 0,
    );
    expect(summary.unisolated).toEqual(open.map((p) => p.id));
    expect(summary.isolated.ingress).toBe(
      model.pods.filter((p) => evaluator.isolating(p, 'ingress').length > 0).length,
    );
  });
});
