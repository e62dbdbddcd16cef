/**
 * The instrument's floor: the same traffic engine, with the same settings, against a server in
 * the client's own pod over loopback. What a trial measures above it is what the path between
 * the pods adds; the floor itself is the engine (Node's HTTP stack, sockperf's two ends, system
 * calls, vCPU wake-ups). Measured once per distinct engine setting, in the environment that is
 * deployed anyway (the client pod is the same in every topology).
 */
import type { Environment } from '../platform/platform.js';
import { usesDimension } from '../spec/dimension-applicability.js';
import { dimensions, type TrialDimensions } from '../spec/dimensions.js';

/** Dimensions that configure the engine rather than the path: they define a floor. */
const engineDimensions = [
  'workload',
  'rate',
  'protocol',
  'streams',
  'threads',
  'pinning',
  'connections',
  'payload',
] as const satisfies readonly (keyof TrialDimensions)[];

/** Workloads with a request latency, for which a floor means something. */
const latencyWorkloads: ReadonlySet<string> = new Set(['http', 'tcp-rr', 'tcp-crr']);

/**
 * The floor a trial is shown against, as an id of the engine dimensions the trial uses
 * ("floor http/1000rps/http1/1thr/cross-cpu/2conn/64B", "floor tcp-rr/max/same-cpu/64B"), or
 * undefined when the trial has none: a throughput workload, or a load relative to a capacity
 * probe (the loopback's capacity is not the path's, so the load would not be the same). Trials
 * that differ only in a dimension their engine ignores share one floor.
 */
export function floorId(d: TrialDimensions): string | undefined {
  if (!latencyWorkloads.has(d.workload) || d.load !== 'fixed') return undefined;
  const label = (k: (typeof engineDimensions)[number]): string =>
    (dimensions[k].format as (v: unknown) => string)(d[k]);
  const used = engineDimensions.filter((k) => usesDimension(d, k));
  return `floor ${used.map(label).join('/')}`;
}

/**
 * `env` seen from inside the client pod: the pod named "server" is the client pod itself and
 * every address of client or server is 127.0.0.1, so a workload run unchanged measures the
 * engine over loopback. Teardown is left to the owner of `env`.
 */
export function loopbackEnvironment(env: Environment): Environment {
  const pod = (name: string): string => (name === 'server' ? 'client' : name);
  const loopback = (name: string): boolean => name === 'server' || name === 'client';
  // The port the server listens on in the pod. Behind a Service, targetAddress names the
  // Service's port, so the asked-for pod port stands; otherwise the platform's own answer (the
  // same port in the lab; the port a loopback server really got on the fake platform).
  const podPort = (name: string, port: number): number =>
    env.topology.services?.target === undefined ? env.targetAddress(pod(name), port).port : port;
  return {
    topology: env.topology,
    facts: env.facts,
    podAddress: (name) => (loopback(name) ? '127.0.0.1' : env.podAddress(name)),
    targetAddress: (name, port) =>
      loopback(name)
        ? { host: '127.0.0.1', port: podPort(name, port) }
        : env.targetAddress(name, port),
    exec: (name, command, options) => env.exec(pod(name), command, options),
    start: (name, command, options) => env.start(pod(name), command, options),
    readResources: () => env.readResources(),
    teardown: () => Promise.resolve(),
  };
}

/** Rounds in which the floors are measured (two give an interval; the floor moves little). */
export const floorRounds = 2;

/** One floor to measure: an engine setting and the trials shown against it. */
export interface FloorGroup {
  id: string;
  dimensions: TrialDimensions;
  trialIds: string[];
}

/** The distinct floors of a run's trials, in trial order. */
export function floorGroups(
  trials: readonly { id: string; dimensions: TrialDimensions }[],
): FloorGroup[] {
  const groups = new Map<string, FloorGroup>();
  for (const t of trials) {
    const id = floorId(t.dimensions);
    if (id === undefined) continue;
    const g = groups.get(id);
    if (g === undefined) groups.set(id, { id, dimensions: t.dimensions, trialIds: [t.id] });
    else g.trialIds.push(t.id);
  }
  return [...groups.values()];
}
