/**
 * A lab datapath model: how packets get from a pod on one node to a pod on another. Each names
 * the real CNI it stands for and what it leaves out (docs/datapaths.md collects them).
 */
import type { LabLayout } from '../addressing.js';
import type { LabShell } from '../lab-shell.js';
import type { TopologySpec } from '../../platform.js';

export interface DatapathContext {
  shell: LabShell;
  layout: LabLayout;
  /** MTU of the underlay between nodes (the "physical" network). */
  underlayMtu: number;
}

export interface LabDatapath {
  /** The real-world CNI this model stands for, e.g. "Flannel (VXLAN backend)". */
  models: string;
  /** What the model leaves out compared with the real CNI. */
  leavesOut: string;
  encapsulation: 'none' | 'vxlan';
  /** MTU pods get: the underlay MTU minus any encapsulation overhead. */
  podMtu(underlayMtu: number): number;
  /** Why this datapath cannot carry `topology`, or undefined. */
  unsupported(topology: TopologySpec): string | undefined;
  /** Connects the nodes' pod networks once nodes, bridges and pods exist. */
  connect(ctx: DatapathContext): Promise<void>;
}
