/**
 * The platform port: where pods run. The lab (network namespaces) implements it today; a
 * Kubernetes backend implements the same interface (pods on named nodes, exec in a pod, per-pod
 * readings), so the runner and workloads never know which one they talk to.
 */
import type { CommandResult, RunningProcess } from '../core/process-runner.js';
import type { Milliseconds } from '../core/units.js';
import type { EnvironmentFacts } from '../results/facts.js';
import type { TopologySpec } from '../topology/topology-spec.js';
import type { PolicyCounters } from '../results/schema.js';
import type { ClusterFacts } from '../results/cluster-facts.js';
import type { TrialDimensions } from '../spec/dimensions.js';

/** Platforms a scenario can name (`platform:`). */
export type PlatformName = 'lab' | 'kubernetes';

/**
 * What a pod runs. `agent` is netbench's own workload binary (`netbench agent …`), which each
 * platform knows how to start in a pod (lab: `ip netns exec`; Kubernetes: exec in the
 * netbench container). `program` is any other binary expected in the pod's image or on the host.
 */
export type PodCommand = (
  { kind: 'agent'; args: readonly string[] } | { kind: 'program'; argv: readonly string[] }
) & {
  /**
   * Pin the command to these CPUs (lab: taskset). A Kubernetes backend honours it only with the
   * static CPU manager and a guaranteed pod; otherwise it must refuse rather than ignore it.
   */
  cpus?: readonly number[];
};

export interface PodExecOptions {
  timeoutMs?: Milliseconds;
  signal?: AbortSignal;
  allowFailure?: boolean;
}

/** Where a client connects to reach a server. */
export interface TargetAddress {
  host: string;
  port: number;
}

/** One process as a resource reading sees it (when the platform can see processes). */
export interface ProcessReading {
  pid: number;
  /** Start time in clock ticks since boot: with pid, identifies the process across readings. */
  startTicks: number;
  command: string;
  /** Cumulative user+system CPU of the process (all threads). */
  cpuSeconds: number;
  rssBytes: number;
}

/**
 * Cumulative CPU and current memory of one group of processes: a pod, or a node-level daemon.
 * Lab: /proc of the processes in the pod's network namespace. Kubernetes: the pod's cgroup
 * (cpu.stat usage_usec, memory.current, memory.peak) or the kubelet's /stats/summary.
 */
export interface ResourceGroupReading {
  scope: 'pod' | 'node';
  /** Pod name, or the daemon's name for node-level daemons. */
  name: string;
  node: string;
  /** client, server, daemon, proxy… */
  role: string;
  /** Cumulative CPU seconds of the group (monotonic as far as the platform can tell). */
  cpuSeconds: number;
  /** Resident memory now (lab: sum of the processes' RSS; Kubernetes: the working set). */
  rssBytes: number;
  /** Per-process detail, when the platform sees processes (lab). */
  processes?: ProcessReading[];
}

/**
 * Name of the machine-level group (scope node, role steal) whose cpuSeconds is CPU time the
 * hypervisor gave other guests while this machine had work (/proc/stat steal); platforms that
 * can read it report it, so a repetition measured under a noisy neighbour can say so.
 */
export const hypervisorStealGroup = 'hypervisor-steal';

export interface ResourceReading {
  /** Monotonic milliseconds of the reading. */
  atMs: Milliseconds;
  groups: ResourceGroupReading[];
}

export interface Environment {
  readonly topology: TopologySpec;
  readonly facts: EnvironmentFacts;
  /** The IP address other pods reach this pod at. */
  podAddress(pod: string): string;
  /**
   * Where a client connects to reach the server listening on `port` in `pod`: the pod's own
   * address, or a Service's ClusterIP and port when the topology puts one in front of the pod.
   */
  targetAddress(pod: string, port: number): TargetAddress;
  /** Runs a command in a pod to completion. */
  exec(pod: string, command: PodCommand, options?: PodExecOptions): Promise<CommandResult>;
  /**
   * Starts a long-running command in a pod; stopped by the caller or at teardown. A pod with
   * replicas (PodSpec.replicaOf) runs it in every replica too; netbench agents are waited for
   * until each replica has reported ready.
   */
  start(
    pod: string,
    command: PodCommand,
    options?: { signal?: AbortSignal },
  ): Promise<RunningProcess>;
  /**
   * Reads CPU and memory of every pod and node-level daemon now. Cheap enough to call every
   * second during a measured window; the caller turns two readings into usage over the window.
   */
  readResources(): Promise<ResourceReading>;
  /** Removes everything this environment created. Safe to call twice. */
  teardown(): Promise<void>;
  /**
   * What the NetworkPolicy enforcer has counted since its rules were loaded (cumulative packets
   * and bytes allowed and dropped per node, endpoint, direction and rule). Present when the
   * environment enforces policies and can read its counters (lab); subtract two readings with
   * `policyCounterDelta` for what happened in between (a repetition, a `policy verify` probe).
   */
  readPolicyCounters?(): Promise<PolicyCounters>;
}

export interface Platform {
  /** A registered platform, or `fake`: the in-process stand-in of the runner's tests. */
  readonly name: PlatformName | 'fake';
  /**
   * Checks, before anything is created, that this platform can run here at all (privileges,
   * tools). Throws a NetbenchError with a hint.
   */
  preflight(): Promise<void>;
  /**
   * Why this platform cannot deploy `topology` (or run the trial's `dimensions` on it, e.g. a
   * workload whose tools its pods lack), or undefined when it can. Pure, no effects.
   */
  unsupported(topology: TopologySpec, dimensions?: TrialDimensions): string | undefined;
  /**
   * What the platform knows about where it runs beyond this machine (a cluster's flavour, CNI,
   * mesh, nodes), recorded in results.json's `environment.cluster`. Called after `preflight`.
   */
  describe?(signal?: AbortSignal): Promise<ClusterFacts>;
  deploy(topology: TopologySpec, signal?: AbortSignal): Promise<Environment>;
  /** Removes everything the platform still holds for this run (called once at the end). */
  close(): Promise<void>;
}
