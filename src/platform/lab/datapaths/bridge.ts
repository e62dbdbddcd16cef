import type { LabDatapath } from './datapath.js';

/** Pods on one node's Linux bridge: the same-node path every bridge-based CNI shares. */
export const bridgeDatapath: LabDatapath = {
  models: 'the same-node path of bridge-based CNIs (Flannel, the CNI bridge plugin, kubenet)',
  leavesOut: 'cross-node traffic: use vxlan or routed for pods on different nodes',
  encapsulation: 'none',
  podMtu: (underlayMtu) => underlayMtu,
  unsupported: (topology) =>
    topology.nodes.length > 1
      ? 'the bridge datapath connects pods on one node only (placement same-node)'
      : undefined,
  connect: () => Promise.resolve(),
};
