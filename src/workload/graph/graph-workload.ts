/**
 * The graph workload, runner side: a graph service agent in every service's pods (leaves first,
 * each waited for until ready), then the open-loop engine in the `client` pod driving the entry
 * service exactly as the http workload drives its server (same engine, coordinated-omission
 * correction, self-judgement). The engine's window events are relayed to every service, so the
 * services record over the same window; at its end each service returns its histograms, per-edge
 * counts and sampled spans, which become the repetition's `graph` record.
 */
import { NetbenchError } from '../../core/errors.js';
import type {
  LoadConfig,
  GraphServiceConfig,
  GraphServiceResult,
} from '../../agent/agent-protocol.js';
import { graphServiceResultSchema } from '../../agent/agent-protocol.js';
import { watchAgent, type AgentWatch } from '../../agent/agent-process.js';
import type { RunningProcess } from '../../core/process-runner.js';
import type { Environment } from '../../platform/platform.js';
import type { TrialDimensions } from '../../spec/dimensions.js';
import type { LoadResult } from '../engine/run-load.js';
import {
  generatorBoundProbe,
  measurementOf,
  probeDurationS,
  stopAgent,
} from '../request-workload.js';
import type { Capacity } from '../offered-load.js';
import type { ProbeContext, Workload, WorkloadContext } from '../workload.js';
import { graphClientPod, graphServicePort } from './graph-policy.js';
import { graphRecordOf } from './graph-record.js';
import { podsOf, type GraphSpec } from '../../spec/graph-spec.js';

/** Sampled traces aimed for per window: enough for a p99 waterfall, small enough to join fast. */
const tracesPerWindow = 2000;

interface Started {
  service: string;
  pod: string;
  proc: RunningProcess;
  watch: AgentWatch;
}

/** One request in `traceEvery` carries a trace id, so a window yields about tracesPerWindow. */
export function traceEveryFor(rate: number | 'max', durationS: number): number {
  const expected = rate === 'max' ? 20_000 * durationS : rate * durationS;
  return Math.max(1, Math.ceil(expected / tracesPerWindow));
}

/** The agent configuration of every pod of the graph, leaves first. */
export function serviceConfigs(
  g: GraphSpec,
  d: Pick<TrialDimensions, 'connections'>,
  address: (pod: string) => string,
  options: { timeoutMs: number; traceEvery: number },
): GraphServiceConfig[] {
  const byName = new Map(g.services.map((s) => [s.name, s]));
  return [...g.services].reverse().flatMap((s) =>
    podsOf(s).map((pod): GraphServiceConfig => ({
      port: graphServicePort,
      service: s.name,
      pod,
      serviceTimeUs: s.serviceTimeUs,
      serviceTime: s.serviceTime,
      payloadBytes: s.payloadBytes,
      callMode: s.callMode,
      callees: s.calls.map((c) => ({
        service: c,
        endpoints: podsOf(byName.get(c)!).map((p) => ({
          pod: p,
          url: `http://${address(p)}:${graphServicePort}/`,
        })),
      })),
      connections: d.connections,
      timeoutMs: options.timeoutMs,
      entry: s.name === g.entry,
      traceEvery: options.traceEvery,
    })),
  );
}

interface GraphRun {
  rate: number | 'max';
  warmupS: number;
  durationS: number;
  timeoutS: number;
  onProgress?: WorkloadContext['onProgress'];
  onWindow?: WorkloadContext['onWindow'];
}

async function startServices(
  env: Environment,
  configs: readonly GraphServiceConfig[],
  signal: AbortSignal | undefined,
  started: Started[],
): Promise<void> {
  for (const config of configs) {
    const proc = await env.start(
      config.pod,
      { kind: 'agent', args: ['graph-service', '--config', JSON.stringify(config)] },
      signal === undefined ? {} : { signal },
    );
    const watch = watchAgent(proc, `graph service ${config.service} in pod "${config.pod}"`);
    started.push({ service: config.service, pod: config.pod, proc, watch });
    await watch.next('ready', 15_000);
  }
}

async function runGraph(
  ctx: ProbeContext,
  run: GraphRun,
): Promise<{ result: LoadResult; services: GraphServiceResult[]; traceEvery: number }> {
  const { environment: env, dimensions: d } = ctx;
  const g = d.graph;
  const traceEvery = traceEveryFor(run.rate, run.durationS);
  const started: Started[] = [];
  const withSignal = ctx.signal === undefined ? {} : { signal: ctx.signal };
  try {
    const configs = serviceConfigs(g, d, (p) => env.podAddress(p), {
      timeoutMs: Math.round(run.timeoutS * 1000),
      traceEvery,
    });
    await startServices(env, configs, ctx.signal, started);
    const config: LoadConfig = {
      transport: {
        kind: 'http1',
        url: `http://${env.podAddress(g.entry)}:${graphServicePort}/`,
        connections: d.connections,
        close: false,
      },
      rate: run.rate,
      warmupS: run.warmupS,
      durationS: run.durationS,
      timeoutS: run.timeoutS,
      threads: d.threads,
    };
    const client = await env.start(
      graphClientPod,
      { kind: 'agent', args: ['load', '--config', JSON.stringify(config)] },
      withSignal,
    );
    const clientWatch = watchAgent(client, 'the load generator in pod "client"', (e) => {
      if (e.event === 'progress') run.onProgress?.(e);
      if (e.event !== 'window') return;
      for (const s of started) s.proc.stdin.write(`${JSON.stringify({ window: e.phase })}\n`);
      run.onWindow?.(e.phase);
    });
    const budgetMs = (run.warmupS + run.durationS + run.timeoutS) * 1000 + 30_000;
    const event = await clientWatch.next('result', budgetMs);
    await clientWatch.done;
    if (event.event !== 'result') throw new Error('unreachable');
    const services: GraphServiceResult[] = [];
    for (const s of started) {
      const reply = await s.watch.next('result', 15_000);
      if (reply.event !== 'result') throw new Error('unreachable');
      const parsed = graphServiceResultSchema.safeParse(reply.result);
      if (!parsed.success) {
        throw new NetbenchError(
          'NB_WORKLOAD_FAILED',
          `graph service ${s.service} in pod "${s.pod}" sent a result netbench cannot read: ${parsed.error.message}`,
        );
      }
      services.push(parsed.data);
    }
    return { result: event.result as LoadResult, services, traceEvery };
  } catch (error) {
    if (ctx.signal?.aborted === true) {
      throw new NetbenchError('NB_INTERRUPTED', 'interrupted during the graph workload');
    }
    throw error;
  } finally {
    await Promise.all(started.map((s) => stopAgent(s.proc, s.watch.done)));
  }
}

export const graphWorkload: Workload = {
  serverPort: graphServicePort,
  serviceExposure: {
    unsupported:
      'a graph reaches replicated services through their endpoints (see docs/workloads.md)',
  },
  async run(ctx) {
    const { result, services, traceEvery } = await runGraph(ctx, {
      rate: ctx.load.offered ?? 'max',
      warmupS: ctx.warmupS,
      durationS: ctx.durationS,
      timeoutS: ctx.timeoutS,
      ...(ctx.onProgress === undefined ? {} : { onProgress: ctx.onProgress }),
      ...(ctx.onWindow === undefined ? {} : { onWindow: ctx.onWindow }),
    });
    const nodeOfPod = new Map(ctx.environment.topology.pods.map((p) => [p.name, p.node]));
    return {
      ...measurementOf(result, ctx.load, undefined),
      graph: graphRecordOf({
        graph: ctx.dimensions.graph,
        nodeOfPod,
        results: services,
        traceEvery,
      }),
    };
  },
  async probeCapacity(ctx): Promise<Capacity> {
    const durationS = probeDurationS(ctx.durationS);
    const { result } = await runGraph(ctx, {
      rate: 'max',
      warmupS: 0.5,
      durationS,
      timeoutS: ctx.timeoutS,
    });
    if (result.requests.completed === 0) {
      throw new NetbenchError(
        'NB_WORKLOAD_FAILED',
        `the capacity probe of graph ${ctx.dimensions.graph.name} completed no request (${Object.keys(result.errorKinds).join(', ') || 'no answer'})`,
        {
          hint: 'a service of the graph is not answering; try an absolute rate to see the errors per edge',
        },
      );
    }
    const bound = generatorBoundProbe(result.generator.eventLoopUtilization);
    const method = `graph ${ctx.dimensions.graph.name} closed loop, ${ctx.dimensions.connections} connections, ${durationS}s`;
    return {
      value: result.achievedRps,
      unit: 'rps',
      method: bound === undefined ? method : `${method}; ${bound}`,
      durationS,
    };
  },
};
