/**
 * The Kubernetes platform: the same scenarios on a real cluster. Preflight reads the cluster
 * (version, nodes, CNI, kube-proxy, mesh) and picks the nodes; each deploy applies a topology's
 * objects into the run's namespace `nb-<run id>`; close deletes that namespace and waits until it
 * is gone, so nothing is left behind (also after Ctrl-C or an error).
 */
import type { TopologySpec } from '../../topology/topology-spec.js';
import { hostname } from 'node:os';
import { systemClock, type Clock } from '../../core/clock.js';
import { NetbenchError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { RunId } from '../../core/run-id.js';
import type { ClusterFacts } from '../../results/cluster-facts.js';
import type { Environment, Platform } from '../platform.js';
import { loadAgentBundle, type AgentBundle } from './agent-bundle.js';
import { detectCluster } from './detect.js';
import { resolveImages, type ImageOptions, type ImageSet } from './images.js';
import {
  createKubeApi,
  loadKubeConfig,
  type KubeApi,
  type KubeConnectOptions,
} from './kube-api.js';
import { deployKubeEnvironment } from './kube-environment.js';
import { kubernetesUnsupported } from './kube-unsupported.js';
import { runNamespace, type RunOwner } from './labels.js';
import { agentConfigMap, namespaceObject } from './manifests.js';
import { placeNodes, type Placement } from './placement.js';
import { readClusterListing, daemonPods, removeNamespace } from './cluster-reads.js';

/** The scenario's `kubernetes` section and the flags that override it. */
export interface KubernetesOptions extends KubeConnectOptions, ImageOptions {
  nodes?: readonly string[] | undefined;
}

export interface KubernetesPlatformOptions {
  logger: Logger;
  runId: RunId;
  purpose: string;
  kubernetes: KubernetesOptions;
  clock?: Clock;
  /** How long pods may take to become Ready. @default 180 s */
  readyTimeoutMs?: number;
  /** How long deleting the namespace may take. @default 120 s */
  deleteTimeoutMs?: number;
}

interface Connected {
  api: KubeApi;
  cluster: Omit<ClusterFacts, 'nodes' | 'missingReadings'>;
  placement: Placement;
  daemons: Awaited<ReturnType<typeof daemonPods>>;
  bundle: AgentBundle;
}

export function createKubernetesPlatform(o: KubernetesPlatformOptions): Platform {
  const clock = o.clock ?? systemClock;
  // Resolved now, so a bad --image fails before anything else and `unsupported` stays pure.
  const images: ImageSet = resolveImages(o.kubernetes);
  const missingReadings = new Set<string>();
  let connected: Connected | undefined;
  let namespaceApplied = false;
  let environments = 0;
  const owner: RunOwner = {
    host: hostname(),
    pid: process.pid,
    startedAt: clock.now().toISOString(),
    purpose: o.purpose,
  };
  const need = (): Connected => {
    if (connected === undefined) throw new Error('kubernetes platform used before preflight');
    return connected;
  };

  return {
    name: 'kubernetes',
    async preflight() {
      const bundle = await loadAgentBundle();
      const kc = loadKubeConfig(o.kubernetes);
      const api = createKubeApi(kc);
      const listing = await readClusterListing(api);
      const cluster = detectCluster(listing);
      const cniNodes = await daemonPods(api, listing, undefined);
      const cniHosts = new Set(
        [...cniNodes.values()].filter((d) => d.daemon === cluster.cni.daemonSet).map((d) => d.node),
      );
      const schedulable = listing.nodes.length;
      const roles =
        o.kubernetes.nodes?.length === 1 || schedulable < 2 ? ['node1'] : ['node1', 'node2'];
      const placement = placeNodes(
        roles,
        listing.nodes,
        o.kubernetes.nodes,
        cluster.cni.daemonSet === undefined ? undefined : cniHosts,
      );
      const used = new Set(Object.values(placement.nodeNames));
      const daemons = new Map([...cniNodes].filter(([, d]) => used.has(d.node)));
      // The namespace as a server-side dry run: admission and quotas on namespaces answer now.
      await api.apply(namespaceObject({ runId: o.runId, owner, bundle, hostNetwork: false }), {
        dryRun: true,
      });
      for (const w of [...cluster.warnings, ...placement.warnings]) o.logger.warn(w);
      connected = { api, cluster, placement, daemons, bundle };
    },
    unsupported(topology: TopologySpec, dimensions) {
      return kubernetesUnsupported(topology, dimensions, {
        toolsImage: images.tools !== undefined,
      });
    },
    describe() {
      const c = need();
      return Promise.resolve({
        ...c.cluster,
        warnings: [...c.cluster.warnings, ...c.placement.warnings],
        nodes: c.placement.nodes,
        missingReadings: [...missingReadings],
      });
    },
    async deploy(topology: TopologySpec, signal?: AbortSignal): Promise<Environment> {
      const c = need();
      const missingNode = topology.nodes.find((n) => c.placement.nodeNames[n.name] === undefined);
      if (missingNode !== undefined) {
        throw new NetbenchError(
          'NB_K8S_NODES_UNSUITABLE',
          `the topology needs ${topology.nodes.length} nodes but only ${Object.keys(c.placement.nodeNames).length} suitable node was found`,
          {
            hint: 'give two nodes with --nodes A,B, or exclude cross-node trials',
          },
        );
      }
      const hostNetwork = topology.datapath === 'host';
      if (!namespaceApplied || hostNetwork) {
        const runObjects = { runId: o.runId, owner, bundle: c.bundle, hostNetwork };
        await c.api.apply(namespaceObject(runObjects));
        namespaceApplied = true;
        await c.api.apply(agentConfigMap(runObjects));
      }
      environments += 1;
      return deployKubeEnvironment({
        api: c.api,
        logger: o.logger,
        clock,
        runId: o.runId,
        environment: environments,
        topology,
        nodeNames: c.placement.nodeNames,
        images,
        bundleSha256: c.bundle.sha256,
        cluster: c.cluster,
        daemons: c.daemons,
        onMissingReading: (what) => {
          if (missingReadings.has(what)) return;
          missingReadings.add(what);
          o.logger.warn(`reading missing: ${what}`);
        },
        ...(o.readyTimeoutMs === undefined ? {} : { readyTimeoutMs: o.readyTimeoutMs }),
        ...(signal === undefined ? {} : { signal }),
      });
    },
    async close() {
      if (connected === undefined || !namespaceApplied) return;
      await removeNamespace(
        connected.api,
        runNamespace(o.runId),
        clock,
        o.deleteTimeoutMs ?? 120_000,
      );
    },
  };
}
