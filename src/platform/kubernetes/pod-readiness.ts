/**
 * Whether the run's pods are Ready, and why not (pure): an image that cannot be pulled fails at
 * once; anything else is reported with the pods' events when the wait runs out.
 */
import type { CoreV1Event } from '@kubernetes/client-node';
import { NetbenchError } from '../../core/errors.js';
import type { V1Pod } from './kube-types.js';

const pullFailures = new Set([
  'ImagePullBackOff',
  'ErrImagePull',
  'InvalidImageName',
  'ErrImageNeverPull',
]);

export function isPodReady(pod: V1Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
}

/** A failure that waiting will not cure (image pull, pod failed), as a coded error. */
export function podFailure(pod: V1Pod): NetbenchError | undefined {
  const name = pod.metadata?.name ?? '?';
  for (const s of [
    ...(pod.status?.initContainerStatuses ?? []),
    ...(pod.status?.containerStatuses ?? []),
  ]) {
    const waiting = s.state?.waiting;
    if (waiting?.reason !== undefined && pullFailures.has(waiting.reason)) {
      return new NetbenchError(
        'NB_K8S_IMAGE_PULL_FAILED',
        `pod ${name} cannot pull ${s.image} (${waiting.reason}): ${waiting.message ?? 'no message'}`,
        {
          hint: 'mirror the images (`netbench images SCENARIO`) into a registry the nodes can reach and pass --registry, or add --image-pull-secret NAME',
        },
      );
    }
  }
  if (pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded') {
    return new NetbenchError(
      'NB_K8S_PODS_NOT_READY',
      `pod ${name} ended (${pod.status.phase}${pod.status.reason === undefined ? '' : `: ${pod.status.reason}`}) before it was Ready`,
      {
        hint: `\`kubectl -n ${pod.metadata?.namespace} describe pod ${name}\` shows why`,
      },
    );
  }
  return undefined;
}

/** The error for pods still not Ready when the wait ran out, naming each with its last events. */
export function notReadyError(
  pods: readonly V1Pod[],
  events: readonly CoreV1Event[],
  waitedS: number,
): NetbenchError {
  const lines = pods.map((p) => {
    const name = p.metadata?.name ?? '?';
    const own = events
      .filter((e) => e.involvedObject.name === name)
      .slice(-3)
      .map((e) => `${e.reason ?? ''}: ${e.message ?? ''}`.trim());
    const waiting = (p.status?.containerStatuses ?? [])
      .map((s) => s.state?.waiting?.reason)
      .filter((r) => r !== undefined);
    return `${name} (${p.status?.phase ?? 'no status'}${waiting.length > 0 ? `, ${waiting.join(', ')}` : ''})${own.length > 0 ? ` — ${own.join('; ')}` : ' — no events'}`;
  });
  return new NetbenchError(
    'NB_K8S_PODS_NOT_READY',
    `${pods.length} pod${pods.length === 1 ? ' was' : 's were'} not Ready after ${waitedS} s: ${lines.join(' | ')}`,
    {
      hint: 'the events say why (scheduling, volume, probe); the nodes may be full or the image slow to pull: `kubectl get events -n NAMESPACE`',
    },
  );
}
