/** What a trial needs deployed, derived from its dimensions (pure). */
import type { PodSpec, TopologySpec } from '../topology/topology-spec.js';
import { withMesh } from '../mesh/mesh-topology.js';
import { benchPolicySet } from '../policy/bench-policies.js';
import type { TrialDimensions } from '../spec/dimensions.js';
import { workloads } from '../workload/index.js';
import { graphProblem, graphTopology } from '../workload/graph/graph-topology.js';

export function topologyFor(d: TrialDimensions): TopologySpec {
  if (d.workload === 'graph') return graphTopology(d);
  const crossNode = d.placement === 'cross-node';
  const viaService = d.placement === 'via-service';
  const pods: PodSpec[] = [
    { name: 'client', node: 'node1' },
    { name: 'server', node: crossNode ? 'node2' : 'node1' },
  ];
  // via-service: two replicas of the server on the client's node behind one ClusterIP, so the
  // comparison with same-node isolates what the Service rules cost.
  if (viaService) pods.push({ name: 'server2', node: 'node1', replicaOf: 'server' });
  return withMesh(d, {
    datapath: d.datapath,
    nodes: crossNode ? [{ name: 'node1' }, { name: 'node2' }] : [{ name: 'node1' }],
    pods,
    ...(viaService || d.services > 0
      ? {
          services: {
            proxyMode: d.kubeProxy,
            unrelated: d.services,
            ...(viaService
              ? {
                  target: {
                    name: 'server',
                    ports: servicePorts(d),
                    endpoints: ['server', 'server2'],
                  },
                }
              : {}),
          },
        }
      : {}),
    ...(d.bandwidth === 'unlimited' ? {} : { podBandwidthBps: d.bandwidth }),
    ...(d.policy === 'off'
      ? {}
      : {
          policy: benchPolicySet({
            setting: d.policy,
            enforcer: d.enforcer,
            client: 'client',
            server: 'server',
            serverPort: workloads[d.workload].serverPort,
          }),
        }),
  });
}

/** The Service ports of the trial's workload; none when it cannot run behind a Service. */
function servicePorts(d: TrialDimensions): { port: number; targetPort: number }[] {
  const exposure = workloads[d.workload].serviceExposure;
  return 'unsupported' in exposure ? [] : [exposure];
}

/** Why the trial's workload cannot run as asked, or undefined (pure). */
export function workloadProblem(d: TrialDimensions): string | undefined {
  const graphWhy = graphProblem(d);
  if (graphWhy !== undefined) return graphWhy;
  const exposure = workloads[d.workload].serviceExposure;
  if (d.placement === 'via-service' && 'unsupported' in exposure) {
    return `${d.workload} cannot run via a Service: ${exposure.unsupported}`;
  }
  return undefined;
}

/** Two trials with equal keys can share one deployed environment. */
export function topologyKey(t: TopologySpec): string {
  return JSON.stringify(t);
}
