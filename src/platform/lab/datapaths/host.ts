import type { LabDatapath } from './datapath.js';

/**
 * Host network: "pods" run in their node's namespace (hostNetwork: true), no CNI, no veth, no
 * bridge. The baseline every other datapath is read against: what the node's own stack costs.
 */
export const hostDatapath: LabDatapath = {
  models: 'hostNetwork pods: no CNI involved (the baseline every CNI adds to)',
  leavesOut:
    'pod isolation: client and server share the node namespace; on one node they talk over the loopback device, as host-network pods do',
  encapsulation: 'none',
  podNetwork: 'host',
  podMtu: (underlayMtu) => underlayMtu,
  unsupported(topology) {
    if (topology.mesh !== undefined) {
      return 'a mesh intercepts in pod namespaces, and host-network pods have none: use a pod datapath with a mesh';
    }
    if (topology.policy !== undefined) {
      return 'NetworkPolicy selects pods, and host-network pods are the node itself (Kubernetes does not apply policy to them): use a pod datapath with a policy';
    }
    if (topology.pods.some((p) => p.ip !== undefined)) {
      return "host-network pods have their node's address and cannot ask for one of their own";
    }
    if (topology.podBandwidthBps !== undefined) {
      return 'the host datapath has no CNI, so no bandwidth plugin: use bandwidth unlimited';
    }
    const target = topology.services?.target;
    if (target !== undefined && target.endpoints.length > 1) {
      return 'host-network replicas on one node would share one port: placement via-service needs a pod datapath';
    }
    return undefined;
  },
  connect: () => Promise.resolve({}),
};
