import { describe, expect, it } from 'vitest';
import { planLayout, requestedAddressProblem } from '../../../src/platform/lab/addressing.js';
import { placeModelInLab } from '../../../src/policy-verify/placement.js';
import { e2eModel, model } from './helpers.js';

describe('placing a policy model in the lab', () => {
  it('names lab pods p1..pN and puts each on the node whose pod CIDR holds its address', () => {
    const { placements, problems } = placeModelInLab(e2eModel().pods, 2);
    expect(problems).toEqual([]);
    expect(placements.slice(0, 3).map((p) => `${p.model.id}=${p.pod}@${p.node}/${p.ip}`)).toEqual([
      'x/a=p1@node1/10.244.1.10',
      'x/b=p2@node2/10.244.2.10',
      'x/c=p3@node1/10.244.1.11',
    ]);
  });

  it('alternates pods without an address between nodes', () => {
    const m = model(
      'namespaces: [{ name: x }]\npods: [{ namespace: x, name: a }, { namespace: x, name: b }, { namespace: x, name: c }]\n',
    );
    expect(placeModelInLab(m.pods, 2).placements.map((p) => p.node)).toEqual([
      'node1',
      'node2',
      'node1',
    ]);
  });

  it('refuses addresses outside the lab pod CIDRs, naming the pod and the ranges', () => {
    const m = model(
      'namespaces: [{ name: x }]\npods: [{ namespace: x, name: a, ip: 10.0.0.5 }, { namespace: x, name: b, ip: 10.244.2.9 }]\n',
    );
    const { problems } = placeModelInLab(m.pods, 1);
    expect(problems.map((p) => p.message)).toEqual([
      'x/a has 10.0.0.5, but the lab gives pods addresses in 10.244.1.0/24 (node1), .2 to .254',
      'x/b has 10.244.2.9, but the lab gives pods addresses in 10.244.1.0/24 (node1), .2 to .254',
    ]);
  });

  it('gives asked-for addresses and skips them when choosing the others', () => {
    const topology = {
      datapath: 'routed' as const,
      nodes: [{ name: 'node1' }],
      pods: [
        { name: 'a', node: 'node1' },
        { name: 'b', node: 'node1', ip: '10.244.1.10' },
        { name: 'c', node: 'node1' },
      ],
    };
    expect(requestedAddressProblem(topology)).toBeUndefined();
    expect(planLayout('ab12c', 1, topology).pods.map((p) => p.ip)).toEqual([
      '10.244.1.11',
      '10.244.1.10',
      '10.244.1.12',
    ]);
    expect(
      requestedAddressProblem({
        ...topology,
        pods: [{ name: 'a', node: 'node1', ip: '10.244.2.5' }],
      }),
    ).toBe(
      'pod a asks for 10.244.2.5, but pods on node1 get addresses in 10.244.1.0/24 (.2 to .254)',
    );
  });
});
