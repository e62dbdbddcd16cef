/**
 * The advice as plain parts every renderer shares (one wording for Markdown, HTML and the
 * report's Recommendation section). Pure.
 */
import { formatBytes } from '../core/units.js';
import type { Advice, Recommendation } from './advice-types.js';
import type { Amount, MeshCost } from './cost-model.js';

const bytes = (v: number): string =>
  v >= 10 * 1024 ** 3 ? `${(v / 1024 ** 3).toFixed(1)} GiB` : formatBytes(v);

const vcpu = (v: number): string => `${v < 10 ? v.toFixed(2) : v.toFixed(1)} vCPU`;

function amount(a: Amount | undefined, fmt: (v: number) => string): string {
  if (a === undefined) return '–';
  const bounds =
    a.low === undefined || a.high === undefined ? '' : ` [${fmt(a.low)}, ${fmt(a.high)}]`;
  return `${fmt(a.value)}${bounds}`;
}

/** One line per decision: `mesh: istio-ambient (medium confidence; rule istio-ambient-by-default)`. */
export const headline = (r: Recommendation): string =>
  `${r.decision}: ${r.choice} (${r.confidence} confidence; rule ${r.rule})`;

/** The cost model as a table: header and rows of text. */
export function costTable(advice: Advice): { header: string[]; rows: string[][] } {
  const instances = (m: MeshCost): string =>
    Object.entries(m.instances)
      .map(([role, n]) => `${n} ${role}`)
      .join(' + ');
  return {
    header: [
      'mesh',
      'lab model',
      'proxies',
      'proxy CPU, cluster',
      'proxy memory, cluster',
      'basis',
    ],
    rows: advice.costModel.meshes.map((m) => [
      m.mesh,
      m.labModel,
      instances(m),
      amount(m.cpuCores, vcpu),
      amount(m.memoryBytes, bytes),
      m.measuredIn === undefined
        ? m.basis
        : `${m.basis} (${m.measuredIn.trialId}, run ${m.measuredIn.runId})`,
    ]),
  };
}

/** The inputs the cost model priced, in words. */
export function costInputs(advice: Advice): string {
  const i = advice.costModel.inputs;
  return `${i.pods} pods, ${i.nodes} nodes, ${i.services} Services, ${i.requestsPerSecond === undefined ? 'no request rate given' : `${i.requestsPerSecond} requests/s east-west`}. Intervals are 95 % confidence intervals of the measured per-proxy figures, scaled; priors have none.`;
}
