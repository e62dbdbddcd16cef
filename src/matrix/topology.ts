/** What a trial needs deployed, derived from its dimensions (pure). */
import { withMesh } from '../mesh/mesh-topology.js';
import type { PodSpec, TopologySpec } from '../platform/platform.js';
import { benchPolicySet } from '../policy/bench-policies.js';
import type { TrialDimensions } from '../spec/dimensions.js';
import { httpServerPort } from '../workload/http/http-workload.js';

/** The port clients use on a Service's ClusterIP (the server pods listen on their own port). */
export const servicePort = 80;

export function topologyFor(d: TrialDimensions): TopologySpec {
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
                    ports: [{ port: servicePort, targetPort: httpServerPort }],
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
            serverPort: httpServerPort,
          }),
        }),
  });
}

/** Two trials with equal keys can share one deployed environment. */
export function topologyKey(t: TopologySpec): string {
  return JSON.stringify(t);
}
