/**
 * The fake platform: deploys nothing and runs netbench's agent in-process on loopback, so the
 * runner (matrix/run-scenario.ts) can be tested without root, namespaces or a cluster. Every pod
 * is this process; the servers listen on 127.0.0.1; the engines, the JSON-lines protocol and the
 * measurements are the real ones. It refuses what it cannot stand in for (replicas, Services,
 * policies, a mesh, programs other than the agent) with the reason, like any platform.
 *
 * Faults can be injected per deployment and per agent start, so a test can make one repetition
 * fail, the platform die mid-run, or a deployment hang until the run is interrupted.
 */
import type { TopologySpec } from '../../topology/topology-spec.js';
import { PassThrough } from 'node:stream';
import type { AgentCommand, AgentMain } from '../../agent/agent-io.js';
import { agentCommands } from '../../agent/agent-io.js';
import { NetbenchError } from '../../core/errors.js';
import type { CommandResult, RunningProcess } from '../../core/process-runner.js';
import type { EnvironmentFacts } from '../../results/facts.js';
import type { Environment, Platform, PodCommand, ResourceReading } from '../platform.js';

/** What goes wrong, and when: counted over the platform's whole life. */
export interface FakeFaults {
  /**
   * The n-th agent start of the client's load generator (1-based, over the run) fails with this
   * error, as a pod that cannot start its program would.
   */
  failLoadStart?: { at: number; error: NetbenchError };
  /** The n-th deployment (1-based) throws this error (e.g. a platformUnavailable one). */
  failDeploy?: { at: number; error: NetbenchError };
}

export interface FakePlatformOptions {
  /** Runs one agent command in-process: the CLI's `netbench agent` entry. */
  runAgent: AgentMain;
  faults?: FakeFaults;
  /** Called when the n-th load generator starts (1-based), e.g. to interrupt the run there. */
  onLoadStart?: (n: number) => void;
}

/** What a test can see of the fake's life. */
export interface FakePlatformLog {
  deployments: TopologySpec[];
  teardowns: number;
  closed: boolean;
  /** Agent commands started, in order, with the pod that ran them. */
  starts: { pod: string; command: AgentCommand }[];
}

export function createFakePlatform(
  options: FakePlatformOptions,
): Platform & { readonly log: FakePlatformLog } {
  const log: FakePlatformLog = { deployments: [], teardowns: 0, closed: false, starts: [] };
  let loadStarts = 0;
  let pids = 0;

  // Every pod shares this machine's loopback, where a workload's fixed port (8080, …) may be
  // taken by anything else that runs here: servers listen on a free port instead, and
  // targetAddress maps the port a workload asks for to the one its server got.
  const ports = new Map<number, number>();
  const onEphemeralPort = (
    agent: AgentCommand,
    config: string,
  ): { configJson: string; onReady: (chunk: string | Uint8Array) => void } => {
    if (agent !== 'http-server' && agent !== 'tcp-server') {
      return { configJson: config, onReady: () => undefined };
    }
    const parsed = JSON.parse(config) as { port?: unknown };
    const asked = typeof parsed.port === 'number' ? parsed.port : undefined;
    return {
      configJson: JSON.stringify({ ...parsed, port: 0 }),
      onReady: (chunk) => {
        const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
        const ready = /"event":"ready","port":(\d+)/.exec(text);
        if (ready !== null && asked !== undefined) ports.set(asked, Number(ready[1]));
      },
    };
  };

  const startAgent = (pod: string, command: PodCommand): RunningProcess => {
    if (command.kind !== 'agent') {
      throw new NetbenchError(
        'NB_PLAN_IMPOSSIBLE',
        `the fake platform runs only netbench's agent, not ${command.argv[0] ?? 'a program'}`,
        { hint: 'run tool workloads (sockperf, iperf3) on the lab platform' },
      );
    }
    const [name, flag, config] = command.args;
    const agent = agentCommands.find((c) => c === name);
    if (agent === undefined || flag !== '--config' || config === undefined) {
      throw new NetbenchError('NB_USAGE_BAD_FLAG', `agent arguments ${command.args.join(' ')}`);
    }
    if (agent === 'load') {
      loadStarts += 1;
      options.onLoadStart?.(loadStarts);
      const fault = options.faults?.failLoadStart;
      if (fault !== undefined && fault.at === loadStarts) throw fault.error;
    }
    log.starts.push({ pod, command: agent });
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const abort = new AbortController();
    const { configJson, onReady } = onEphemeralPort(agent, config);
    const agentStdout = {
      write(chunk: string | Uint8Array): boolean {
        onReady(chunk);
        return stdout.write(chunk);
      },
    };
    const exited = options
      .runAgent(agent, configJson, { stdout: agentStdout, stderr, stdin, signal: abort.signal })
      .then(
        () => ({ code: 0, signal: null }),
        (error: unknown) => {
          stderr.write(`${(error as Error).message}\n`);
          return { code: 1, signal: null };
        },
      )
      .finally(() => {
        stdout.end();
        stderr.end();
      });
    pids += 1;
    return {
      pid: pids,
      stdin,
      stdout,
      stderr,
      exited,
      kill: () => abort.abort(),
    };
  };

  const deploy = (topology: TopologySpec): Promise<Environment> => {
    log.deployments.push(topology);
    const fault = options.faults?.failDeploy;
    if (fault !== undefined && fault.at === log.deployments.length) {
      return Promise.reject(fault.error);
    }
    const running = new Set<RunningProcess>();
    const facts: EnvironmentFacts = {
      datapath: topology.datapath,
      models: 'nothing: the fake platform runs every pod in-process on loopback',
      podMtu: 65536,
      encapsulation: 'none',
      routes: [],
      setupMs: 0,
    };
    let torn = false;
    const env: Environment = {
      topology,
      facts,
      podAddress: () => '127.0.0.1',
      targetAddress: (_pod, port) => ({ host: '127.0.0.1', port: ports.get(port) ?? port }),
      async exec(pod, command): Promise<CommandResult> {
        const p = startAgent(pod, command);
        let out = '';
        let err = '';
        p.stdout.on('data', (b: Buffer) => (out += b.toString('utf8')));
        p.stderr.on('data', (b: Buffer) => (err += b.toString('utf8')));
        const exit = await p.exited;
        return { exitCode: exit.code ?? 1, stdout: out, stderr: err };
      },
      start(pod, command, startOptions): Promise<RunningProcess> {
        try {
          const p = startAgent(pod, command);
          running.add(p);
          void p.exited.then(() => running.delete(p));
          startOptions?.signal?.addEventListener('abort', () => p.kill(), { once: true });
          return Promise.resolve(p);
        } catch (error) {
          return Promise.reject(error instanceof Error ? error : new Error(String(error)));
        }
      },
      readResources(): Promise<ResourceReading> {
        // Every pod is this process: one group with its own CPU and memory, honestly labelled.
        const cpu = process.cpuUsage();
        return Promise.resolve({
          atMs: performance.now(),
          groups: [
            {
              scope: 'node',
              name: 'netbench-process',
              node: topology.nodes[0]?.name ?? 'loopback',
              role: 'all pods (fake platform)',
              cpuSeconds: (cpu.user + cpu.system) / 1e6,
              rssBytes: process.memoryUsage().rss,
            },
          ],
        });
      },
      async teardown() {
        if (torn) return;
        torn = true;
        log.teardowns += 1;
        for (const p of running) p.kill();
        await Promise.all([...running].map((p) => p.exited));
      },
    };
    return Promise.resolve(env);
  };

  return {
    name: 'fake',
    log,
    preflight: () => Promise.resolve(),
    unsupported(topology) {
      if (topology.pods.some((p) => p.replicaOf !== undefined) || topology.services?.target) {
        return 'the fake platform runs one process per pod on loopback: no replicas or Services';
      }
      if (topology.policy !== undefined) return 'the fake platform enforces no NetworkPolicy';
      if (topology.mesh !== undefined) return 'the fake platform runs no service mesh';
      return undefined;
    },
    deploy,
    close() {
      log.closed = true;
      return Promise.resolve();
    },
  };
}
