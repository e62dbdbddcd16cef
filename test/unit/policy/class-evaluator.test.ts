import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluateByClass } from '../../../src/policy/class-evaluator.js';
import { createEvaluator } from '../../../src/policy/evaluate.js';
import { parseIp } from '../../../src/policy/ip.js';
import type { ClusterModel, ModelPod } from '../../../src/policy/model.js';
import type { NetworkPolicy } from '../../../src/policy/network-policy.js';
import { planProbes, type ProbeSelection } from '../../../src/policy/probes.js';
import { parseClusterDump } from '../../../src/policy/cluster/cluster-dump.js';
import { syntheticCluster } from '../../../src/policy/synthetic-cluster.js';
import { createRandom } from '../../../src/stats/random.js';
import { e2eModel, fixtures, policies as parsePolicyYaml } from './helpers.js';
import { randomCase } from './random-models.js';

/** Compares the class evaluator with the pairwise one on every probe; returns the count. */
function compareEveryProbe(
  model: ClusterModel,
  policies: NetworkPolicy[],
  selection: ProbeSelection,
): number {
  const pairwise = createEvaluator(model, policies);
  const byClass = evaluateByClass(model, policies, selection);
  const index = new Map(model.pods.map((p, i) => [p.id, i]));
  const probes = planProbes(model, selection);
  const outcomes = [...byClass.outcomes()];
  expect(outcomes).toHaveLength(probes.length);
  probes.forEach((probe, n) => {
    const expected = pairwise.evaluate(probe);
    const o = outcomes[n]!;
    const key = byClass.keys[o.key]!;
    const got = byClass.verdict(index.get(probe.from.id)!, index.get(probe.to.id)!, o.key);
    // Same probe in the same order, the same outcome, and the same full verdict rule by rule
    // (compared as JSON first: toEqual on every probe would dominate the test's time).
    const same =
      model.pods[o.from]!.id === probe.from.id &&
      model.pods[o.to]!.id === probe.to.id &&
      key.port === probe.port &&
      key.protocol === probe.protocol &&
      o.allowed === expected.allowed &&
      o.self === expected.self &&
      JSON.stringify(got) === JSON.stringify(expected);
    if (!same) {
      expect({ ...o, ...key, verdict: got }).toEqual({
        ...o,
        from: index.get(probe.from.id),
        to: index.get(probe.to.id),
        port: probe.port,
        protocol: probe.protocol,
        allowed: expected.allowed,
        self: expected.self,
        verdict: expected,
      });
    }
  });
  return probes.length;
}

describe('class evaluator', () => {
  it('agrees with the pairwise evaluator on a sample of a 400-pod, 400-policy synthetic cluster', () => {
    const { model, policies } = parseClusterDump(
      JSON.stringify(syntheticCluster({ pods: 400, policies: 400 })),
      'synthetic.json',
    );
    const byClass = evaluateByClass(model, policies, {});
    const pairwise = createEvaluator(model, policies);
    const random = createRandom(12);
    const outcomes = [...byClass.outcomes()];
    let denied = 0;
    for (let n = 0; n < 3000; n++) {
      const o = outcomes[Math.floor(random() * outcomes.length)]!;
      const key = byClass.keys[o.key]!;
      const expected = pairwise.evaluate({
        from: model.pods[o.from]!,
        to: model.pods[o.to]!,
        ...key,
      });
      expect(o.allowed).toBe(expected.allowed);
      if (!o.allowed) denied++;
    }
    expect(byClass.podClasses.classes.length).toBeLessThan(model.pods.length);
    expect(denied).toBeGreaterThan(300);
  });

  it('agrees with the pairwise evaluator on every probe of 250 random models and policy sets', () => {
    let probes = 0;
    let denied = 0;
    for (let seed = 1; seed <= 250; seed++) {
      const { model, policies } = randomCase(seed);
      const selection: ProbeSelection =
        seed % 2 === 0
          ? {}
          : { ports: [53, 80, 81, 8080, 9000], protocols: ['TCP', 'UDP', 'SCTP'] };
      probes += compareEveryProbe(model, policies, selection);
      denied += [...evaluateByClass(model, policies, selection).outcomes()].filter(
        (o) => !o.allowed,
      ).length;
    }
    // The generator is worth something only if it exercises both outcomes, a lot.
    expect(probes).toBeGreaterThan(30_000);
    expect(denied).toBeGreaterThan(probes / 10);
    expect(denied).toBeLessThan(probes * 0.9);
  });

  it('agrees with the pairwise evaluator on the upstream e2e model and policies', () => {
    const policies = parsePolicyYaml(readFileSync(`${fixtures}e2e-policies.yaml`, 'utf8'));
    expect(compareEveryProbe(e2eModel(), policies, {})).toBe(486);
  });

  it('puts pods with the same namespace, labels and ports in one class, and others apart', () => {
    const { model, policies } = randomCase(7);
    const { podClasses } = evaluateByClass(model, policies, {});
    for (const c of podClasses.classes) {
      const first = model.pods[c.pods[0]!]!;
      for (const i of c.pods) {
        expect(model.pods[i]!.namespace).toBe(first.namespace);
        expect(model.pods[i]!.labels).toEqual(first.labels);
      }
    }
    expect(podClasses.classes.flatMap((c) => c.pods).sort((a, b) => a - b)).toEqual(
      model.pods.map((_, i) => i),
    );
  });

  it('separates pods that only an ipBlock tells apart, and merges those no ipBlock does', () => {
    const m = e2eModel();
    const twin = (name: string, ip: string): ModelPod => {
      const parsed = parseIp(ip);
      if (!parsed.ok) throw new Error(parsed.message);
      return { ...m.pods[0]!, name, id: `x/${name}`, ip: parsed.value };
    };
    const model: ClusterModel = {
      namespaces: m.namespaces,
      pods: [twin('one', '10.9.0.1'), twin('two', '10.9.0.2'), twin('three', '10.9.1.1')],
    };
    const deny = parsePolicyYaml(
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: p, namespace: y }\nspec:\n  podSelector: {}\n  ingress: [{ from: [{ ipBlock: { cidr: 10.9.0.0/24 } }] }]\n',
    );
    const { podClasses } = evaluateByClass(model, deny, { ports: [80] });
    expect(podClasses.classes.map((c) => c.pods)).toEqual([[0, 1], [2]]);
    expect(evaluateByClass(model, [], { ports: [80] }).podClasses.classes).toHaveLength(1);
  });
});
