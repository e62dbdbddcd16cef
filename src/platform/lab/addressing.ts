/**
 * The lab's address plan, pure: node i (1-based) owns pod CIDR 10.244.i.0/24 with its gateway at
 * .1 and pods from .10 (the CNI host-local IPAM plugin is asked for exactly these addresses);
 * nodes meet on the underlay 172.31.0.0/24 at 172.31.0.i; Service ClusterIPs come from
 * 10.96.0.0/12 as in a default cluster. These ranges only exist inside the run's namespaces, so
 * concurrent runs and the host never clash. Host-network pods (datapath `host`) have no
 * namespace or address of their own: they live in their node's.
 */
import type { TopologySpec } from '../../topology/topology-spec.js';
import type { RunId } from '../../core/run-id.js';
import { namespaceName } from './names.js';

export interface LabNode {
  name: string;
  /** 1-based position, used in addresses. */
  index: number;
  ns: string;
  underlayIp: string;
  podCidr: string;
  bridgeIp: string;
}

export interface LabPod {
  name: string;
  node: LabNode;
  /** The pod's network namespace (the node's own for host-network pods). */
  ns: string;
  ip: string;
  /** The pod shares its node's network namespace (datapath `host`). */
  hostNetwork: boolean;
  /**
   * Interface of the pod's veth on the node side, as the CNI plugin named it; empty until the
   * pod is wired, and for host-network pods.
   */
  hostVeth: string;
  /** Pod this one is a replica of (PodSpec.replicaOf). */
  replicaOf?: string;
}

export interface LabLayout {
  runId: RunId;
  /** Distinguishes environments of one run: namespaces are `nb-<runId>-e<env>-<name>`. */
  environment: number;
  nodes: LabNode[];
  pods: LabPod[];
}

export const underlayPrefixLength = 24;
export const podPrefixLength = 24;
/** Every pod CIDR of the lab together (the cluster CIDR). */
export const clusterCidr = '10.244.0.0/16';

export function planLayout(runId: RunId, environment: number, topology: TopologySpec): LabLayout {
  const nodes = topology.nodes.map((n, i): LabNode => ({
    name: n.name,
    index: i + 1,
    ns: namespaceName(runId, `e${environment}-${n.name}`),
    underlayIp: `172.31.0.${i + 1}`,
    podCidr: `10.244.${i + 1}.0/${podPrefixLength}`,
    bridgeIp: `10.244.${i + 1}.1`,
  }));
  const perNode = new Map<string, number>();
  const hostNetwork = topology.datapath === 'host';
  const requested = new Set(topology.pods.flatMap((p) => (p.ip === undefined ? [] : [p.ip])));
  const pods = topology.pods.map((p): LabPod => {
    const node = nodes.find((n) => n.name === p.node);
    if (node === undefined) throw new Error(`pod ${p.name} is on unknown node ${p.node}`);
    let ip = p.ip;
    if (ip === undefined) {
      // Pick the next free address from .10, skipping those other pods asked for.
      let k = perNode.get(node.name) ?? 0;
      do {
        ip = `10.244.${node.index}.${10 + k}`;
        k += 1;
      } while (requested.has(ip));
      perNode.set(node.name, k);
    }
    return {
      name: p.name,
      node,
      ns: hostNetwork ? node.ns : namespaceName(runId, `e${environment}-${p.name}`),
      ip: hostNetwork ? node.underlayIp : ip,
      hostNetwork,
      hostVeth: '',
      ...(p.replicaOf === undefined ? {} : { replicaOf: p.replicaOf }),
    };
  });
  return { runId, environment, nodes, pods };
}

/** Every namespace of a layout, each once (host-network pods share their node's). */
export function layoutNamespaces(layout: LabLayout): string[] {
  return [...new Set([...layout.nodes.map((n) => n.ns), ...layout.pods.map((p) => p.ns)])];
}

/**
 * First address of host-local IPAM's range on a node: .2, so that any address a pod may ask
 * for (see requestedAddressProblem) is in range; netbench always asks for one (.10 upwards
 * unless the topology names it).
 */
export function podRangeStart(node: LabNode): string {
  return `10.244.${node.index}.2`;
}

/**
 * Why the addresses pods ask for (PodSpec.ip) cannot be given, or undefined. A pod on node i
 * must ask for an address in that node's pod CIDR, 10.244.i.0/24, other than .0, .1 (the
 * bridge) and .255; no two pods may ask for the same one.
 */
export function requestedAddressProblem(topology: TopologySpec): string | undefined {
  const seen = new Set<string>();
  for (const p of topology.pods) {
    if (p.ip === undefined) continue;
    const index = topology.nodes.findIndex((n) => n.name === p.node) + 1;
    const m = /^10\.244\.(\d+)\.(\d+)$/.exec(p.ip);
    const host = Number(m?.[2]);
    if (m === null || Number(m[1]) !== index || host < 2 || host > 254 || m[2]!.startsWith('0')) {
      return `pod ${p.name} asks for ${p.ip}, but pods on ${p.node} get addresses in 10.244.${index}.0/24 (.2 to .254)`;
    }
    if (seen.has(p.ip)) return `two pods ask for ${p.ip}`;
    seen.add(p.ip);
  }
  return undefined;
}
