/**
 * Reading a cluster through the Kubernetes API, behind a small port: three list calls
 * (namespaces, pods, NetworkPolicies of every namespace). The snapshot is built from their
 * items as from a kubectl dump, so both inputs are handled alike.
 */
import { parsePolicyObjects } from '../parse-policies.js';
import { createSnapshotBuilder, type ClusterSnapshot } from './cluster-dump.js';

/** What netbench needs from a Kubernetes API server: the items of three lists, as JSON objects. */
export interface ClusterListPort {
  /** Where the objects come from, for messages (`context kind-kind`). */
  source: string;
  listNamespaces(): Promise<Record<string, unknown>[]>;
  listPods(): Promise<Record<string, unknown>[]>;
  listNetworkPolicies(): Promise<Record<string, unknown>[]>;
}

/** List items carry no kind; the list call says what they are. */
function withKind(
  items: Record<string, unknown>[],
  apiVersion: string,
  kind: string,
): Record<string, unknown>[] {
  return items.map((o) => ({ ...o, apiVersion, kind }));
}

export async function readClusterSnapshot(api: ClusterListPort): Promise<ClusterSnapshot> {
  const [namespaces, pods, policies] = await Promise.all([
    api.listNamespaces(),
    api.listPods(),
    api.listNetworkPolicies(),
  ]);
  const builder = createSnapshotBuilder();
  for (const o of withKind(namespaces, 'v1', 'Namespace')) builder.add(o);
  for (const o of withKind(pods, 'v1', 'Pod')) builder.add(o);
  const parsed = parsePolicyObjects(
    withKind(policies, 'networking.k8s.io/v1', 'NetworkPolicy'),
    api.source,
  );
  return builder.build(parsed);
}
