/**
 * The report's service-graph section (pure): end-to-end latency against depth per mesh mode,
 * what one hop costs and what a mesh adds per hop (with intervals), calls and errors per edge,
 * the critical path, and the BookInfo waterfall of a typical and a p99 request, as tables whose
 * ids start with `graph-`.
 */
import { analyzeGraphs, type GraphWaterfall } from '../analysis/graph-hops.js';
import type { Results } from '../results/schema.js';
import type { Difference, Estimate } from '../stats/estimate.js';
import { formatMicros, verdictText } from '../analysis/format.js';
import type { Cell, Table } from './tables.js';

const c = (text: string, tone?: Cell['tone']): Cell =>
  tone === undefined ? { text } : { text, tone };

/** µs with a sign only when negative (an interval's low end can fall below 0). */
const micros = (us: number): string => (us < 0 ? `−${formatMicros(-us)}` : formatMicros(us));

function est(e: Estimate | undefined, format: (v: number) => string = micros): Cell {
  if (e === undefined) return c('–', 'muted');
  if (e.low === undefined || e.high === undefined) return c(format(e.value));
  return { text: format(e.value), detail: `[${format(e.low)},\u00a0${format(e.high)}]` };
}

const signedMicros = (us: number): string => `${us >= 0 ? '+' : '−'}${formatMicros(Math.abs(us))}`;

function added(d: Difference): Cell {
  const interval =
    d.low === undefined || d.high === undefined
      ? ''
      : `[${signedMicros(d.low)},\u00a0${signedMicros(d.high)}] `;
  return { text: signedMicros(d.value), detail: `${interval}${verdictText(d)}`, tone: d.verdict };
}

/** A bar drawn in text, so every format (HTML, Markdown, terminal) shows the waterfall. */
function bar(startUs: number, durationUs: number, totalUs: number, width = 40): string {
  const scale = width / Math.max(totalUs, 1);
  const lead = Math.max(0, Math.round(startUs * scale));
  const len = Math.max(1, Math.round(durationUs * scale));
  return `${'·'.repeat(Math.min(width, lead))}${'█'.repeat(Math.min(width - Math.min(width, lead) + 1, len))}`;
}

function waterfallTable(w: GraphWaterfall): Table {
  return {
    id: `graph-waterfall-${w.which}-${w.trialId}`,
    title: `Waterfall, ${w.which === 'typical' ? 'a typical request (median)' : 'a p99 request'}: ${w.trialId} (${formatMicros(w.totalUs)} in the entry)`,
    caption:
      "One sampled request, on the entry service's timeline. A call bar is the caller's view (network, proxies, the callee); the callee's own bar is centred in it, since where it sits inside the call is not measured across machines. * marks the critical path.",
    header: ['span', 'start', 'duration', 'timeline'],
    rows: w.bars.map((b) => [
      c(`${'  '.repeat(b.depth)}${b.critical ? '* ' : ''}${b.label}`),
      c(formatMicros(b.startUs)),
      c(formatMicros(b.durationUs)),
      c(bar(b.startUs, b.durationUs, w.totalUs), b.kind === 'call' ? 'muted' : undefined),
    ]),
  };
}

export function graphTables(results: Results): Table[] {
  const a = analyzeGraphs(results);
  if (a === undefined) return [];
  const byMesh = [...a.trials].sort(
    (x, y) => x.mesh.localeCompare(y.mesh) || x.depth - y.depth || x.graph.localeCompare(y.graph),
  );
  const tables: Table[] = [
    {
      id: 'graph-depth',
      title: 'Service graph: end-to-end latency against depth, per mesh mode',
      caption:
        "End-to-end latency at the client (from the intended send, coordinated omission corrected) with 95 % intervals over repetitions; depth is the number of services on the longest call path. One hop is a call between services minus the callee's server time (from sampled traces): network, proxies and socket handling. Proxy CPU is every mesh proxy's CPU per 1 000 requests completed end to end.",
      header: [
        'mesh',
        'graph',
        'depth',
        'placement',
        'p50',
        'p90',
        'p99',
        'one hop, p50',
        'proxy CPU per 1k',
      ],
      rows: byMesh.map((t) => [
        c(t.mesh),
        t.fromInvalid ? c(`${t.graph} (invalid repetitions only)`, 'fail') : c(t.graph),
        c(String(t.depth)),
        c(t.placement),
        est(t.e2eUs?.p50),
        est(t.e2eUs?.p90),
        est(t.e2eUs?.p99),
        est(t.hopUsP50),
        est(t.proxyCpuMsPer1kRequests, (v) => `${v.toFixed(0)} ms`),
      ]),
    },
  ];
  if (a.overheads.length > 0) {
    const trialOf = new Map(a.trials.map((t) => [t.trialId, t]));
    tables.push({
      id: 'graph-hop-overhead',
      title: 'Service graph: what the mesh adds per hop',
      caption:
        "Each hop's median time in the meshed trial minus the same in its mesh-none twin (same graph, datapath and placement), with a 95 % interval over repetitions (Welch).",
      header: ['trial', 'mesh', 'graph', 'each hop adds', 'against'],
      rows: a.overheads.map((o) => [
        c(o.trialId),
        c(o.mesh),
        c(trialOf.get(o.trialId)?.graph ?? ''),
        added(o.addedUs),
        c(o.baselineTrialId),
      ]),
    });
  }
  tables.push({
    id: 'graph-edges',
    title: 'Service graph: calls per edge',
    caption:
      'Every call edge over the valid repetitions: where its pod pairs ran, calls, errors and timeouts (counted by the caller; a failed call fails the caller, so errors travel up), median call latency and median hop time.',
    header: ['trial', 'edge', 'placement', 'calls', 'errors', 'timeouts', 'call p50', 'hop p50'],
    rows: a.trials.flatMap((t) =>
      t.edges.map((e) => [
        c(t.trialId),
        c(`${e.from} → ${e.to}`),
        c(e.placement),
        c(String(e.calls)),
        c(String(e.errors), e.errors > 0 ? 'fail' : undefined),
        c(String(e.timeouts), e.timeouts > 0 ? 'fail' : undefined),
        c(formatMicros(e.callUsP50)),
        e.hopUsP50 === undefined ? c('–', 'muted') : c(formatMicros(e.hopUsP50)),
      ]),
    ),
  });
  const paths = a.criticalPaths.filter((p) => p.parts.length > 0);
  if (paths.length > 0) {
    tables.push({
      id: 'graph-critical-path',
      title: 'Service graph: where the time goes (critical path)',
      caption:
        "Mean over the stored sampled traces of each part of the critical path (in a service: its own time; a hop: the call minus the callee's server time), and its share of the entry service's time.",
      header: ['trial', 'part', 'mean', 'share'],
      rows: paths.flatMap((p) =>
        p.parts.map((part) => [
          c(p.trialId),
          c(part.label),
          c(formatMicros(part.meanUs)),
          c(`${(part.share * 100).toFixed(0)} %`),
        ]),
      ),
    });
  }
  tables.push(...a.waterfalls.map(waterfallTable));
  return tables;
}
