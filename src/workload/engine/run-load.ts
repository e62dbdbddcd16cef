/**
 * Runs one generator: on the calling thread, or split over worker threads so one generator can
 * use more than one core. Threads share one schedule (request i goes to thread i mod threads),
 * start together at a common hrtime, and their histograms are merged, never averaged.
 */
import { NetbenchError } from '../../core/errors.js';
import { decodeHistogram, encodeHistogram, mergeHistograms } from '../../stats/histogram.js';
import { loadConfigSchema, type LoadConfig } from '../../agent/agent-protocol.js';
import { engineOf, openTransport, splitTransport } from '../transports.js';
import {
  startLoadWorker,
  type LoadCoordinatorMessage,
  type LoadWorkerMessage,
} from './load-worker.js';
import {
  msUntil,
  runEngine,
  type EngineResult,
  type LoadProgress,
  type WindowPhase,
} from './open-loop.js';

export interface LoadResult extends EngineResult {
  /** What produced the figures (the transport's engine name). */
  engine: string;
}

export interface RunLoadOptions {
  config: LoadConfig;
  signal?: AbortSignal;
  onProgress?: (progress: LoadProgress) => void;
  onWindow?: (phase: WindowPhase) => void;
}

export async function runLoad(options: RunLoadOptions): Promise<LoadResult> {
  const config = loadConfigSchema.parse(options.config);
  const shares = splitTransport(config.transport, config.threads);
  if (shares.length <= 1) {
    const transport = openTransport(config.transport, config.timeoutS);
    try {
      await transport.prime();
      const result = await runEngine({
        slots: transport.slots,
        rate: config.rate,
        warmupS: config.warmupS,
        durationS: config.durationS,
        timeoutS: config.timeoutS,
        ...(options.signal === undefined ? {} : { signal: options.signal }),
        ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
        ...(options.onWindow === undefined ? {} : { onWindow: options.onWindow }),
      });
      return { ...result, engine: engineOf(config.transport) };
    } finally {
      await transport.close();
    }
  }
  return { ...(await runThreaded(config, shares, options)), engine: engineOf(config.transport) };
}

async function runThreaded(
  config: ReturnType<typeof loadConfigSchema.parse>,
  shares: ReturnType<typeof splitTransport>,
  o: RunLoadOptions,
): Promise<EngineResult> {
  const workers = shares.map((transport, index) =>
    startLoadWorker({
      transport,
      rate: config.rate,
      warmupS: config.warmupS,
      durationS: config.durationS,
      timeoutS: config.timeoutS,
      share: { index, of: shares.length },
    }),
  );
  const progress = new Map<number, LoadProgress>();
  let progressSeen = 0;
  const results: (EngineResult | undefined)[] = workers.map(() => undefined);
  let primed = 0;
  let startNs: bigint | undefined;
  let windowCpu: NodeJS.CpuUsage | undefined;
  let cpuPercent = 0;
  const timers: NodeJS.Timeout[] = [];

  const send = (m: LoadCoordinatorMessage): void => {
    for (const w of workers) w.postMessage(m);
  };
  try {
    return await new Promise<EngineResult>((resolve, reject) => {
      const failWith = (error: NetbenchError): void => {
        send({ type: 'abort' });
        reject(error);
      };
      const onAbort = (): void =>
        failWith(new NetbenchError('NB_INTERRUPTED', 'load generation interrupted'));
      o.signal?.addEventListener('abort', onAbort, { once: true });
      workers.forEach((worker, index) => {
        worker.on('error', (error) =>
          failWith(
            new NetbenchError(
              'NB_WORKLOAD_FAILED',
              `load worker ${index} crashed: ${error.message}`,
              {
                hint: 'multi-threaded generators run the built dist/ tree: run `npm run build`',
              },
            ),
          ),
        );
        worker.on('message', (m: LoadWorkerMessage) => {
          switch (m.type) {
            case 'primed':
              primed += 1;
              if (primed === workers.length) {
                // Far enough ahead that every worker's ticker thread is running before tick 0.
                startNs = process.hrtime.bigint() + 100_000_000n;
                send({ type: 'go', startNs: startNs.toString() });
                const startInMs = msUntil(startNs);
                timers.push(
                  setTimeout(
                    () => {
                      windowCpu = process.cpuUsage();
                      o.onWindow?.('start');
                    },
                    startInMs + config.warmupS * 1000,
                  ),
                  setTimeout(
                    () => {
                      if (windowCpu !== undefined) {
                        const used = process.cpuUsage(windowCpu);
                        cpuPercent = ((used.user + used.system) / 1e6 / config.durationS) * 100;
                      }
                      o.onWindow?.('end');
                    },
                    startInMs + (config.warmupS + config.durationS) * 1000,
                  ),
                );
              }
              return;
            case 'progress':
              progress.set(index, m.progress);
              progressSeen += 1;
              if (progressSeen % workers.length === 0 && o.onProgress !== undefined) {
                const all = [...progress.values()];
                o.onProgress({
                  elapsedS: Math.max(...all.map((p) => p.elapsedS)),
                  phase: all[0]?.phase ?? 'measure',
                  rps: all.reduce((a, p) => a + p.rps, 0),
                  p99Us: Math.max(...all.map((p) => p.p99Us)),
                });
              }
              return;
            case 'result':
              results[index] = m.result;
              if (results.every((r) => r !== undefined)) {
                o.signal?.removeEventListener('abort', onAbort);
                resolve(
                  mergeEngineResults(
                    results.filter((r): r is EngineResult => r !== undefined),
                    cpuPercent,
                  ),
                );
              }
              return;
            case 'error':
              failWith(
                new NetbenchError('NB_WORKLOAD_FAILED', m.message, {
                  ...(m.hint === undefined ? {} : { hint: m.hint }),
                }),
              );
              return;
          }
        });
      });
    });
  } finally {
    for (const t of timers) clearTimeout(t);
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/**
 * One result from the results of the threads of one generator: counts and rates summed,
 * histograms merged, the busiest thread's loop figures kept.
 */
export function mergeEngineResults(
  results: readonly EngineResult[],
  processCpuPercent: number,
): EngineResult {
  const first = results[0];
  if (first === undefined) throw new Error('no results to merge');
  const merge = (key: keyof EngineResult['histograms']): string =>
    encodeHistogram(mergeHistograms(results.map((r) => decodeHistogram(r.histograms[key]))));
  const sum = (f: (r: EngineResult) => number): number => results.reduce((a, r) => a + f(r), 0);
  const errorKinds: Record<string, number> = {};
  for (const r of results) {
    for (const [k, v] of Object.entries(r.errorKinds)) errorKinds[k] = (errorKinds[k] ?? 0) + v;
  }
  return {
    mode: first.mode,
    requestedRps: first.requestedRps,
    achievedRps: sum((r) => r.achievedRps),
    measuredDurationS: first.measuredDurationS,
    requests: {
      scheduled: sum((r) => r.requests.scheduled),
      sent: sum((r) => r.requests.sent),
      completed: sum((r) => r.requests.completed),
      errors: sum((r) => r.requests.errors),
      timeouts: sum((r) => r.requests.timeouts),
      unsent: sum((r) => r.requests.unsent),
    },
    errorKinds,
    bytesReceived: sum((r) => r.bytesReceived),
    histograms: {
      latencyUs: merge('latencyUs'),
      serviceLatencyUs: merge('serviceLatencyUs'),
      scheduleLagUs: merge('scheduleLagUs'),
    },
    generator: {
      cpuPercent: processCpuPercent,
      eventLoopDelayP99Us: Math.max(...results.map((r) => r.generator.eventLoopDelayP99Us)),
      eventLoopDelayMaxUs: Math.max(...results.map((r) => r.generator.eventLoopDelayMaxUs)),
      threads: results.length,
      eventLoopUtilization: Math.max(...results.map((r) => r.generator.eventLoopUtilization)),
    },
  };
}
