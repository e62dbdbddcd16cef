/**
 * A lab datapath model: how pods are wired and how packets get from a pod on one node to a pod
 * on another. Each names the real CNI it stands for and what it leaves out (docs/datapaths.md
 * collects them).
 */
import type { TopologySpec } from '../../../topology/topology-spec.js';
import type { DatapathFacts } from '../../../results/facts.js';
import type { Clock } from '../../../core/clock.js';
import type { Logger } from '../../../core/logger.js';
import type { RunningProcess } from '../../../core/process-runner.js';
import type { LabLayout } from '../addressing.js';
import type { CniMainPlugin } from '../cni/cni-config.js';
import type { LabShell } from '../lab-shell.js';

/** What the machine can do, probed once when the platform is created. */
export interface LabCapabilities {
  /** Why eBPF programs cannot be loaded here, or undefined when they can. */
  bpfUnavailable: string | undefined;
}

export interface DatapathContext {
  shell: LabShell;
  clock: Clock;
  logger: Logger;
  /** The layout with pods wired (host-side interface names known). */
  layout: LabLayout;
  /** MTU of the underlay between nodes (the "physical" network). */
  underlayMtu: number;
  /** The run's state directory (/run/netbench/<runId>). */
  runStateDir: string;
  /** This environment's own directory under it, for configs, sockets and logs. */
  stateDir: string;
  /** Starts a long-running program in a namespace; stopped at teardown. */
  startDaemon(ns: string, name: string, argv: readonly string[]): Promise<RunningProcess>;
  signal?: AbortSignal;
}

/** What connecting produced: facts for results.json, and cleanup outside the namespaces. */
export interface DatapathConnection {
  facts?: Pick<DatapathFacts, 'bgp' | 'ebpf'>;
  /** Removes what lives outside the namespaces (pinned BPF objects); never throws. */
  teardown?(): Promise<void>;
}

export interface LabDatapath {
  /** The real-world CNI this model stands for, e.g. "Flannel (VXLAN backend)". */
  models: string;
  /** What the model leaves out compared with the real CNI. */
  leavesOut: string;
  encapsulation: 'none' | 'vxlan';
  /** How pods get their interface: a CNI main plugin, or none (host network). */
  podNetwork: CniMainPlugin | 'host';
  /** MTU pods get: the underlay MTU minus any encapsulation overhead. */
  podMtu(underlayMtu: number): number;
  /** Why this datapath cannot carry `topology` here, or undefined. Pure. */
  unsupported(topology: TopologySpec, capabilities: LabCapabilities): string | undefined;
  /** Connects the nodes' pod networks once nodes and wired pods exist. */
  connect(ctx: DatapathContext): Promise<DatapathConnection>;
}

/** A route to every other node's pod CIDR through its underlay address (proto static). */
export function peerRoutes(layout: LabLayout, node: LabLayout['nodes'][number]): string[] {
  return layout.nodes
    .filter((peer) => peer !== node)
    .map((peer) => `route add ${peer.podCidr} via ${peer.underlayIp} dev eth0 proto static`);
}
