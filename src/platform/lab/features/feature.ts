/**
 * Layers applied to a lab environment after nodes, pods and the datapath exist: kube-proxy-style
 * services, NetworkPolicy enforcement, a service mesh. Each reads its own optional section of the
 * TopologySpec, may start daemons in node or pod namespaces (tracked, accounted and stopped with
 * the environment), and returns facts recorded in results.json.
 */
import type { TopologySpec } from '../../../topology/topology-spec.js';
import type { EnvironmentFacts } from '../../../results/facts.js';
import type { Clock } from '../../../core/clock.js';
import type { RunningProcess } from '../../../core/process-runner.js';
import type { LabLayout } from '../addressing.js';
import type { LabShell } from '../lab-shell.js';

export interface LabDaemon {
  /** Namespace the daemon runs in. */
  ns: string;
  /** What it is, for resource accounting: `bird`, `haproxy`, … */
  name: string;
  process: RunningProcess;
}

export interface LabFeatureContext {
  shell: LabShell;
  layout: LabLayout;
  topology: TopologySpec;
  /** State directory of this run (/run/netbench/<runId>), for config files and sockets. */
  stateDir: string;
  /** For timing what the feature programs (e.g. Service rules). */
  clock: Clock;
  /** Starts a long-running program in a namespace; stopped at teardown, listed in `daemons`. */
  startDaemon(ns: string, name: string, argv: readonly string[]): Promise<RunningProcess>;
  signal?: AbortSignal;
}

export interface LabFeature {
  /** Shown in errors and debug logs. */
  name: string;
  /** True when `topology` asks for this feature. Pure. */
  applies(topology: TopologySpec): boolean;
  /** Why this feature cannot do what `topology` asks here, or undefined. Pure. */
  unsupported?(topology: TopologySpec): string | undefined;
  /** Programs the feature; returns facts merged into the environment's facts. */
  apply(ctx: LabFeatureContext): Promise<Partial<EnvironmentFacts>>;
}
