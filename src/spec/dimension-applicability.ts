/**
 * Which dimensions a trial actually uses. A value written for a dimension no trial uses (a `rate`
 * for stream workloads, a `rate` while `load` is a share of the capacity, `mtls` without a mesh)
 * would be silently ignored: that is a mistake in the file, refused here with the reason. A value
 * some trials use and others ignore is a warning (those trials repeat the same measurement).
 */
import type { InputProblem } from '../core/errors.js';
import {
  defaultDimensions,
  type DimensionName,
  type TrialDimensions,
  type WorkloadName,
} from './dimensions.js';
import type { Scenario } from './scenario-schema.js';

interface Rule {
  /** Whether a trial with these dimensions uses the dimension. */
  when: (d: TrialDimensions) => boolean;
  /** Who uses it, for messages. */
  by: string;
}

/** When a dimension is used; dimensions not listed are used by every trial. */
const usedWhen: Partial<Record<DimensionName, Rule>> = {
  rate: {
    when: (d) =>
      (requestWorkloads.includes(d.workload) || d.workload === 'graph') && d.load === 'fixed',
    by: 'http, tcp-rr, tcp-crr and graph when load is fixed',
  },
  bitrate: {
    when: (d) => streamWorkloads.includes(d.workload) && d.load === 'fixed',
    by: 'tcp-stream and udp-stream when load is fixed',
  },
  protocol: { when: (d) => d.workload === 'http', by: 'the http workload' },
  streams: {
    when: (d) =>
      streamWorkloads.includes(d.workload) || (d.workload === 'http' && d.protocol === 'h2c'),
    by: 'tcp-stream, udp-stream, and http with protocol h2c',
  },
  threads: {
    when: (d) => d.workload === 'http' || d.workload === 'tcp-crr',
    by: 'http and tcp-crr',
  },
  connections: {
    when: (d) => d.workload === 'http' || d.workload === 'tcp-crr' || d.workload === 'graph',
    by: 'http, tcp-crr and graph (the client towards the entry service)',
  },
  payload: { when: (d) => requestWorkloads.includes(d.workload), by: 'http, tcp-rr and tcp-crr' },
  mtls: { when: (d) => d.mesh !== 'none', by: 'trials with a mesh' },
  proxyConcurrency: { when: (d) => d.mesh !== 'none', by: 'trials with a mesh' },
  enforcer: { when: (d) => d.policy !== 'off', by: 'trials whose policy is not off' },
};

/** Whether a trial with dimensions `d` uses dimension `name` (what it is set to changes the trial). */
export function usesDimension(d: TrialDimensions, name: DimensionName): boolean {
  return usedWhen[name]?.when(d) ?? true;
}

const requestWorkloads: readonly WorkloadName[] = ['http', 'tcp-rr', 'tcp-crr'];
const streamWorkloads: readonly WorkloadName[] = ['tcp-stream', 'udp-stream'];

/** Outcome: problems (a value no trial uses) and warnings (a value only some trials use). */
export interface Applicability {
  problems: InputProblem[];
  warnings: string[];
}

/** The dimensions that decide whether another one is used. */
const deciding: readonly DimensionName[] = ['workload', 'load', 'protocol', 'mesh', 'policy'];

type Cell = Record<string, unknown>;

/**
 * The distinct cells of the deciding dimensions and `name` the scenario's trials take: their
 * matrix product plus the include cells, less the exclude cells that speak only of these
 * dimensions. Small: the trial count was bounded before this runs.
 */
function cellsFor(
  scenario: Pick<Scenario, 'matrix' | 'include' | 'exclude'>,
  name: DimensionName,
): TrialDimensions[] {
  const base = defaultDimensions();
  const dims = [...deciding, name];
  const valuesOf = (d: DimensionName, fixed?: Cell): unknown[] => {
    if (fixed?.[d] !== undefined) return [fixed[d]];
    const v = scenario.matrix[d] as unknown;
    return v === undefined ? [base[d]] : Array.isArray(v) ? v : [v];
  };
  const product = (fixed?: Cell): Cell[] =>
    dims.reduce<Cell[]>(
      (cells, d) => cells.flatMap((c) => valuesOf(d, fixed).map((v) => ({ ...c, [d]: v }))),
      [{}],
    );
  const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
  const excluded = (c: Cell): boolean =>
    scenario.exclude.some((x) => {
      const keys = Object.keys(x).filter((k) => (x as Cell)[k] !== undefined);
      return (
        keys.every((k) => dims.includes(k as DimensionName)) &&
        keys.every((k) => same(c[k], (x as Cell)[k]))
      );
    });
  const cells = [
    ...product().filter((c) => !excluded(c)),
    ...scenario.include.flatMap((inc) => product(inc as Cell)),
  ];
  return cells.map((c) => ({ ...base, ...c }));
}

/**
 * Checks the dimensions written in `matrix` against the trials they expand to; `lineOf` gives
 * the line of `matrix.<name>`.
 */
export function checkApplicability(
  scenario: Pick<Scenario, 'matrix' | 'include' | 'exclude'>,
  lineOf: (name: DimensionName) => number | undefined,
): Applicability {
  const problems: InputProblem[] = [];
  const warnings: string[] = [];
  for (const [name, rule] of Object.entries(usedWhen) as [DimensionName, Rule][]) {
    if (scenario.matrix[name] === undefined) continue;
    const cells = cellsFor(scenario, name);
    const ignoring = cells.filter((d) => !rule.when(d));
    if (cells.length > 0 && ignoring.length === cells.length) {
      const line = lineOf(name);
      problems.push({
        path: `matrix.${name}`,
        ...(line === undefined ? {} : { line }),
        message: `${name} ${JSON.stringify(scenario.matrix[name])} is used by ${rule.by}, and no trial here is one`,
        hint: hintFor(name),
      });
      continue;
    }
    // Trials that ignore `name` yet come in several of its values measure the same thing twice.
    const valuesPerCell = new Map<string, Set<string>>();
    for (const d of ignoring) {
      const key = JSON.stringify(deciding.map((k) => d[k]));
      const values = valuesPerCell.get(key) ?? new Set<string>();
      values.add(JSON.stringify(d[name]));
      valuesPerCell.set(key, values);
    }
    if ([...valuesPerCell.values()].some((v) => v.size > 1)) {
      warnings.push(
        `matrix.${name} is used by ${rule.by} only: the other trials ignore it and repeat the same measurement for each of its values; exclude them or split the scenario`,
      );
    }
  }
  return { problems, warnings };
}
function hintFor(name: DimensionName): string {
  switch (name) {
    case 'rate':
    case 'bitrate':
      return `remove ${name}, or set load: fixed to offer an absolute ${name} (load levels and shares are relative to the measured capacity)`;
    case 'mtls':
    case 'proxyConcurrency':
      return `remove ${name}, or add a mesh (e.g. mesh: sidecar)`;
    case 'enforcer':
      return 'remove enforcer, or set a policy (e.g. policy: default-deny-allow)';
    default:
      return `remove ${name}, or add a workload that uses it`;
  }
}
