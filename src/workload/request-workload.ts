/**
 * The runner side of the request/response workloads that use netbench's own engine (http,
 * tcp-crr): a server agent in the `server` pod, the engine as a `load` agent in the `client` pod.
 * The engine's histograms come back encoded and are summarised here, next to what was asked.
 */
import { NetbenchError } from '../core/errors.js';
import type { Seconds } from '../core/units.js';
import type { PodCommand, TargetAddress } from '../platform/platform.js';
import type { LoadRecord, PinningRecord } from '../results/schema.js';
import type { TrialDimensions } from '../spec/dimensions.js';
import { decodeHistogram, summarize } from '../stats/histogram.js';
import type { LoadConfig, TransportConfig } from '../agent/agent-protocol.js';
import { watchAgent } from '../agent/agent-process.js';
import type { WindowPhase } from './engine/open-loop.js';
import type { LoadResult } from './engine/run-load.js';
import { judgeGenerator, maxEventLoopUtilization } from './engine/validity.js';
import type { Capacity } from './offered-load.js';
import { pinned, pinningCpus } from './pinning.js';
import type {
  LiveProgress,
  ProbeContext,
  RepetitionMeasurement,
  Workload,
  WorkloadContext,
} from './workload.js';

export interface RequestWorkloadSpec {
  /** For messages: "the HTTP server". */
  serverName: string;
  /** What the capacity probe measured, e.g. "http closed loop". */
  probeName: string;
  /** The server agent's arguments. */
  server(d: TrialDimensions): { args: readonly string[] };
  /** The port the server agent listens on. */
  serverPort: number;
  /** The port a ClusterIP Service exposes it on (placement via-service). */
  servicePort: number;
  /** How the client reaches the server: the pod, or the Service in front of it. */
  transport(d: TrialDimensions, target: TargetAddress): TransportConfig;
}

interface LoadRun {
  rate: number | 'max';
  warmupS: Seconds;
  durationS: Seconds;
  timeoutS: Seconds;
  onProgress?: (progress: LiveProgress) => void;
  onWindow?: (phase: WindowPhase) => void;
}

export function createRequestWorkload(spec: RequestWorkloadSpec): Workload {
  const runOnce = async (
    ctx: ProbeContext,
    run: LoadRun,
  ): Promise<{ result: LoadResult; pinning: PinningRecord | undefined }> => {
    const { environment: env, dimensions: d } = ctx;
    const pinning = pinningCpus(d.pinning);
    const withSignal = ctx.signal === undefined ? {} : { signal: ctx.signal };
    const server = await env.start(
      'server',
      pinned({ kind: 'agent', args: spec.server(d).args }, pinning, 'server'),
      withSignal,
    );
    const serverWatch = watchAgent(server, `${spec.serverName} in pod "server"`);
    try {
      await serverWatch.next('ready', 15_000);
      const config: LoadConfig = {
        transport: spec.transport(d, env.targetAddress('server', spec.serverPort)),
        rate: run.rate,
        warmupS: run.warmupS,
        durationS: run.durationS,
        timeoutS: run.timeoutS,
        threads: d.threads,
      };
      const command: PodCommand = {
        kind: 'agent',
        args: ['load', '--config', JSON.stringify(config)],
      };
      const client = await env.start('client', pinned(command, pinning, 'client'), withSignal);
      const clientWatch = watchAgent(client, 'the load generator in pod "client"', (e) => {
        if (e.event === 'progress') run.onProgress?.(e);
        if (e.event === 'window') run.onWindow?.(e.phase);
      });
      const budgetMs = (run.warmupS + run.durationS + run.timeoutS) * 1000 + 30_000;
      const event = await clientWatch.next('result', budgetMs);
      await clientWatch.done;
      if (event.event !== 'result') throw new Error('unreachable');
      return { result: event.result as LoadResult, pinning };
    } catch (error) {
      if (ctx.signal?.aborted === true) {
        throw new NetbenchError('NB_INTERRUPTED', `interrupted during the ${d.workload} workload`);
      }
      throw error;
    } finally {
      await stopAgent(server, serverWatch.done);
    }
  };

  return {
    serverPort: spec.serverPort,
    serviceExposure: { port: spec.servicePort, targetPort: spec.serverPort },
    async run(ctx: WorkloadContext): Promise<RepetitionMeasurement> {
      const { result, pinning } = await runOnce(ctx, {
        rate: ctx.load.offered ?? 'max',
        warmupS: ctx.warmupS,
        durationS: ctx.durationS,
        timeoutS: ctx.timeoutS,
        ...(ctx.onProgress === undefined ? {} : { onProgress: ctx.onProgress }),
        ...(ctx.onWindow === undefined ? {} : { onWindow: ctx.onWindow }),
      });
      return measurementOf(result, ctx.load, pinning);
    },
    async probeCapacity(ctx: ProbeContext): Promise<Capacity> {
      const durationS = probeDurationS(ctx.durationS);
      const { result } = await runOnce(ctx, {
        rate: 'max',
        warmupS: 0.5,
        durationS,
        timeoutS: ctx.timeoutS,
      });
      if (result.requests.completed === 0) {
        throw new NetbenchError(
          'NB_WORKLOAD_FAILED',
          `the capacity probe completed no request (${Object.keys(result.errorKinds).join(', ') || 'no answer'})`,
          {
            hint: 'the server is not answering over this path; try an absolute rate to see the errors',
          },
        );
      }
      const method = `${spec.probeName}, ${ctx.dimensions.connections} connection${ctx.dimensions.connections === 1 ? '' : 's'}, ${ctx.dimensions.threads} thread${ctx.dimensions.threads === 1 ? '' : 's'}, ${durationS}s`;
      const bound = generatorBoundProbe(result.generator.eventLoopUtilization);
      if (bound !== undefined) ctx.logger.warn(`capacity probe of ${spec.probeName}: ${bound}`);
      return {
        value: result.achievedRps,
        unit: 'rps',
        method: bound === undefined ? method : `${method}; ${bound}`,
        durationS,
      };
    },
  };
}

/**
 * What a closed-loop probe measured when the generator's own loop was saturated: its capacity,
 * not the path's, so load levels are shares of what the generator can offer. Undefined when the
 * generator had room. Open loop costs the generator more per request than closed loop, so at
 * such levels it may not deliver the rate (judgeGenerator then says so).
 */
export function generatorBoundProbe(eventLoopUtilization: number): string | undefined {
  if (eventLoopUtilization <= maxEventLoopUtilization) return undefined;
  return `generator-bound (its event loop was busy ${(eventLoopUtilization * 100).toFixed(0)}%): this is the generator's capacity, not the path's; add threads or CPUs for levels relative to the path`;
}

/** A capacity probe is short: the scenario's duration, between 1 and 3 seconds. */
export function probeDurationS(durationS: Seconds): Seconds {
  return Math.min(3, Math.max(1, durationS));
}

/** Stops a server agent: SIGTERM, then SIGKILL if it has not exited within 3 s. */
export async function stopAgent(
  proc: { kill(signal?: NodeJS.Signals): void },
  done: Promise<unknown>,
): Promise<void> {
  proc.kill('SIGTERM');
  await Promise.race([done, new Promise((r) => setTimeout(r, 3000).unref())]);
  proc.kill('SIGKILL');
}

export function measurementOf(
  r: LoadResult,
  load: LoadRecord,
  pinning: PinningRecord | undefined,
): RepetitionMeasurement {
  const latency = summarize(decodeHistogram(r.histograms.latencyUs));
  const service = summarize(decodeHistogram(r.histograms.serviceLatencyUs));
  const lag = summarize(decodeHistogram(r.histograms.scheduleLagUs));
  return {
    mode: r.mode,
    requestedRps: r.requestedRps,
    achievedRps: r.achievedRps,
    durationS: r.measuredDurationS,
    latencyUs: latency,
    serviceLatencyUs: service,
    scheduleLagUs: lag,
    requests: r.requests,
    errors: r.requests.errors,
    timeouts: r.requests.timeouts,
    errorKinds: r.errorKinds,
    generator: r.generator,
    engine: r.engine,
    histograms: {
      latencyUs: r.histograms.latencyUs,
      serviceLatencyUs: r.histograms.serviceLatencyUs,
      scheduleLagUs: r.histograms.scheduleLagUs,
    },
    load,
    ...(pinning === undefined ? {} : { pinning }),
    invalidReasons: judgeGenerator({ ...r, scheduleLagUs: lag }),
  };
}
