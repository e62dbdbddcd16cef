/**
 * What a graph trial deploys (pure): the client pod and every service's pods on the lab's nodes,
 * the mesh over all of them, the policy set generated from the graph's edges. Placement:
 * `same-node` packs every pod on node1; `cross-node` spreads them so that every call crosses
 * nodes (the client on node1, services alternate by their level in the graph); a service's own
 * `node` overrides both (placement per service).
 */
import type { PodSpec, TopologySpec } from '../../topology/topology-spec.js';
import { withMesh } from '../../mesh/mesh-topology.js';
import type { TrialDimensions } from '../../spec/dimensions.js';
import { graphClientPod, graphPolicySet } from './graph-policy.js';
import {
  podsOf,
  serviceLevels,
  type GraphNodeName,
  type GraphSpec,
} from '../../spec/graph-spec.js';

/** The node of each service. */
export function serviceNodes(g: GraphSpec, spread: boolean): Map<string, GraphNodeName> {
  const levels = serviceLevels(g);
  return new Map(
    g.services.map((s) => [
      s.name,
      s.node ?? (spread && (levels.get(s.name) ?? 1) % 2 === 1 ? 'node2' : 'node1'),
    ]),
  );
}

export function graphTopology(d: TrialDimensions): TopologySpec {
  const g = d.graph;
  const nodeOf = serviceNodes(g, d.placement === 'cross-node');
  const pods: PodSpec[] = [
    { name: graphClientPod, node: 'node1' },
    ...g.services.flatMap((s) =>
      podsOf(s).map((name) => ({ name, node: nodeOf.get(s.name)!, serviceAccount: s.name })),
    ),
  ];
  const usesNode2 = pods.some((p) => p.node === 'node2');
  return withMesh(d, {
    datapath: d.datapath,
    nodes: usesNode2 ? [{ name: 'node1' }, { name: 'node2' }] : [{ name: 'node1' }],
    pods,
    ...(d.services > 0 ? { services: { proxyMode: d.kubeProxy, unrelated: d.services } } : {}),
    ...(d.bandwidth === 'unlimited' ? {} : { podBandwidthBps: d.bandwidth }),
    ...(d.policy === 'off' ? {} : { policy: graphPolicySet(g, d.enforcer) }),
  });
}

/** Why a graph trial cannot run as asked, or undefined (pure). */
export function graphProblem(d: TrialDimensions): string | undefined {
  if (d.workload !== 'graph') {
    return d.graph.services.length > 0
      ? `graph ${d.graph.name} only applies to workload graph, not ${d.workload}`
      : undefined;
  }
  if (d.graph.services.length === 0) {
    return 'workload graph needs a graph: add e.g. `graph: bookinfo` or `graph: { chain: 3 }` to the matrix';
  }
  if (d.placement === 'via-service') {
    return 'placement via-service does not apply to graphs: replicated services are reached through their endpoints; use same-node (packed) or cross-node (spread)';
  }
  if (d.mesh === 'node-proxy+waypoint') {
    return 'mesh node-proxy+waypoint is not modelled for graphs (the lab waypoint fronts one pod): use none, sidecar or node-proxy';
  }
  if (d.policy !== 'off' && d.policy !== 'default-deny-allow') {
    return `policy ${d.policy} does not apply to graphs: use default-deny-allow (default deny plus exactly the graph's edges)`;
  }
  if (d.pinning !== 'none') return 'pinning does not apply to graphs (many pods): use pinning none';
  if (d.protocol !== 'http1') return 'graphs speak HTTP/1.1 keep-alive: use protocol http1';
  return undefined;
}
