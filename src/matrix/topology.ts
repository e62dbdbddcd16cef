/** What a trial needs deployed, derived from its dimensions (pure). */
import { withMesh } from '../mesh/mesh-topology.js';
import type { TopologySpec } from '../platform/platform.js';
import { benchPolicySet } from '../policy/bench-policies.js';
import type { TrialDimensions } from '../spec/dimensions.js';
import { httpServerPort } from '../workload/http/http-workload.js';

export function topologyFor(d: TrialDimensions): TopologySpec {
  const crossNode = d.placement === 'cross-node';
  return withMesh(d, {
    datapath: d.datapath,
    nodes: crossNode ? [{ name: 'node1' }, { name: 'node2' }] : [{ name: 'node1' }],
    pods: [
      { name: 'client', node: 'node1' },
      { name: 'server', node: crossNode ? 'node2' : 'node1' },
    ],
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
