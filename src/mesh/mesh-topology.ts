/**
 * The mesh part of a trial's topology (pure): which pods the mesh captures and, for the
 * waypoint model, the extra waypoint pod. The waypoint is scheduled on the server's node, where
 * a per-service waypoint Deployment often lands in a small cluster; the choice is recorded in
 * results through the pod list.
 */
import type { TopologySpec } from '../topology/topology-spec.js';
import type { TrialDimensions } from '../spec/dimensions.js';

/** Name of the waypoint pod the waypoint model adds. */
export const waypointPodName = 'waypoint';
/** The pod whose service a waypoint fronts in the standard client/server topology. */
const servedPod = 'server';

/**
 * Adds the `mesh` section (and the waypoint pod) that the trial's mesh dimensions ask for; with
 * `mesh: none` the topology is returned unchanged, so no-mesh trials share environments.
 */
export function withMesh(
  d: Pick<TrialDimensions, 'mesh' | 'mtls' | 'proxyConcurrency'>,
  topology: TopologySpec,
): TopologySpec {
  if (d.mesh === 'none') return topology;
  const base = {
    mode: d.mesh,
    mtls: d.mtls,
    concurrency: d.proxyConcurrency,
    members: topology.pods.map((p) => p.name),
  };
  if (d.mesh !== 'node-proxy+waypoint') return { ...topology, mesh: base };
  const served = topology.pods.find((p) => p.name === servedPod) ?? topology.pods.at(-1);
  if (served === undefined) return { ...topology, mesh: base };
  return {
    ...topology,
    pods: [...topology.pods, { name: waypointPodName, node: served.node }],
    mesh: { ...base, waypoint: { pod: waypointPodName, serves: [served.name] } },
  };
}
