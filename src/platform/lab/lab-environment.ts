/**
 * One deployed lab topology: node and pod namespaces, per-node bridges, pod veths, the underlay
 * and the datapath between nodes. Created for a trial, torn down when no longer needed.
 */
import type { Clock } from '../../core/clock.js';
import { NetbenchError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { RunningProcess } from '../../core/process-runner.js';
import type {
  Environment,
  EnvironmentFacts,
  PodCommand,
  PodExecOptions,
  RouteFact,
  TopologySpec,
} from '../platform.js';
import { planLayout, podPrefixLength, underlayPrefixLength, type LabLayout } from './addressing.js';
import { agentArgv } from './agent-entry.js';
import type { LabDatapath } from './datapaths/datapath.js';
import type { LabDaemon } from './features/feature.js';
import { labFeatures } from './features/index.js';
import type { LabShell } from './lab-shell.js';
import { createLabResourceReader } from './lab-resources.js';
import { listNamespaces, pidsInNamespace, stopProcesses } from './leftovers.js';
import { linkAlias } from './names.js';

export interface LabEnvironmentOptions {
  shell: LabShell;
  logger: Logger;
  clock: Clock;
  runId: string;
  environment: number;
  topology: TopologySpec;
  datapath: LabDatapath;
  underlayMtu: number;
  /** This run's state directory, for feature config files. */
  stateDir: string;
  signal?: AbortSignal;
}

export async function createLabEnvironment(options: LabEnvironmentOptions): Promise<Environment> {
  const { shell, topology, datapath, clock } = options;
  const layout = planLayout(options.runId, options.environment, topology);
  const started = clock.monotonicMs();
  const namespaces = [...layout.nodes.map((n) => n.ns), ...layout.pods.map((p) => p.ns)];
  const existing = new Set(await listNamespaces(shell));
  const busy = namespaces.filter((ns) => existing.has(ns));
  if (busy.length > 0) {
    throw new NetbenchError(
      'NB_LAB_NAME_BUSY',
      `network namespace ${busy.join(', ')} already exists`,
      {
        hint: 'another netbench run with the same id is active or crashed; run `netbench lab status`, then `netbench lab down`',
      },
    );
  }
  const processes: RunningProcess[] = [];
  const daemons: LabDaemon[] = [];
  let tornDown = false;
  const teardown = async (): Promise<void> => {
    if (tornDown) return;
    tornDown = true;
    for (const p of processes) p.kill('SIGTERM');
    await Promise.race([Promise.all(processes.map((p) => p.exited)), clock.sleep(2000)]);
    const pids: number[] = [];
    for (const ns of namespaces) pids.push(...(await pidsInNamespace(shell, ns)));
    await stopProcesses(pids);
    for (const ns of namespaces) {
      await shell.runner.run({ argv: ['ip', 'netns', 'delete', ns], allowFailure: true });
    }
  };

  const podMtu = datapath.podMtu(options.underlayMtu);
  let featureFacts: Partial<EnvironmentFacts> = {};
  try {
    options.signal?.throwIfAborted();
    await shell.ipBatch(
      undefined,
      namespaces.map((ns) => `netns add ${ns}`),
    );
    await buildNodes(shell, layout, podMtu, options.underlayMtu);
    await buildPods(shell, layout, podMtu);
    options.signal?.throwIfAborted();
    await datapath.connect({ shell, layout, underlayMtu: options.underlayMtu });
    for (const feature of labFeatures.filter((f) => f.applies(topology))) {
      options.signal?.throwIfAborted();
      featureFacts = {
        ...featureFacts,
        ...(await feature.apply({
          shell,
          layout,
          topology,
          stateDir: options.stateDir,
          ...(options.signal === undefined ? {} : { signal: options.signal }),
          async startDaemon(ns, name, argv) {
            const p = await shell.start(ns, argv);
            processes.push(p);
            daemons.push({ ns, name, process: p });
            return p;
          },
        })),
      };
    }
  } catch (error) {
    await teardown();
    if (error instanceof NetbenchError) throw error;
    if (options.signal?.aborted === true) {
      throw new NetbenchError('NB_INTERRUPTED', 'interrupted while building the lab');
    }
    throw new NetbenchError(
      'NB_LAB_SETUP_FAILED',
      `building the ${topology.datapath} lab failed: ${(error as Error).message}`,
      {
        hint: 'run `netbench lab up` to reproduce it and inspect with `ip netns list`; the lab needs root and iproute2',
        cause: error,
      },
    );
  }
  const facts: EnvironmentFacts = {
    ...featureFacts,
    datapath: topology.datapath,
    models: datapath.models,
    podMtu,
    encapsulation: datapath.encapsulation,
    routes: await readRoutes(shell, layout),
    setupMs: clock.monotonicMs() - started,
  };
  options.logger.debug(
    `lab ${layout.runId} e${layout.environment}: ${topology.datapath} up in ${facts.setupMs.toFixed(0)} ms`,
  );

  const podOf = (name: string): LabLayout['pods'][number] => {
    const pod = layout.pods.find((p) => p.name === name);
    if (pod === undefined) throw new Error(`no pod named ${name} in this environment`);
    return pod;
  };
  const argvOf = (command: PodCommand): readonly string[] => {
    const argv = command.kind === 'agent' ? agentArgv(command.args) : command.argv;
    return command.cpus === undefined ? argv : ['taskset', '-c', command.cpus.join(','), ...argv];
  };

  return {
    topology,
    facts,
    podAddress: (name) => podOf(name).ip,
    exec: (pod, command, execOptions: PodExecOptions = {}) =>
      shell.exec(podOf(pod).ns, argvOf(command), execOptions),
    async start(pod, command, startOptions = {}) {
      const p = await shell.start(podOf(pod).ns, argvOf(command), startOptions);
      processes.push(p);
      return p;
    },
    readResources: createLabResourceReader(layout, daemons, clock),
    teardown,
  };
}

async function buildNodes(
  shell: LabShell,
  layout: LabLayout,
  podMtu: number,
  underlayMtu: number,
): Promise<void> {
  const alias = linkAlias(layout.runId);
  for (const node of layout.nodes) {
    await shell.ipBatch(node.ns, [
      'link set lo up',
      `link add cni0 mtu ${podMtu} type bridge`,
      `link set cni0 alias ${alias}`,
      `address add ${node.bridgeIp}/${podPrefixLength} dev cni0`,
      'link set cni0 up',
    ]);
    await shell.sysctl(node.ns, { 'net.ipv4.ip_forward': 1 });
  }
  const [first, second] = layout.nodes;
  if (first !== undefined && second !== undefined) {
    await shell.ipBatch(first.ns, [
      `link add eth0 mtu ${underlayMtu} type veth peer name eth0 mtu ${underlayMtu} netns ${second.ns}`,
      `link set eth0 alias ${alias}`,
      `address add ${first.underlayIp}/${underlayPrefixLength} dev eth0`,
      'link set eth0 up',
    ]);
    await shell.ipBatch(second.ns, [
      `link set eth0 alias ${alias}`,
      `address add ${second.underlayIp}/${underlayPrefixLength} dev eth0`,
      'link set eth0 up',
    ]);
  }
}

async function buildPods(shell: LabShell, layout: LabLayout, podMtu: number): Promise<void> {
  const alias = linkAlias(layout.runId);
  for (const pod of layout.pods) {
    await shell.ipBatch(pod.node.ns, [
      `link add ${pod.hostVeth} mtu ${podMtu} type veth peer name eth0 mtu ${podMtu} netns ${pod.ns}`,
      `link set ${pod.hostVeth} alias ${alias}`,
      `link set ${pod.hostVeth} master cni0`,
      `link set ${pod.hostVeth} up`,
    ]);
    await shell.ipBatch(pod.ns, [
      'link set lo up',
      `link set eth0 alias ${alias}`,
      `address add ${pod.ip}/${podPrefixLength} dev eth0`,
      'link set eth0 up',
      `route add default via ${pod.node.bridgeIp} dev eth0`,
    ]);
  }
}

interface IpRouteJson {
  dst: string;
  gateway?: string;
  dev: string;
  protocol?: string;
}

/** Routes as the kernel has them after setup (read back, not assumed). */
async function readRoutes(shell: LabShell, layout: LabLayout): Promise<RouteFact[]> {
  const routes: RouteFact[] = [];
  for (const node of layout.nodes) {
    const out = await shell.ip(node.ns, ['-j', 'route', 'show']);
    for (const r of JSON.parse(out.stdout || '[]') as IpRouteJson[]) {
      routes.push({
        node: node.name,
        destination: r.dst,
        ...(r.gateway === undefined ? {} : { via: r.gateway }),
        device: r.dev,
        origin: r.protocol ?? 'boot',
      });
    }
  }
  return routes;
}
