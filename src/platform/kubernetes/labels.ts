/**
 * Names, labels and annotations every object netbench creates on a cluster carries, so a run's
 * objects can be found by label (`netbench cluster status`) and removed with its namespace.
 */
import type { RunId } from '../../core/run-id.js';

/** `app.kubernetes.io/managed-by`: the recommended label, set to `netbench` on every object. */
export const managedByLabel = 'app.kubernetes.io/managed-by';
export const managedByValue = 'netbench';
/** The run id, on every object. */
export const runLabel = 'netbench.io/run';
/** Which deployment of a topology within the run (`e1`, `e2`…): scopes pods and policies. */
export const environmentLabel = 'netbench.io/environment';
/** The topology's pod name (`client`, `server`…). */
export const podLabel = 'netbench.io/pod';
/** JSON `{ host, pid, startedAt, purpose }` on the namespace: who made it, for leftovers. */
export const ownerAnnotation = 'netbench.io/owner';
/** Field manager of every server-side apply. */
export const fieldManager = 'netbench';
/** Pod Security admission's enforce label (hostNetwork pods need `privileged`). */
export const podSecurityEnforceLabel = 'pod-security.kubernetes.io/enforce';

/** The label selector that finds every object netbench made (optionally of one run). */
export function managedSelector(runId?: RunId): string {
  return runId === undefined
    ? `${managedByLabel}=${managedByValue}`
    : `${managedByLabel}=${managedByValue},${runLabel}=${runId}`;
}

/** The run's namespace, `nb-<run id>`. */
export function runNamespace(runId: RunId): string {
  return `nb-${runId}`;
}

/** The cluster name of a topology pod in environment `environment`: `e1-client`. */
export function clusterPodName(environment: number, pod: string): string {
  return `e${environment}-${pod}`;
}

/** Who created a run's objects, recorded on its namespace. */
export interface RunOwner {
  host: string;
  pid: number;
  startedAt: string;
  purpose: string;
}

/** The two labels every object carries. */
export function runLabels(runId: RunId): Record<string, string> {
  return { [managedByLabel]: managedByValue, [runLabel]: runId };
}
