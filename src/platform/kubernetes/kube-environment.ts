/**
 * One deployed topology on a cluster: its pods (and Service and NetworkPolicies) in the run's
 * namespace, applied server-side after a server-side dry run, waited for by watch, read back
 * (addresses, injected proxies), and driven over exec.
 */
import type { TopologySpec } from '../../topology/topology-spec.js';
import { parseProcStatMachineTicks, clockTicksPerSecond } from '../../core/proc.js';
import type { Clock } from '../../core/clock.js';
import { NetbenchError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { CommandResult, RunningProcess } from '../../core/process-runner.js';
import type { ClusterFacts, KubernetesPodFacts } from '../../results/cluster-facts.js';
import {
  hypervisorStealGroup,
  type Environment,
  type PodCommand,
  type PodExecOptions,
  type ResourceGroupReading,
} from '../platform.js';
import { podAgentArgv } from './agent-bundle.js';
import type { ImageSet } from './images.js';
import type { KubeApi } from './kube-api.js';
import type { V1Pod } from './kube-types.js';
import { parseResourceMetrics } from './kubelet-metrics.js';
import { environmentLabel, runLabel, runNamespace } from './labels.js';
import {
  environmentObjectList,
  environmentObjects,
  netbenchContainer,
  toolsContainer,
  type MeshKind,
} from './manifests.js';
import { isPodReady, notReadyError, podFailure } from './pod-readiness.js';

export interface KubeEnvironmentOptions {
  api: KubeApi;
  logger: Logger;
  clock: Clock;
  runId: string;
  environment: number;
  topology: TopologySpec;
  nodeNames: Readonly<Record<string, string>>;
  images: ImageSet;
  bundleSha256: string;
  cluster: Omit<ClusterFacts, 'nodes' | 'missingReadings'>;
  /** Node daemons to account (CNI agent, kube-proxy, ztunnel): pod name → daemon name. */
  daemons: ReadonlyMap<string, { daemon: string; node: string; namespace: string }>;
  /** Called with a reading that could not be taken (once each). */
  onMissingReading: (what: string) => void;
  /** How long pods may take to become Ready. @default 180 s */
  readyTimeoutMs?: number;
  signal?: AbortSignal;
}

const meshProxies = ['istio-proxy', 'linkerd-proxy'];

export async function deployKubeEnvironment(o: KubeEnvironmentOptions): Promise<Environment> {
  const { api, topology } = o;
  const namespace = runNamespace(o.runId);
  const meshKind: MeshKind | undefined =
    o.cluster.mesh?.name === 'linkerd'
      ? 'linkerd'
      : o.cluster.mesh?.name === 'istio'
        ? 'istio'
        : undefined;
  if (topology.mesh !== undefined) {
    if (meshKind === undefined) {
      throw new NetbenchError(
        'NB_K8S_MESH_MISSING',
        `mesh ${topology.mesh.mode} was asked but no service mesh is installed (no istiod, ztunnel or linkerd destination pod)`,
        {
          hint: 'install Istio or Linkerd, or measure mesh: none on this cluster',
        },
      );
    }
    if (topology.mesh.mode === 'node-proxy' && o.cluster.mesh?.ambient !== true) {
      throw new NetbenchError(
        'NB_K8S_MESH_MISSING',
        'mesh node-proxy needs Istio ambient (a ztunnel DaemonSet), which this cluster does not run',
        {
          hint: 'install Istio with the ambient profile, or measure mesh sidecar',
        },
      );
    }
  }
  if (topology.policy !== undefined && !o.cluster.cni.enforcesPolicy) {
    throw new NetbenchError(
      'NB_PLAN_IMPOSSIBLE',
      `the cluster's CNI (${o.cluster.cni.name}) does not enforce NetworkPolicy: a policy trial would measure nothing`,
      {
        hint: 'measure policy: off on this cluster, or run on a CNI that enforces policy (calico, cilium, antrea…)',
      },
    );
  }
  const objects = environmentObjects(topology, {
    runId: o.runId,
    environment: o.environment,
    nodeNames: o.nodeNames,
    images: o.images,
    bundleSha256: o.bundleSha256,
    ...(meshKind === undefined ? {} : { meshKind }),
  });
  const list = environmentObjectList(objects);
  const selector = `${runLabel}=${o.runId},${environmentLabel}=e${o.environment}`;
  const started = o.clock.monotonicMs();
  const processes: RunningProcess[] = [];
  let tornDown = false;
  const teardown = async (): Promise<void> => {
    if (tornDown) return;
    tornDown = true;
    for (const p of processes) p.kill();
    for (const object of [...list].reverse())
      await api
        .delete(object)
        .catch((error: unknown) => o.logger.debug(`teardown: ${(error as Error).message}`));
  };

  let pods: V1Pod[];
  try {
    // Preflight: admission webhooks, quotas and Pod Security answer before anything exists.
    for (const object of list) await api.apply(object, { dryRun: true });
    for (const object of list) {
      o.signal?.throwIfAborted();
      await api.apply(object);
    }
    pods = await waitReady(o, namespace, selector, objects.pods.length);
  } catch (error) {
    await teardown();
    if (
      o.signal?.aborted === true &&
      !(error instanceof NetbenchError && error.code !== 'NB_INTERRUPTED')
    ) {
      throw new NetbenchError('NB_INTERRUPTED', 'interrupted while deploying pods');
    }
    throw error;
  }
  const podByTopologyName = new Map<string, V1Pod>();
  for (const p of pods) podByTopologyName.set(p.metadata?.labels?.['netbench.io/pod'] ?? '', p);
  const podOf = (name: string): V1Pod => {
    const pod = podByTopologyName.get(name);
    if (pod === undefined) throw new Error(`no pod named ${name} in this environment`);
    return pod;
  };
  const podFacts: KubernetesPodFacts[] = topology.pods.map((spec) => {
    const pod = podOf(spec.name);
    const containers = pod.spec?.containers.map((c) => c.name) ?? [];
    const proxy =
      containers.find((c) => meshProxies.includes(c)) ??
      (pod.spec?.initContainers ?? []).map((c) => c.name).find((c) => meshProxies.includes(c));
    return {
      pod: spec.name,
      name: pod.metadata?.name ?? '',
      node: pod.spec?.nodeName ?? '',
      ip: pod.status?.podIP ?? '',
      hostNetwork: pod.spec?.hostNetwork === true,
      containers,
      ...(proxy === undefined ? {} : { meshProxy: proxy }),
    };
  });
  // Never trust the label alone: a member must really have its proxy.
  if (topology.mesh?.mode === 'sidecar') {
    const missing = podFacts.filter(
      (p) => topology.mesh?.members.includes(p.pod) === true && p.meshProxy === undefined,
    );
    if (missing.length > 0) {
      await teardown();
      throw new NetbenchError(
        'NB_K8S_MESH_MISSING',
        `${o.cluster.mesh?.name ?? 'the mesh'} injected no proxy into ${missing.map((p) => p.name).join(', ')}`,
        {
          hint: 'the injection webhook did not act on the pods: check its namespace/object selectors and `kubectl get mutatingwebhookconfigurations`',
        },
      );
    }
  }

  const containerFor = (command: PodCommand): string =>
    command.kind === 'program' && o.images.tools !== undefined ? toolsContainer : netbenchContainer;
  const argvOf = (command: PodCommand): readonly string[] => {
    if (command.cpus !== undefined) {
      throw new NetbenchError(
        'NB_PLAN_IMPOSSIBLE',
        'CPU pinning is not supported on the kubernetes platform',
        {
          hint: 'measure pinning: none on a cluster',
        },
      );
    }
    return command.kind === 'agent' ? podAgentArgv(command.args) : command.argv;
  };
  const startIn = async (
    pod: V1Pod,
    command: PodCommand,
    signal?: AbortSignal,
  ): Promise<RunningProcess> => {
    const p = await api.exec(
      namespace,
      pod.metadata?.name ?? '',
      containerFor(command),
      argvOf(command),
    );
    processes.push(p);
    if (signal !== undefined) {
      const stop = (): void => p.kill();
      signal.addEventListener('abort', stop, { once: true });
      void p.exited.then(() => signal.removeEventListener('abort', stop));
    }
    return p;
  };
  const execIn = async (
    pod: string,
    command: PodCommand,
    opts: PodExecOptions = {},
  ): Promise<CommandResult> => {
    const p = await startIn(podOf(pod), command, opts.signal);
    p.stdin.end();
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
    p.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    const timeout =
      opts.timeoutMs === undefined
        ? undefined
        : o.clock.sleep(opts.timeoutMs).then(() => 'timeout' as const);
    const outcome = await Promise.race([p.exited, ...(timeout === undefined ? [] : [timeout])]);
    if (outcome === 'timeout') {
      p.kill();
      throw new NetbenchError(
        'NB_K8S_EXEC_FAILED',
        `exec in pod ${pod} timed out after ${opts.timeoutMs} ms`,
        { hint: 'the API server or kubelet may be overloaded' },
      );
    }
    const exitCode = outcome.code ?? 1;
    if (exitCode !== 0 && opts.allowFailure !== true) {
      throw new NetbenchError(
        'NB_K8S_EXEC_FAILED',
        `\`${argvOf(command).join(' ')}\` in pod ${pod} exited with ${exitCode}: ${stderr.trim().slice(-300)}`,
        {
          hint: 'the container may lack the program; tool workloads need --tools-image',
        },
      );
    }
    return { exitCode, stdout, stderr };
  };

  const podMtu = await execIn(
    topology.pods[0]?.name ?? 'client',
    { kind: 'program', argv: ['cat', '/sys/class/net/eth0/mtu'] },
    { allowFailure: true, timeoutMs: 10_000 },
  )
    .then((r) => Number(r.stdout.trim()) || 0)
    .catch(() => 0);
  const service = objects.services[0];
  let clusterIp: string | undefined;
  if (service !== undefined) {
    const applied = await api.apply(service);
    clusterIp = applied.spec?.clusterIP;
  }
  const readyMs = o.clock.monotonicMs() - started;
  const usedNodes = [...new Set(Object.values(o.nodeNames))];
  const roleOf = (name: string): string =>
    topology.pods.find((p) => p.name === name)?.replicaOf ?? name;

  return {
    topology,
    facts: {
      datapath: topology.datapath,
      models: `${topology.datapath === 'host' ? 'hostNetwork pods on' : 'the pod network of'} ${o.cluster.cni.name}${o.cluster.cni.mode === undefined ? '' : ` (${o.cluster.cni.mode})`} on ${o.cluster.flavour}`,
      leavesOut: 'nothing: a real cluster; netbench records the CNI, kube-proxy and mesh it found',
      podMtu,
      encapsulation:
        o.cluster.cni.name === 'flannel' || /tunnel (vxlan|geneve)/.test(o.cluster.cni.mode ?? '')
          ? 'vxlan'
          : 'none',
      routes: [],
      setupMs: readyMs,
      kubernetes: {
        namespace,
        pods: podFacts,
        ...(service === undefined || clusterIp === undefined
          ? {}
          : { service: { name: service.metadata?.name ?? '', clusterIp } }),
        networkPolicies: objects.networkPolicies.map((p) => p.metadata?.name ?? ''),
        readyMs,
      },
    },
    podAddress: (name) => podOf(name).status?.podIP ?? '',
    targetAddress(pod, port) {
      const target = topology.services?.target;
      const servicePort = target?.ports.find((p) => p.targetPort === port);
      if (
        target?.endpoints.includes(pod) === true &&
        servicePort !== undefined &&
        clusterIp !== undefined
      ) {
        return { host: clusterIp, port: servicePort.port };
      }
      return { host: podOf(pod).status?.podIP ?? '', port };
    },
    exec: execIn,
    async start(pod, command, startOptions = {}) {
      const replicas = topology.pods.filter((p) => p.replicaOf === pod);
      const started: RunningProcess[] = [];
      for (const replica of replicas) {
        const p = await startIn(podOf(replica.name), command, startOptions.signal);
        started.push(p);
        if (command.kind === 'agent') await firstLine(p, `pod ${replica.name}`);
      }
      const primary = await startIn(podOf(pod), command, startOptions.signal);
      void primary.exited.then(() => {
        for (const r of started) r.kill();
      });
      return primary;
    },
    async readResources() {
      const groups: ResourceGroupReading[] = [];
      for (const node of usedNodes) {
        let text: string;
        try {
          text = await api.nodeProxy(node, 'metrics/resource');
        } catch (error) {
          o.onMissingReading(
            `CPU and memory per container on ${node}: ${(error as Error).message}`,
          );
          continue;
        }
        for (const u of parseResourceMetrics(text)) {
          if (u.namespace === namespace) {
            const pod = pods.find((p) => p.metadata?.name === u.pod);
            const name = pod?.metadata?.labels?.['netbench.io/pod'];
            if (name === undefined) continue;
            const app = u.container === netbenchContainer || u.container === toolsContainer;
            groups.push({
              scope: 'pod',
              name: app ? name : `${name}/${u.container}`,
              node,
              role: app ? roleOf(name) : 'proxy',
              cpuSeconds: u.cpuSeconds,
              rssBytes: u.workingSetBytes,
            });
            continue;
          }
          const daemon = o.daemons.get(u.pod);
          if (daemon !== undefined && daemon.namespace === u.namespace) {
            groups.push({
              scope: 'node',
              name: daemon.daemon,
              node,
              role: daemon.daemon,
              cpuSeconds: u.cpuSeconds,
              rssBytes: u.workingSetBytes,
            });
          }
        }
      }
      // Containers of one pod group (tools + netbench) are summed, like processes of a lab pod.
      const merged = new Map<string, ResourceGroupReading>();
      for (const g of groups) {
        const key = `${g.scope}/${g.name}/${g.node}`;
        const m = merged.get(key);
        if (m === undefined) merged.set(key, { ...g });
        else {
          m.cpuSeconds += g.cpuSeconds;
          m.rssBytes += g.rssBytes;
        }
      }
      const stat = await execIn(
        topology.pods[0]?.name ?? 'client',
        { kind: 'program', argv: ['cat', '/proc/stat'] },
        { allowFailure: true, timeoutMs: 5000 },
      ).catch(() => undefined);
      const machine = stat === undefined ? undefined : parseProcStatMachineTicks(stat.stdout);
      if (machine !== undefined) {
        merged.set(hypervisorStealGroup, {
          scope: 'node',
          name: hypervisorStealGroup,
          node: usedNodes[0] ?? 'node1',
          role: 'steal',
          cpuSeconds: machine.steal / clockTicksPerSecond,
          rssBytes: 0,
        });
      }
      return { atMs: o.clock.monotonicMs(), groups: [...merged.values()] };
    },
    teardown,
  };
}

async function waitReady(
  o: KubeEnvironmentOptions,
  namespace: string,
  selector: string,
  expected: number,
): Promise<V1Pod[]> {
  const timeoutMs = o.readyTimeoutMs ?? 180_000;
  const current = new Map<string, V1Pod>();
  const done = (): boolean => current.size === expected && [...current.values()].every(isPodReady);
  const check = (pod: V1Pod): void => {
    const failure = podFailure(pod);
    if (failure !== undefined) throw failure;
  };
  const listed = await o.api.listPods(namespace, selector);
  for (const p of listed.items) {
    current.set(p.metadata?.name ?? '', p);
    check(p);
  }
  if (done()) return [...current.values()];
  const timer = new AbortController();
  const timeout = setTimeout(() => timer.abort(), timeoutMs);
  const signal = o.signal === undefined ? timer.signal : AbortSignal.any([timer.signal, o.signal]);
  try {
    let resourceVersion = listed.resourceVersion;
    for (let attempt = 0; ; attempt++) {
      try {
        await o.api.watchPods(
          namespace,
          selector,
          resourceVersion,
          (e) => {
            if (e.type === 'DELETED') current.delete(e.pod.metadata?.name ?? '');
            else current.set(e.pod.metadata?.name ?? '', e.pod);
            check(e.pod);
            return done();
          },
          signal,
        );
        return [...current.values()];
      } catch (error) {
        // A watch whose history was compacted (410) is restarted from a fresh list, once.
        if (
          error instanceof NetbenchError &&
          error.code === 'NB_K8S_WATCH_EXPIRED' &&
          attempt === 0
        ) {
          const again = await o.api.listPods(namespace, selector);
          current.clear();
          for (const p of again.items) current.set(p.metadata?.name ?? '', p);
          if (done()) return [...current.values()];
          resourceVersion = again.resourceVersion;
          continue;
        }
        if (timer.signal.aborted && !(o.signal?.aborted ?? false)) {
          const events = await o.api.listEvents(namespace).catch(() => []);
          throw notReadyError(
            [...current.values()].filter((p) => !isPodReady(p)),
            events,
            timeoutMs / 1000,
          );
        }
        throw error;
      }
    }
  } finally {
    clearTimeout(timeout);
  }
}

/** Waits for a replica agent's first output line, then keeps its output drained. */
async function firstLine(p: RunningProcess, what: string): Promise<void> {
  const outcome = await Promise.race([
    new Promise<'line'>((resolve) => p.stdout.once('data', () => resolve('line'))),
    p.exited.then(() => 'exited' as const),
  ]);
  p.stdout.resume();
  p.stderr.resume();
  if (outcome !== 'line') {
    throw new NetbenchError(
      'NB_WORKLOAD_FAILED',
      `the replica in ${what} exited before it was ready`,
    );
  }
}
