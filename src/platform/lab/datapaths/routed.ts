import { peerRoutes, type LabDatapath } from './datapath.js';

/**
 * Calico's routed model without BGP: each node routes the peer's pod CIDR to the peer's underlay
 * address, so packets cross unencapsulated. Routes are static here (the control for routed-bgp).
 */
export const routedDatapath: LabDatapath = {
  models: 'Calico in routed (no-encapsulation) mode, routes configured statically',
  leavesOut:
    "Calico's BGP daemon (routes are written by the lab: see routed-bgp), per-pod /32 routes and proxy-ARP (pods sit on a node bridge), Felix policy",
  encapsulation: 'none',
  podNetwork: 'bridge',
  podMtu: (underlayMtu) => underlayMtu,
  unsupported: () => undefined,
  async connect({ shell, layout }) {
    for (const node of layout.nodes) await shell.ipBatch(node.ns, peerRoutes(layout, node));
    return {};
  },
};
