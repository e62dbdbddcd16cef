import { startBgpMesh } from '../bgp/bgp-mesh.js';
import { bridgeName } from '../cni/cni-config.js';
import type { LabDatapath } from './datapath.js';

/**
 * Calico's routed model with its control plane: a BIRD 2 daemon in every node namespace, an
 * iBGP node-to-node mesh (AS 64512), each node exporting its pod CIDR. The lab writes no route:
 * the kernels get them from BIRD (proto bird), and setup waits until every session is
 * Established and every route installed.
 */
export const routedBgpDatapath: LabDatapath = {
  models: 'Calico in routed (BGP, no-encapsulation) mode: BIRD, iBGP node-to-node mesh',
  leavesOut:
    "calico-node's confd/Felix (the lab writes BIRD's configuration once), IPAM blocks and per-pod /32 routes with proxy-ARP (pods sit on a node bridge, the node exports its whole pod CIDR), route reflectors, Felix policy",
  encapsulation: 'none',
  podNetwork: 'bridge',
  podMtu: (underlayMtu) => underlayMtu,
  unsupported: () => undefined,
  async connect(ctx) {
    if (ctx.layout.nodes.length < 2) return {};
    const bgp = await startBgpMesh({
      shell: ctx.shell,
      clock: ctx.clock,
      layout: ctx.layout,
      dir: `${ctx.stateDir}/bgp`,
      podInterface: bridgeName,
      startDaemon: (ns, name, argv) => ctx.startDaemon(ns, name, argv),
      ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
    });
    return { facts: { bgp } };
  },
};
