import type { TopologySpec } from '../../../src/topology/topology-spec.js';
import { describe, expect, it } from 'vitest';
import { meshProblem, planMesh, type MeshPlanInput } from '../../../src/mesh/mesh-plan.js';
import type { MeshSpec } from '../../../src/topology/mesh-spec.js';
import { withMesh } from '../../../src/mesh/mesh-topology.js';

const crossNode: TopologySpec = {
  datapath: 'routed',
  nodes: [{ name: 'node1' }, { name: 'node2' }],
  pods: [
    { name: 'client', node: 'node1' },
    { name: 'server', node: 'node2' },
  ],
};

function input(spec: MeshSpec, extraPods: { name: string; node: string }[] = []): MeshPlanInput {
  const pods = [...crossNode.pods, ...extraPods].map((p, i) => ({
    ...p,
    ip: `10.244.${p.node === 'node1' ? 1 : 2}.${10 + i}`,
    ns: `nb-abcde-e1-${p.name}`,
  }));
  return {
    spec,
    pods,
    nodes: crossNode.nodes.map((n) => ({ name: n.name, ns: `nb-abcde-e1-${n.name}` })),
    dir: '/run/netbench/abcde/mesh/e1',
    caFile: '/run/netbench/abcde/mesh/ca/ca.pem',
    certFile: (sa) => `/run/netbench/abcde/mesh/certs/${sa}.pem`,
  };
}

const spec = (mode: MeshSpec['mode'], mtls: MeshSpec['mtls'] = 'strict'): MeshSpec => ({
  mode,
  mtls,
  concurrency: 2,
  members: ['client', 'server'],
});

describe('planning a mesh', () => {
  it('puts a sidecar in every member pod, running in that pod', () => {
    const plan = planMesh(input(spec('sidecar')));
    expect(plan.proxies.map((p) => [p.role, p.owner, p.ns, p.layer])).toEqual([
      ['sidecar', 'client', 'nb-abcde-e1-client', 'L7'],
      ['sidecar', 'server', 'nb-abcde-e1-server', 'L7'],
    ]);
    expect(plan.traversals).toBe(2);
  });

  it('runs one L4 proxy per node in the node namespace, covering that node’s members', () => {
    const plan = planMesh(input(spec('node-proxy')));
    expect(plan.proxies.map((p) => [p.role, p.owner, p.ns, p.layer])).toEqual([
      ['node-proxy', 'node1', 'nb-abcde-e1-node1', 'L4'],
      ['node-proxy', 'node2', 'nb-abcde-e1-node2', 'L4'],
    ]);
    expect(plan.proxies[0]?.config).toContain('frontend client_outbound');
    expect(plan.proxies[0]?.config).not.toContain('frontend server_outbound');
  });

  it('adds a waypoint proxy in its own pod and routes the served pod through it', () => {
    const topology = withMesh(
      { mesh: 'node-proxy+waypoint', mtls: 'strict', proxyConcurrency: 2 },
      crossNode,
    );
    const plan = planMesh(input(topology.mesh!, [{ name: 'waypoint', node: 'node2' }]));
    expect(plan.proxies.map((p) => [p.role, p.owner])).toEqual([
      ['node-proxy', 'node1'],
      ['node-proxy', 'node2'],
      ['waypoint', 'waypoint'],
    ]);
    expect(plan.traversals).toBe(3);
    expect(plan.certificates).toEqual(['client', 'server', 'waypoint']);
    // The waypoint itself is not captured; only the members are.
    expect(plan.interception.map((i) => i.pod)).toEqual(['client', 'server']);
  });

  it('names stats sockets and configs after role and owner inside the environment directory', () => {
    const [first] = planMesh(input(spec('sidecar'))).proxies;
    expect(first?.configPath).toBe('/run/netbench/abcde/mesh/e1/sidecar-client.cfg');
    expect(first?.statsSocket).toBe('/run/netbench/abcde/mesh/e1/sidecar-client.sock');
    expect(first?.config).toContain(`stats socket ${first?.statsSocket} mode 600`);
  });

  it('gives every workload a SPIFFE identity from its service account', () => {
    const plan = planMesh(input(spec('sidecar')));
    expect(plan.identities).toEqual([
      {
        pod: 'client',
        serviceAccount: 'client',
        spiffeId: 'spiffe://cluster.local/ns/default/sa/client',
      },
      {
        pod: 'server',
        serviceAccount: 'server',
        spiffeId: 'spiffe://cluster.local/ns/default/sa/server',
      },
    ]);
  });

  it('issues no certificates with mTLS off', () => {
    expect(planMesh(input(spec('node-proxy', 'off'))).certificates).toEqual([]);
  });

  it('leaves the tunnel port alone in captured pods of the node-proxy models only', () => {
    expect(planMesh(input(spec('sidecar'))).interception[0]?.rules).toContain(
      'tcp dport { 15001, 15006 } return',
    );
    expect(planMesh(input(spec('node-proxy'))).interception[0]?.rules).toContain(
      'tcp dport { 15001, 15006, 15008 } return',
    );
  });
});

describe('checking a mesh before deploying it', () => {
  it('accepts what the matrix builds for every mesh model', () => {
    for (const mesh of ['none', 'sidecar', 'node-proxy', 'node-proxy+waypoint'] as const) {
      const t = withMesh({ mesh, mtls: 'strict', proxyConcurrency: 2 }, crossNode);
      expect(meshProblem(t)).toBeUndefined();
    }
  });

  it('names members that are not pods', () => {
    const t = { ...crossNode, mesh: { ...spec('sidecar'), members: ['client', 'ghost'] } };
    expect(meshProblem(t)).toBe('mesh members ghost are not pods of the topology');
  });

  it('requires a waypoint pod that exists and is not itself captured', () => {
    expect(meshProblem({ ...crossNode, mesh: spec('node-proxy+waypoint') })).toMatch(
      /needs a waypoint pod/,
    );
    const captured = {
      ...crossNode,
      mesh: {
        ...spec('node-proxy+waypoint'),
        members: ['client', 'server'],
        waypoint: { pod: 'server', serves: ['client'] },
      },
    };
    expect(meshProblem(captured)).toBe('waypoint pod server must not be a captured mesh member');
  });

  it('rejects a service account that cannot be part of a SPIFFE ID', () => {
    const t: TopologySpec = {
      ...crossNode,
      pods: [
        { name: 'client', node: 'node1', serviceAccount: 'Bad_Name' },
        { name: 'server', node: 'node2' },
      ],
      mesh: spec('sidecar'),
    };
    expect(meshProblem(t)).toMatch(/service account "Bad_Name" of pod client/);
  });

  it('rejects a proxy concurrency outside 1..64', () => {
    expect(meshProblem({ ...crossNode, mesh: { ...spec('sidecar'), concurrency: 0 } })).toMatch(
      /concurrency 0/,
    );
  });
});
