import { describe, expect, it } from 'vitest';
import { topologyFor } from '../../../src/matrix/topology.js';
import { policyFeature } from '../../../src/platform/lab/features/policy/policy-feature.js';
import { benchPolicySet } from '../../../src/policy/bench-policies.js';
import { compilePolicySet } from '../../../src/policy/compile.js';
import { createEvaluator } from '../../../src/policy/evaluate.js';
import { parseIp } from '../../../src/policy/ip.js';
import type { ClusterModel } from '../../../src/policy/model.js';
import type { PolicySetSpec } from '../../../src/policy/policy-set.js';
import { defaultDimensions, dimensions } from '../../../src/spec/dimensions.js';

/** The set's model pods with lab-like addresses, for the evaluator. */
function modelOf(set: PolicySetSpec): ClusterModel {
  return {
    namespaces: set.namespaces,
    pods: set.pods.map((p, i) => {
      const ip = parseIp(`10.244.1.${10 + i}`);
      if (!ip.ok) throw new Error(ip.message);
      return { ...p.model, ip: ip.value };
    }),
  };
}

describe('policy dimension: benchmark policy sets', () => {
  it('default-deny-allow lets the client reach the server on any port, and nothing else', () => {
    const set = benchPolicySet({
      setting: 'default-deny-allow',
      enforcer: 'iptables',
      client: 'client',
      server: 'server',
      serverPort: 8080,
    });
    const m = modelOf(set);
    const ev = createEvaluator(m, set.policies);
    const [client, server] = m.pods as [ClusterModel['pods'][number], ClusterModel['pods'][number]];
    expect(ev.evaluate({ from: client, to: server, port: 8080, protocol: 'TCP' }).allowed).toBe(
      true,
    );
    expect(ev.evaluate({ from: client, to: server, port: 5201, protocol: 'UDP' }).allowed).toBe(
      true,
    );
    expect(ev.evaluate({ from: server, to: client, port: 8080, protocol: 'TCP' }).allowed).toBe(
      false,
    );
  });

  it('scale-N adds N unrelated rules on the server, ahead of the rule that admits the client', () => {
    const set = benchPolicySet({
      setting: 'scale-1000',
      enforcer: 'nftables',
      client: 'client',
      server: 'server',
      serverPort: 8080,
    });
    expect(set.policies.map((p) => `${p.name}:${p.ingress.length}`)).toEqual([
      'default-deny:0',
      'server-unrelated-1000:1000',
      'client-to-server:0',
      'server-from-client:1',
    ]);
    const compiled = compilePolicySet(set, { client: '10.244.1.10', server: '10.244.2.10' });
    const ingress = compiled.endpoints.find((e) => e.pod === 'server')!.ingress!;
    expect(ingress).toHaveLength(1001);
    expect(ingress[1000]).toEqual({
      cidr: '10.244.1.10/32',
      rule: 'bench/server-from-client ingress[0]',
    });
    expect(new Set(ingress.slice(0, 1000).map((e) => e.cidr)).size).toBe(1000);
    const m = modelOf(set);
    const v = createEvaluator(m, set.policies).evaluate({
      from: m.pods[0]!,
      to: m.pods[1]!,
      port: 8080,
      protocol: 'TCP',
    });
    expect(v.ingress.allowedBy.map((r) => r.policy)).toEqual(['bench/server-from-client']);
  });

  it('maps the policy dimension into the topology, and off into none', () => {
    expect(topologyFor(defaultDimensions()).policy).toBeUndefined();
    const t = topologyFor({
      ...defaultDimensions(),
      policy: 'scale-10',
      enforcer: 'nftables',
      placement: 'cross-node',
    });
    expect(t.policy).toMatchObject({ enforcer: 'nftables', label: 'scale-10' });
    expect(t.policy!.pods.map((p) => p.pod)).toEqual(['client', 'server']);
  });

  it('parses scale-N with k and rejects other values with a hint', () => {
    expect(dimensions.policy.schema.parse('scale-1k')).toBe('scale-1000');
    expect(dimensions.policy.schema.parse('scale-10000')).toBe('scale-10000');
    expect(dimensions.policy.schema.parse('default-deny-allow')).toBe('default-deny-allow');
    for (const bad of ['scale-0', 'scale-1m', 'scale', 'deny']) {
      expect(dimensions.policy.schema.safeParse(bad).success).toBe(false);
    }
  });

  it('is refused together with a mesh, before anything is created', () => {
    const t = topologyFor({
      ...defaultDimensions(),
      policy: 'default-deny-allow',
      mesh: 'sidecar',
    });
    expect(policyFeature.unsupported?.(t)).toContain(
      'together with a service mesh is not modelled',
    );
    expect(
      policyFeature.unsupported?.(
        topologyFor({ ...defaultDimensions(), policy: 'default-deny-allow' }),
      ),
    ).toBeUndefined();
  });
});
