import type { LabDatapath } from './datapath.js';

/** Pods on one node's Linux bridge, wired by the CNI bridge plugin: the path bridge CNIs share. */
export const bridgeDatapath: LabDatapath = {
  models:
    'the same-node path of bridge-based CNIs (Flannel, the CNI bridge plugin, kubenet): pods on a node bridge',
  leavesOut: 'cross-node traffic: use vxlan, routed or routed-bgp for pods on different nodes',
  encapsulation: 'none',
  podNetwork: 'bridge',
  podMtu: (underlayMtu) => underlayMtu,
  unsupported: (topology) =>
    topology.nodes.length > 1
      ? 'the bridge datapath connects pods on one node only (placement same-node or via-service)'
      : undefined,
  connect: () => Promise.resolve({}),
};
