/**
 * The lab's address plan, pure: node i (1-based) owns pod CIDR 10.244.i.0/24 with its bridge at
 * .1 and pods from .10; nodes meet on the underlay 172.31.0.0/24 at 172.31.0.i. These ranges
 * only exist inside the run's namespaces, so concurrent runs and the host never clash.
 */
import type { RunId } from '../../core/run-id.js';
import type { TopologySpec } from '../platform.js';
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
  ns: string;
  ip: string;
  /** Interface of the pod's veth on the node side. */
  hostVeth: string;
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
      ns: namespaceName(runId, `e${environment}-${p.name}`),
      ip,
      hostVeth: `veth-${p.name}`,
    };
  });
  return { runId, environment, nodes, pods };
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
