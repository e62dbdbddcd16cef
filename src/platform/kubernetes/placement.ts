/**
 * Which cluster nodes stand for the topology's node1 and node2 (pure): the ones asked for, or
 * Ready, schedulable, untainted Linux nodes where the CNI agent runs, preferring one zone.
 */
import { NetbenchError } from '../../core/errors.js';
import type { ClusterNodeFacts } from '../../results/cluster-facts.js';
import type { V1Node } from './kube-types.js';

export const zoneLabel = 'topology.kubernetes.io/zone';
export const instanceTypeLabel = 'node.kubernetes.io/instance-type';

/** Why a node cannot host benchmark pods, or undefined when it can. */
export function nodeUnsuitable(
  node: V1Node,
  cniNodes: ReadonlySet<string> | undefined,
): string | undefined {
  const name = node.metadata?.name ?? '';
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
  if (!ready) return 'not Ready';
  if (node.spec?.unschedulable === true) return 'cordoned (unschedulable)';
  const taints = (node.spec?.taints ?? []).filter(
    (t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute',
  );
  if (taints.length > 0) return `tainted ${taints.map((t) => `${t.key}:${t.effect}`).join(', ')}`;
  const os = node.metadata?.labels?.['kubernetes.io/os'] ?? node.status?.nodeInfo?.operatingSystem;
  if (os !== undefined && os !== 'linux') return `runs ${os}, not linux`;
  if (cniNodes !== undefined && !cniNodes.has(name)) return 'no CNI agent pod runs there';
  return undefined;
}

export interface Placement {
  /** Topology node → cluster node. */
  nodeNames: Record<string, string>;
  nodes: ClusterNodeFacts[];
  warnings: string[];
}

export function nodeFacts(role: string, node: V1Node): ClusterNodeFacts {
  const labels = node.metadata?.labels ?? {};
  const info = node.status?.nodeInfo;
  return {
    role,
    name: node.metadata?.name ?? '',
    ...(labels[zoneLabel] === undefined ? {} : { zone: labels[zoneLabel] }),
    ...(labels[instanceTypeLabel] === undefined ? {} : { instanceType: labels[instanceTypeLabel] }),
    kernel: info?.kernelVersion ?? 'unknown',
    kubelet: info?.kubeletVersion ?? 'unknown',
    containerRuntime: info?.containerRuntimeVersion ?? 'unknown',
    os: info?.osImage ?? 'unknown',
    ...(node.spec?.providerID === undefined ? {} : { providerId: node.spec.providerID }),
  };
}

/**
 * Maps `roles` (node1, node2) to cluster nodes: `asked` in order when given (each checked), else
 * picked. Throws NB_K8S_NODES_UNSUITABLE naming every node and why.
 */
export function placeNodes(
  roles: readonly string[],
  nodes: readonly V1Node[],
  asked: readonly string[] | undefined,
  cniNodes: ReadonlySet<string> | undefined,
): Placement {
  const byName = new Map(nodes.map((n) => [n.metadata?.name ?? '', n]));
  let chosen: V1Node[];
  if (asked !== undefined) {
    if (asked.length < roles.length) {
      throw new NetbenchError(
        'NB_K8S_NODES_UNSUITABLE',
        `the scenario needs ${roles.length} nodes but ${asked.length} ${asked.length === 1 ? 'was' : 'were'} given (${asked.join(', ')})`,
        {
          hint: 'give two nodes with --nodes A,B (`kubectl get nodes`)',
        },
      );
    }
    chosen = asked.slice(0, roles.length).map((name) => {
      const node = byName.get(name);
      if (node === undefined) {
        throw new NetbenchError(
          'NB_K8S_NODES_UNSUITABLE',
          `the cluster has no node ${JSON.stringify(name)}`,
          {
            hint: `nodes: ${[...byName.keys()].join(', ')}`,
          },
        );
      }
      const why = nodeUnsuitable(node, cniNodes);
      if (why !== undefined) {
        throw new NetbenchError(
          'NB_K8S_NODES_UNSUITABLE',
          `node ${name} cannot host benchmark pods: ${why}`,
          {
            hint: 'pick other nodes with --nodes A,B, or leave --nodes out to let netbench pick',
          },
        );
      }
      return node;
    });
  } else {
    const suitable = nodes.filter((n) => nodeUnsuitable(n, cniNodes) === undefined);
    const zones = new Map<string, V1Node[]>();
    for (const n of suitable) {
      const zone = n.metadata?.labels?.[zoneLabel] ?? '';
      zones.set(zone, [...(zones.get(zone) ?? []), n]);
    }
    // The zone with the most suitable nodes, so cross-node pairs stay within a zone.
    const best = [...zones.values()].sort((a, b) => b.length - a.length)[0] ?? [];
    const pool = best.length >= roles.length ? best : suitable;
    chosen = [...pool]
      .sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''))
      .slice(0, roles.length);
    if (chosen.length < roles.length) {
      const reasons = nodes.map(
        (n) => `${n.metadata?.name}: ${nodeUnsuitable(n, cniNodes) ?? 'suitable'}`,
      );
      throw new NetbenchError(
        'NB_K8S_NODES_UNSUITABLE',
        `the scenario needs ${roles.length} suitable nodes, the cluster has ${suitable.length} (${reasons.join('; ')})`,
        {
          hint: 'untaint or uncordon a node, or give nodes with --nodes A,B',
        },
      );
    }
  }
  const facts = chosen.map((n, i) => nodeFacts(roles[i] ?? `node${i + 1}`, n));
  const zonesUsed = new Set(facts.map((f) => f.zone ?? '?'));
  return {
    nodeNames: Object.fromEntries(facts.map((f) => [f.role, f.name])),
    nodes: facts,
    warnings:
      zonesUsed.size > 1
        ? [
            `nodes ${facts.map((f) => `${f.name} (${f.zone ?? 'no zone'})`).join(' and ')} are in different zones: cross-node figures include the inter-zone link`,
          ]
        : [],
  };
}
