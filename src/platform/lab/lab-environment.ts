/**
 * One deployed lab topology: node and pod namespaces, the underlay, pods wired by the CNI
 * reference plugins (or host network), the datapath between nodes and the features on top.
 * Created for a trial, torn down when no longer needed.
 *
 * Setup order, as on a cluster node: namespaces → nodes (underlay) → pods (CNI ADD, CHECK) →
 * datapath (routes, VXLAN, BGP daemons, BPF programs) → features (services, policy, mesh).
 * Teardown runs it backwards: processes, CNI DEL, datapath cleanup outside the namespaces,
 * namespaces.
 */
import type { TopologySpec } from '../../topology/topology-spec.js';
import type { DatapathFacts, EnvironmentFacts } from '../../results/facts.js';
import { join } from 'node:path';
import type { Clock } from '../../core/clock.js';
import { NetbenchError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { RunningProcess } from '../../core/process-runner.js';
import type { Environment, PodCommand, PodExecOptions, TargetAddress } from '../platform.js';
import { layoutNamespaces, planLayout, type LabLayout, type LabPod } from './addressing.js';
import { agentArgv } from './agent-entry.js';
import { createCniRuntime } from './cni/cni-runtime.js';
import { wirePods, type WiredPods } from './cni/pod-wiring.js';
import type { DatapathConnection, LabDatapath } from './datapaths/datapath.js';
import type { LabDaemon } from './features/feature.js';
import { labFeatures } from './features/index.js';
import { readPolicyCounters } from './features/policy/counters.js';
import type { LabShell } from './lab-shell.js';
import { createLabResourceReader } from './lab-resources.js';
import { listNamespaces, pidsInNamespace, stopProcesses } from './leftovers.js';
import { buildNodes } from './nodes.js';
import { readPathMtu, readRoutes } from './readback.js';

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
  /** Where the CNI plugin binaries are. @default /usr/lib/cni */
  cniBinDir?: string;
  signal?: AbortSignal;
}

export async function createLabEnvironment(options: LabEnvironmentOptions): Promise<Environment> {
  const { shell, topology, datapath, clock } = options;
  const planned = planLayout(options.runId, options.environment, topology);
  let layout: LabLayout = planned;
  const envStateDir = join(options.stateDir, `e${options.environment}`);
  const started = clock.monotonicMs();
  const namespaces = layoutNamespaces(planned);
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
  let wired: WiredPods | undefined;
  let connection: DatapathConnection = {};
  let tornDown = false;
  const teardown = async (): Promise<void> => {
    if (tornDown) return;
    tornDown = true;
    for (const p of processes) p.kill('SIGTERM');
    await Promise.race([Promise.all(processes.map((p) => p.exited)), clock.sleep(2000)]);
    const pids: number[] = [];
    for (const ns of namespaces) pids.push(...(await pidsInNamespace(shell, ns)));
    await stopProcesses(pids);
    await wired?.unwire((error) =>
      options.logger.debug(`CNI DEL during teardown: ${(error as Error).message}`),
    );
    await connection.teardown?.();
    for (const ns of namespaces) {
      await shell.runner.run({ argv: ['ip', 'netns', 'delete', ns], allowFailure: true });
    }
  };
  const startDaemon = async (
    ns: string,
    name: string,
    argv: readonly string[],
  ): Promise<RunningProcess> => {
    const p = await shell.start(ns, argv);
    processes.push(p);
    daemons.push({ ns, name, process: p });
    return p;
  };

  const podMtu = datapath.podMtu(options.underlayMtu);
  let featureFacts: Partial<EnvironmentFacts> = {};
  try {
    options.signal?.throwIfAborted();
    await shell.ipBatch(
      undefined,
      namespaces.map((ns) => `netns add ${ns}`),
    );
    await buildNodes(shell, planned, options.underlayMtu);
    options.signal?.throwIfAborted();
    if (datapath.podNetwork !== 'host') {
      wired = await wirePods({
        shell,
        clock,
        runtime: createCniRuntime({
          shell,
          clock,
          cacheDir: join(envStateDir, 'cni', 'results'),
          ...(options.cniBinDir === undefined ? {} : { binDir: options.cniBinDir }),
        }),
        layout: planned,
        main: datapath.podNetwork,
        mtu: podMtu,
        stateDir: join(envStateDir, 'cni'),
        ...(topology.podBandwidthBps === undefined
          ? {}
          : { bandwidthBps: topology.podBandwidthBps }),
      });
      layout = wired.layout;
    }
    options.signal?.throwIfAborted();
    connection = await datapath.connect({
      shell,
      clock,
      logger: options.logger,
      layout,
      underlayMtu: options.underlayMtu,
      runStateDir: options.stateDir,
      stateDir: envStateDir,
      startDaemon,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    for (const feature of labFeatures.filter((f) => f.applies(topology))) {
      options.signal?.throwIfAborted();
      featureFacts = {
        ...featureFacts,
        ...(await feature.apply({
          shell,
          layout,
          topology,
          stateDir: options.stateDir,
          clock,
          ...(options.signal === undefined ? {} : { signal: options.signal }),
          startDaemon,
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
  const datapathFacts: DatapathFacts = {
    datapath: topology.datapath,
    models: datapath.models,
    leavesOut: datapath.leavesOut,
    podMtu: await readPathMtu(shell, layout),
    underlayMtu: options.underlayMtu,
    encapsulation: datapath.encapsulation,
    routes: await readRoutes(shell, layout),
    setupMs: clock.monotonicMs() - started,
    ...(wired === undefined ? {} : { cni: wired.facts }),
    ...connection.facts,
  };
  const facts: EnvironmentFacts = { ...featureFacts, ...datapathFacts };
  options.logger.debug(
    `lab ${layout.runId} e${layout.environment}: ${topology.datapath} up in ${facts.setupMs.toFixed(0)} ms`,
  );

  const podOf = (name: string): LabPod => {
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
    targetAddress: (pod, port): TargetAddress => {
      const target = facts.services?.target;
      const servicePort = target?.ports.find((p) => p.targetPort === port);
      if (target !== undefined && target.endpoints.includes(pod) && servicePort !== undefined) {
        return { host: target.clusterIp, port: servicePort.port };
      }
      return { host: podOf(pod).ip, port };
    },
    exec: (pod, command, execOptions: PodExecOptions = {}) =>
      shell.exec(podOf(pod).ns, argvOf(command), execOptions),
    async start(pod, command, startOptions = {}) {
      const argv = argvOf(command);
      const replicas = layout.pods.filter((p) => p.replicaOf === pod);
      const started: RunningProcess[] = [];
      for (const replica of replicas) {
        const p = await shell.start(replica.ns, argv, startOptions);
        processes.push(p);
        started.push(p);
        if (command.kind === 'agent') await firstLine(p, `pod ${replica.name}`, clock);
      }
      const primary = await shell.start(podOf(pod).ns, argv, startOptions);
      processes.push(primary);
      // Replicas live as long as the pod they replicate.
      void primary.exited.then(() => {
        for (const r of started) r.kill('SIGTERM');
      });
      return primary;
    },
    readResources: createLabResourceReader(layout, daemons, clock),
    teardown,
    ...(topology.policy === undefined
      ? {}
      : {
          readPolicyCounters: () =>
            readPolicyCounters(shell, layout.nodes, topology.policy!.enforcer),
        }),
  };
}

/**
 * Waits for a replica's first line of output (agents print `ready` first), and keeps its output
 * drained afterwards so it never blocks on a full pipe.
 */
async function firstLine(p: RunningProcess, what: string, clock: Clock): Promise<void> {
  let stderr = '';
  p.stderr.on('data', (b: Buffer) => {
    stderr = (stderr + b.toString('utf8')).slice(-2000);
  });
  const line = new Promise<'line'>((resolve) => {
    p.stdout.once('data', () => resolve('line'));
  });
  const outcome = await Promise.race([
    line,
    p.exited.then(() => 'exited' as const),
    clock.sleep(15_000).then(() => 'timeout' as const),
  ]);
  p.stdout.resume();
  if (outcome !== 'line') {
    throw new NetbenchError(
      'NB_WORKLOAD_FAILED',
      `the replica in ${what} ${outcome === 'exited' ? 'exited' : 'printed nothing within 15 s'}: ${stderr.trim().split('\n').slice(-3).join(' | ') || '(no output)'}`,
    );
  }
}
