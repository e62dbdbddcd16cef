/**
 * What a trial asks of the mesh (the `mesh` section of a TopologySpec) and what the lab reports
 * back about it (the `mesh` section of EnvironmentFacts, recorded in results.json). Pure types
 * and constants shared by the planner, the lab feature and the results contract.
 */
import type { MeshName, MtlsMode } from '../spec/dimensions.js';

/** A mesh architecture that deploys proxies (every mesh name except `none`). */
export type MeshMode = Exclude<MeshName, 'none'>;

/** The optional `mesh` section of a TopologySpec. */
export interface MeshSpec {
  mode: MeshMode;
  mtls: MtlsMode;
  /** Worker threads per proxy (HAProxy `nbthread`). @default 2 */
  concurrency: number;
  /** Pods whose traffic the mesh captures. Pods not listed are outside the mesh. */
  members: string[];
  /**
   * node-proxy+waypoint only: the pod that runs the L7 waypoint and the member pods (services)
   * it fronts. The waypoint pod itself is not captured; it speaks the tunnel protocol natively.
   */
  waypoint?: { pod: string; serves: string[] };
}
