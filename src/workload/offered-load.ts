/**
 * Offered load, pure: which dimension carries it for a workload (`rate` or `bitrate`), whether it
 * is relative to a measured capacity (a load level or a share), and what it resolves to once the
 * capacity is known. The fractions of the load levels are fixed here and recorded with every
 * repetition, so a report can always say what "moderate" meant.
 */
import type { LoadRecord } from '../results/schema.js';
import type { LoadLevel, TrialDimensions, WorkloadName } from '../spec/dimensions.js';

/**
 * Share of the measured capacity each load level offers. `idle` is a sparse probe: latency with
 * no queueing anywhere and the resource baseline of every pod; `high` stays below 100% because
 * capacity itself moves by 10-30% between runs on a shared machine, and past the knee open-loop
 * latency measures the queue, not the path.
 */
export const loadLevelFractions: Readonly<Record<LoadLevel, number>> = {
  idle: 0.01,
  moderate: 0.5,
  high: 0.8,
};

export type LoadUnit = 'rps' | 'bps';

/** A measured capacity: the most the trial's path carried in a short closed-loop probe. */
export interface Capacity {
  value: number;
  unit: LoadUnit;
  method: string;
  durationS: number;
}

const streamWorkloads: readonly WorkloadName[] = ['tcp-stream', 'udp-stream'];

function unitOf(workload: WorkloadName): LoadUnit {
  return streamWorkloads.includes(workload) ? 'bps' : 'rps';
}

/**
 * The share of capacity the trial asks for, or undefined when its load is absolute. UDP at
 * `bitrate: max` is 100% of the measured capacity: an unpaced UDP sender measures its own socket
 * buffer, not the path, so netbench never sends UDP unlimited.
 */
export function capacityShareOf(d: TrialDimensions): number | undefined {
  if (d.load === 'fixed') {
    return d.workload === 'udp-stream' && d.bitrate === 'max' ? 1 : undefined;
  }
  if (d.load.endsWith('%')) return Number(d.load.slice(0, -1)) / 100;
  return loadLevelFractions[d.load as LoadLevel];
}

export function needsCapacity(d: TrialDimensions): boolean {
  return capacityShareOf(d) !== undefined;
}

/**
 * The dimensions that decide a trial's capacity: everything but the offered load itself, so
 * every point of a sweep shares one probe and is a share of the same number.
 */
export function capacityKey(d: TrialDimensions): string {
  return JSON.stringify({ ...d, load: null, rate: null, bitrate: null });
}

/** The offered load of a trial, resolved against `capacity` when it is relative. */
export function resolveLoad(d: TrialDimensions, capacity?: Capacity): LoadRecord {
  const unit = unitOf(d.workload);
  const absolute = unit === 'bps' ? d.bitrate : d.rate;
  const spec = d.load === 'fixed' ? absolute : d.load;
  const share = capacityShareOf(d);
  if (share === undefined) {
    return {
      spec,
      fraction: null,
      offered: absolute === 'max' ? null : absolute,
      unit,
      capacity: null,
    };
  }
  if (capacity === undefined) {
    throw new Error(`load ${String(spec)} needs a measured capacity`);
  }
  const offered = capacity.value * share;
  return {
    spec,
    fraction: share,
    // Whole requests/s; bit rates to the bit, at least 1 kbit/s.
    offered:
      unit === 'rps' ? Math.max(1, Math.round(offered)) : Math.max(1000, Math.round(offered)),
    unit,
    capacity: { ...capacity },
  };
}
