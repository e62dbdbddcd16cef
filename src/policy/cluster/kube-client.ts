/**
 * The cluster list port on @kubernetes/client-node: a kubeconfig (the default one, or a file)
 * and a context, three paginated list calls. Objects are returned as the JSON the API server
 * sent (dates as strings), so the dump reader and the policy parser see what kubectl shows.
 */
import { CoreV1Api, KubeConfig, NetworkingV1Api } from '@kubernetes/client-node';
import { NetbenchError } from '../../core/errors.js';
import type { ClusterListPort } from './cluster-api.js';

/** Which cluster to read. */
export interface KubeClientOptions {
  /** A kubeconfig file; default: $KUBECONFIG or ~/.kube/config. */
  kubeconfig?: string;
  /** A context of the kubeconfig; default: its current context. */
  context?: string;
}

/** Items per list call; the API server pages larger lists with a continue token. */
const pageSize = 500;

interface Page {
  items: object[];
  metadata?: { _continue?: string };
}

interface AttributeMap {
  getAttributeTypeMap(): { name: string; baseName: string }[];
}

/**
 * The JSON the API server sent, from the client's decoded model objects: those rename fields
 * that are reserved words in TypeScript (`from` is `_from`) and hold dates as Date, so each
 * object's own attribute map (name → baseName) turns it back.
 */
export function toWireJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toWireJson);
  if (value instanceof Date) return value.toISOString();
  if (value === null || typeof value !== 'object') return value;
  const type = value.constructor as Partial<AttributeMap> | undefined;
  const names = new Map(
    typeof type?.getAttributeTypeMap === 'function'
      ? type.getAttributeTypeMap().map((a) => [a.name, a.baseName])
      : [],
  );
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v !== undefined) out[names.get(k) ?? k] = toWireJson(v);
  }
  return out;
}

async function allPages(
  list: (token: string | undefined) => Promise<Page>,
): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  let token: string | undefined;
  do {
    const page = await list(token);
    for (const item of page.items) out.push(toWireJson(item) as Record<string, unknown>);
    token = page.metadata?._continue;
  } while (token !== undefined && token !== '');
  return out;
}

function unreachable(source: string, error: unknown): NetbenchError {
  const message = error instanceof Error ? error.message : String(error);
  return new NetbenchError('NB_POLICY_CLUSTER_UNREACHABLE', `cannot read ${source}: ${message}`, {
    hint: 'check the kubeconfig and context (kubectl --context C get pods -A works?); netbench needs list on namespaces, pods and networkpolicies',
    cause: error,
  });
}

export function createKubeListPort(options: KubeClientOptions): ClusterListPort {
  const kc = new KubeConfig();
  try {
    if (options.kubeconfig === undefined) kc.loadFromDefault();
    else kc.loadFromFile(options.kubeconfig);
    if (options.context !== undefined) kc.setCurrentContext(options.context);
  } catch (error) {
    throw new NetbenchError(
      'NB_POLICY_CLUSTER_UNREACHABLE',
      `cannot load the kubeconfig${options.kubeconfig === undefined ? '' : ` ${options.kubeconfig}`}: ${error instanceof Error ? error.message : String(error)}`,
      {
        hint: 'pass --kubeconfig FILE and --context NAME (kubectl config get-contexts lists them)',
      },
    );
  }
  if (kc.getCurrentCluster() === null) {
    throw new NetbenchError('NB_POLICY_CLUSTER_UNREACHABLE', 'the kubeconfig names no cluster', {
      hint: 'pass --kubeconfig FILE and --context NAME (kubectl config get-contexts lists them)',
    });
  }
  const source = `context ${kc.getCurrentContext()}`;
  const core = kc.makeApiClient(CoreV1Api);
  const networking = kc.makeApiClient(NetworkingV1Api);
  const guarded = async (list: (token: string | undefined) => Promise<Page>) => {
    try {
      return await allPages(list);
    } catch (error) {
      throw unreachable(source, error);
    }
  };
  const page = (token: string | undefined) => ({
    limit: pageSize,
    ...(token === undefined ? {} : { _continue: token }),
  });
  return {
    source,
    listNamespaces: () => guarded((t) => core.listNamespace(page(t))),
    listPods: () => guarded((t) => core.listPodForAllNamespaces(page(t))),
    listNetworkPolicies: () =>
      guarded((t) => networking.listNetworkPolicyForAllNamespaces(page(t))),
  };
}
