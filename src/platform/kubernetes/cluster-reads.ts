/**
 * The reads and deletes shared by the platform and `netbench cluster`: what the cluster runs
 * (for detection), which pods are node daemons, and removing a run's namespace for good.
 */
import type { Clock } from '../../core/clock.js';
import { NetbenchError } from '../../core/errors.js';
import { cniDaemonSets, type ClusterListing } from './detect.js';
import type { KubeApi } from './kube-api.js';

/** Everything detection needs, read from the API server. Optional reads that are refused are skipped. */
export async function readClusterListing(api: KubeApi): Promise<ClusterListing> {
  const version = await api.version();
  const [nodes, daemonSets] = [await api.listNodes(), await api.listDaemonSets()];
  const optional = async <T>(f: () => Promise<T>): Promise<T | undefined> =>
    f().catch(() => undefined);
  const kubeProxy = await optional(() => api.readConfigMap('kube-system', 'kube-proxy'));
  const cilium = daemonSets.find((d) => d.metadata?.name === 'cilium');
  const ciliumConfig =
    cilium === undefined
      ? undefined
      : await optional(() =>
          api.readConfigMap(cilium.metadata?.namespace ?? 'kube-system', 'cilium-config'),
        );
  const meshPods = [
    ...((await optional(() => api.listPods(undefined, 'app in (istiod,ztunnel)')))?.items ?? []),
    ...((
      await optional(() =>
        api.listPods(undefined, 'linkerd.io/control-plane-component=destination'),
      )
    )?.items ?? []),
  ];
  const kubeProxyConfig = kubeProxy?.data?.['config.conf'];
  return {
    context: api.context,
    server: api.server,
    version,
    nodes,
    daemonSets,
    ...(kubeProxyConfig === undefined ? {} : { kubeProxyConfig }),
    ...(ciliumConfig?.data === undefined ? {} : { ciliumConfig: ciliumConfig.data }),
    meshPods,
  };
}

/** Node daemons netbench accounts: the CNI agent, kube-proxy and ztunnel pods, by pod name. */
export async function daemonPods(
  api: KubeApi,
  listing: ClusterListing,
  nodes: ReadonlySet<string> | undefined,
): Promise<Map<string, { daemon: string; node: string; namespace: string }>> {
  const wanted = new Set([...Object.keys(cniDaemonSets), 'kube-proxy', 'ztunnel']);
  const sets = listing.daemonSets.filter((d) => wanted.has(d.metadata?.name ?? ''));
  const out = new Map<string, { daemon: string; node: string; namespace: string }>();
  for (const set of sets) {
    const namespace = set.metadata?.namespace ?? 'kube-system';
    const labels = set.spec?.selector.matchLabels ?? {};
    const selector = Object.entries(labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    const pods = await api.listPods(namespace, selector).catch(() => ({ items: [] }));
    for (const p of pods.items) {
      const node = p.spec?.nodeName ?? '';
      if (nodes !== undefined && !nodes.has(node)) continue;
      out.set(p.metadata?.name ?? '', { daemon: set.metadata?.name ?? '', node, namespace });
    }
  }
  return out;
}

/** Deletes a namespace and waits until the API server no longer has it. */
export async function removeNamespace(
  api: KubeApi,
  name: string,
  clock: Clock,
  timeoutMs: number,
): Promise<void> {
  await api.delete({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  const deadline = clock.monotonicMs() + timeoutMs;
  while ((await api.readNamespace(name)) !== undefined) {
    if (clock.monotonicMs() > deadline) {
      throw new NetbenchError(
        'NB_K8S_CLEANUP_FAILED',
        `namespace ${name} was still terminating after ${timeoutMs / 1000} s`,
        {
          hint: `a finalizer may hold it: \`kubectl get namespace ${name} -o yaml\`; \`netbench cluster down\` retries`,
        },
      );
    }
    await clock.sleep(250);
  }
}
