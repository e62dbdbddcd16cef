import { describe, expect, it } from 'vitest';
import { topologyFor, workloadProblem } from '../../../../src/matrix/topology.js';
import { createEvaluator } from '../../../../src/policy/evaluate.js';
import { parseIp } from '../../../../src/policy/ip.js';
import type { ClusterModel } from '../../../../src/policy/model.js';
import { defaultDimensions, type TrialDimensions } from '../../../../src/spec/dimensions.js';
import { bookinfoGraph, chainGraph } from '../../../../src/spec/graph-shapes.js';
import { graphDepth, graphSchema } from '../../../../src/spec/graph-spec.js';

const dims = (more: Partial<TrialDimensions>): TrialDimensions => ({
  ...defaultDimensions(),
  workload: 'graph',
  graph: bookinfoGraph(),
  ...more,
});

describe('the graph dimension', () => {
  it('resolves the built-in shapes', () => {
    expect(graphSchema.parse({ chain: 4 })).toEqual(chainGraph(4));
    expect(graphDepth(graphSchema.parse({ chain: 4 }))).toBe(4);
    const fan = graphSchema.parse({ fanout: 3 });
    expect(fan.services[0]).toMatchObject({ name: 'front', callMode: 'parallel' });
    expect(graphDepth(fan)).toBe(2);
    const book = graphSchema.parse('bookinfo');
    expect(book.services.find((s) => s.name === 'reviews')).toMatchObject({
      replicas: 3,
      calls: ['ratings'],
    });
    expect(graphDepth(book)).toBe(3);
  });

  it('reads a graph written in the scenario, with human service times', () => {
    const g = graphSchema.parse({
      name: 'shop',
      services: {
        web: { calls: ['cart', 'stock'], callMode: 'parallel' },
        cart: { serviceTime: '1.5ms', serviceTimeKind: 'sleep', node: 'node2' },
        stock: { replicas: 2, payload: '4KiB' },
      },
    });
    expect(g.entry).toBe('web');
    expect(g.services[1]).toMatchObject({
      serviceTimeUs: 1500,
      serviceTime: 'sleep',
      node: 'node2',
    });
    expect(g.services[2]).toMatchObject({ replicas: 2, payloadBytes: 4096 });
  });

  it('reports every problem of a written graph with its path and a hint', () => {
    const r = graphSchema.safeParse({
      name: 'bad',
      services: { a: { calls: ['bb'] }, b: { calls: ['a'] }, c: { calls: ['c'] } },
    });
    expect(r.success).toBe(false);
    const issues = r.error!.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    expect(issues).toContainEqual({
      path: 'services.a.calls.0',
      message: 'service a calls "bb", which is not a service of the graph',
    });
    expect(issues.some((i) => i.message === 'the graph has a cycle: c → c')).toBe(true);
    const typo = graphSchema.safeParse('bookinf').error?.issues[0] as
      { params?: { hint?: string } } | undefined;
    expect(typo?.params?.hint).toContain('did you mean "bookinfo"');
  });
});

describe('the topology of a graph trial', () => {
  it('packs every pod on one node for same-node', () => {
    const t = topologyFor(dims({ placement: 'same-node' }));
    expect(t.nodes).toEqual([{ name: 'node1' }]);
    expect(t.pods.map((p) => p.name)).toEqual([
      'client',
      'product',
      'details',
      'reviews1',
      'reviews2',
      'reviews3',
      'ratings',
    ]);
  });

  it('spreads pods so that every call of bookinfo crosses nodes for cross-node', () => {
    const t = topologyFor(dims({ placement: 'cross-node' }));
    const node = new Map(t.pods.map((p) => [p.name, p.node]));
    for (const [a, b] of [
      ['client', 'product'],
      ['product', 'details'],
      ['product', 'reviews2'],
      ['reviews3', 'ratings'],
    ] as const) {
      expect(node.get(a)).not.toBe(node.get(b));
    }
  });

  it('meshes every pod, with each service its own identity', () => {
    const t = topologyFor(dims({ mesh: 'sidecar' }));
    expect(t.mesh?.members).toHaveLength(7);
    expect(t.pods.find((p) => p.name === 'reviews2')?.serviceAccount).toBe('reviews');
  });

  it('allows exactly the graph edges under default-deny-allow', () => {
    const t = topologyFor(dims({ policy: 'default-deny-allow' }));
    const set = t.policy!;
    const model: ClusterModel = {
      namespaces: set.namespaces,
      pods: set.pods.map((p, i) => {
        const ip = parseIp(`10.244.1.${10 + i}`);
        if (!ip.ok) throw new Error(ip.message);
        return { ...p.model, ip: ip.value };
      }),
    };
    const pod = (name: string) => model.pods.find((p) => p.name === name)!;
    const ev = createEvaluator(model, set.policies);
    const allowed = (a: string, b: string): boolean =>
      ev.evaluate({ from: pod(a), to: pod(b), port: 8080, protocol: 'TCP' }).allowed;
    const names = model.pods.map((p) => p.name);
    const edges = new Set([
      'client>product',
      'product>details',
      'product>reviews1',
      'product>reviews2',
      'product>reviews3',
      'reviews1>ratings',
      'reviews2>ratings',
      'reviews3>ratings',
    ]);
    for (const a of names) {
      for (const b of names) {
        if (a !== b)
          expect([`${a}>${b}`, allowed(a, b)]).toEqual([`${a}>${b}`, edges.has(`${a}>${b}`)]);
      }
    }
  });

  it('refuses what graphs do not model, before anything is created', () => {
    expect(workloadProblem(dims({ mesh: 'node-proxy+waypoint' }))).toContain('waypoint');
    expect(workloadProblem(dims({ placement: 'via-service' }))).toContain('endpoints');
    expect(workloadProblem(dims({ graph: { name: 'none', entry: '', services: [] } }))).toContain(
      'needs a graph',
    );
    expect(workloadProblem({ ...dims({}), workload: 'http' })).toContain('only applies');
    expect(workloadProblem(dims({}))).toBeUndefined();
  });
});
