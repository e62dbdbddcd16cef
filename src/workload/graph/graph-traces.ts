/**
 * Joins the spans every service kept for a sampled request into one trace, and attributes the
 * request's time (pure). Each span knows its own server time and, for each call it made, when
 * the call started and how long it took as the caller saw it. Attribution follows the critical
 * path: a service's self time is its server time minus the calls it waited for (all of them when
 * sequential, the slowest when parallel), and a hop's time is the call's latency minus the
 * callee's server time (network, proxies, the callee's socket handling). Along the critical path
 * self times and hop times add up to the entry's server time, with every term measured by the
 * process that owns it.
 */
import type { GraphSpan } from '../../agent/agent-protocol.js';
import type { GraphTraceSpan } from '../../results/schema.js';
import type { CallMode } from '../../spec/graph-spec.js';

/** A joined trace: the entry's span first, every span's parent before it. */
export interface JoinedTrace {
  trace: number;
  /** The entry service's server time: what the spans account for. */
  totalUs: number;
  spans: GraphTraceSpan[];
}

export interface TraceInput {
  /** Spans per pod, as each pod's agent reported them. */
  spansByPod: ReadonlyMap<string, readonly GraphSpan[]>;
  /** The entry's pod. */
  entryPod: string;
  /** How each service calls (sequential or parallel). */
  callModes: ReadonlyMap<string, CallMode>;
  /** The service each pod belongs to. */
  serviceOfPod: ReadonlyMap<string, string>;
}

/** The calls of a span that are on its critical path, by index. */
export function criticalCalls(span: Pick<GraphSpan, 'calls'>, mode: CallMode): Set<number> {
  if (mode === 'sequential') return new Set(span.calls.map((_, i) => i));
  let slowest = -1;
  span.calls.forEach((c, i) => {
    if (slowest < 0 || c.durationUs > span.calls[slowest]!.durationUs) slowest = i;
  });
  return new Set(slowest < 0 ? [] : [slowest]);
}

/**
 * Every sampled request whose spans were found in every pod it called (a request that failed
 * before reaching a callee still joins: the failed call has no span below it).
 */
export function joinTraces(input: TraceInput): JoinedTrace[] {
  const index = new Map<string, Map<number, GraphSpan[]>>();
  for (const [pod, spans] of input.spansByPod) {
    const byTrace = new Map<number, GraphSpan[]>();
    for (const s of spans) byTrace.set(s.trace, [...(byTrace.get(s.trace) ?? []), s]);
    index.set(pod, byTrace);
  }
  const out: JoinedTrace[] = [];
  for (const root of input.spansByPod.get(input.entryPod) ?? []) {
    const joined = joinOne(root, input, index);
    if (joined !== undefined) out.push(joined);
  }
  return out;
}

function joinOne(
  root: GraphSpan,
  input: TraceInput,
  index: Map<string, Map<number, GraphSpan[]>>,
): JoinedTrace | undefined {
  const taken = new Map<string, number>();
  const spans: GraphTraceSpan[] = [];
  const take = (pod: string): GraphSpan | undefined => {
    const list = index.get(pod)?.get(root.trace) ?? [];
    const i = taken.get(pod) ?? 0;
    taken.set(pod, i + 1);
    return list[i];
  };
  let complete = true;
  const visit = (
    span: GraphSpan,
    pod: string,
    parent: number,
    startUs: number,
    callUs: number | undefined,
    critical: boolean,
  ): void => {
    const service = input.serviceOfPod.get(pod) ?? pod;
    const mode = input.callModes.get(service) ?? 'sequential';
    const onPath = criticalCalls(span, mode);
    const waitedUs = span.calls.reduce((a, c, i) => a + (onPath.has(i) ? c.durationUs : 0), 0);
    const me = spans.length;
    spans.push({
      service,
      pod,
      parent,
      startUs,
      ...(callUs === undefined ? {} : { callUs, hopUs: callUs - span.serverUs }),
      serverUs: span.serverUs,
      selfUs: span.serverUs - waitedUs,
      critical,
      ok: span.ok,
    });
    // Where the callee's server time sits inside the call is not measured across machines; the
    // waterfall centres it (half the hop before, half after), as tracing UIs do.
    const myStartUs = parent < 0 ? 0 : startUs + ((callUs ?? span.serverUs) - span.serverUs) / 2;
    span.calls.forEach((c, i) => {
      const child = take(c.pod);
      if (child === undefined) {
        if (c.ok) complete = false;
        return;
      }
      visit(child, c.pod, me, myStartUs + c.startUs, c.durationUs, critical && onPath.has(i));
    });
  };
  visit(root, input.entryPod, -1, 0, undefined, true);
  return complete ? { trace: root.trace, totalUs: root.serverUs, spans } : undefined;
}

/** The critical path's parts in order: each service's self time and each hop's time. */
export function attribution(
  trace: JoinedTrace,
): { kind: 'self' | 'hop'; service: string; from?: string; us: number }[] {
  const parts: { kind: 'self' | 'hop'; service: string; from?: string; us: number }[] = [];
  trace.spans.forEach((s) => {
    if (!s.critical) return;
    if (s.hopUs !== undefined) {
      parts.push({
        kind: 'hop',
        from: trace.spans[s.parent]?.service ?? '?',
        service: s.service,
        us: s.hopUs,
      });
    }
    parts.push({ kind: 'self', service: s.service, us: s.selfUs });
  });
  return parts;
}

/** Traces spread evenly over the entry's server time by rank (always the fastest and slowest). */
export function tracesByRank(traces: readonly JoinedTrace[], keep: number): JoinedTrace[] {
  const sorted = [...traces].sort((a, b) => a.totalUs - b.totalUs);
  if (sorted.length <= keep) return sorted;
  const picked = new Set<number>();
  for (let i = 0; i < keep; i++) picked.add(Math.round((i * (sorted.length - 1)) / (keep - 1)));
  return [...picked].map((i) => sorted[i]!);
}
