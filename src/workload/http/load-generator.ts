/**
 * The HTTP load generator (runs in the client pod). Open loop: request i is due at
 * start + i/rate whatever happened to earlier requests; a due request takes the next idle
 * keep-alive connection or waits in a queue for one. Latency is recorded from the intended send
 * time (corrected for coordinated omission) and also from the actual send (service time), plus
 * the generator's own schedule lag, in HDR histograms. Closed loop (`rate: max`): every
 * connection sends its next request as soon as the previous response ends.
 *
 * Each connection is its own undici Client with pipelining 1 (not a Pool) so the generator, not
 * the library, decides which request goes out when, and knows the exact send time.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Client, type Dispatcher } from 'undici';
import { NetbenchError } from '../../core/errors.js';
import type { Seconds } from '../../core/units.js';
import {
  createHistogram,
  encodeHistogram,
  recordMicros,
  type Histogram,
} from '../../stats/histogram.js';
import { startTicker, type Ticker } from './schedule-ticker.js';

export interface HttpLoadOptions {
  /** Target, e.g. `http://10.244.2.10:8080/`. */
  url: string;
  /** Requests per second, or `max` for closed loop. */
  rate: number | 'max';
  connections: number;
  warmupS: Seconds;
  durationS: Seconds;
  timeoutS: Seconds;
  /** Called about once a second with the last second's figures. */
  onProgress?: (progress: LoadProgress) => void;
  signal?: AbortSignal;
}

export interface LoadProgress {
  elapsedS: Seconds;
  phase: 'warmup' | 'measure' | 'drain';
  /** Responses in the last interval, per second. */
  rps: number;
  /** p99 latency (from intended send) of the last interval. */
  p99Us: number;
}

export interface HttpLoadResult {
  mode: 'open-loop' | 'closed-loop';
  requestedRps: number | null;
  /** Successful responses that arrived inside the measured window, per second of it. */
  achievedRps: number;
  measuredDurationS: Seconds;
  requests: {
    /** Requests whose intended send time fell inside the measured window. */
    scheduled: number;
    sent: number;
    completed: number;
    errors: number;
    timeouts: number;
    /** Due but never sent before the drain deadline (counted as timeouts too). */
    unsent: number;
  };
  errorKinds: Record<string, number>;
  bytesReceived: number;
  /** Encoded HDR histograms, microseconds. */
  histograms: { latencyUs: string; serviceLatencyUs: string; scheduleLagUs: string };
  generator: {
    /** CPU of the whole generator process (all threads) over the window, % of one core. */
    cpuPercent: number;
    eventLoopDelayP99Us: number;
    eventLoopDelayMaxUs: number;
  };
}

const nowNs = (): bigint => process.hrtime.bigint();

export async function runHttpLoad(options: HttpLoadOptions): Promise<HttpLoadResult> {
  const url = new URL(options.url);
  const path = `${url.pathname}${url.search}`;
  const timeoutMs = Math.round(options.timeoutS * 1000);
  const clients = Array.from(
    { length: options.connections },
    () =>
      new Client(url.origin, {
        pipelining: 1,
        keepAliveTimeout: 120_000,
        keepAliveMaxTimeout: 600_000,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        connectTimeout: timeoutMs,
      }),
  );
  try {
    await prime(clients, path, options.url);
    return await measure(clients, path, options);
  } finally {
    await Promise.all(clients.map((c) => c.destroy().catch(() => undefined)));
  }
}

/** One request per connection before the clock starts: opens the keep-alive connections. */
async function prime(clients: Client[], path: string, target: string): Promise<void> {
  try {
    await Promise.all(
      clients.map(async (c) => {
        const res = await c.request({ path, method: 'GET' });
        await res.body.arrayBuffer();
        if (res.statusCode >= 400) throw new Error(`HTTP ${res.statusCode}`);
      }),
    );
  } catch (error) {
    const e = error as Error & { code?: string };
    throw new NetbenchError(
      'NB_WORKLOAD_FAILED',
      `the HTTP server at ${target} did not answer: ${e.code ?? e.message}`,
      {
        hint: 'the server pod is not reachable over this datapath; check the lab with `netbench lab up`',
      },
    );
  }
}

function measure(clients: Client[], path: string, o: HttpLoadOptions): Promise<HttpLoadResult> {
  const open = o.rate !== 'max';
  const intervalNs = open ? 1e9 / (o.rate as number) : 0;
  const warmupNs = o.warmupS * 1e9;
  const endNs = warmupNs + o.durationS * 1e9;
  const timeoutNs = o.timeoutS * 1e9;
  const totalScheduled = open ? Math.ceil(endNs / intervalNs) : 0;

  const latency = createHistogram();
  const service = createHistogram();
  const scheduleLag = createHistogram();
  let intervalLatency: Histogram = createHistogram();
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });

  let start = 0n;
  const t = (): number => Number(nowNs() - start);
  const idle: Client[] = [...clients];
  // Queue of intended send times (ns since start) waiting for an idle connection.
  const queue: number[] = [];
  let queueHead = 0;
  let nextIndex = 0;
  let inflight = 0;
  let finished = false;
  let windowCpu: NodeJS.CpuUsage | undefined;
  let windowEnded = false;
  let cpuPercent = 0;
  const counts = { scheduled: 0, sent: 0, completed: 0, errors: 0, timeouts: 0, unsent: 0 };
  const errorKinds: Record<string, number> = {};
  let completedInWindow = 0;
  let intervalCompleted = 0;
  let bytesReceived = 0;
  let ticker: Ticker | undefined;

  return new Promise<HttpLoadResult>((resolve, reject) => {
    const fail = (kind: string, measured: boolean, isTimeout: boolean): void => {
      if (!measured) return;
      if (isTimeout) counts.timeouts += 1;
      else {
        counts.errors += 1;
        errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
      }
    };

    const send = (client: Client, intendedNs: number): void => {
      const sentNs = t();
      const measured = intendedNs >= warmupNs && intendedNs < endNs;
      if (measured) counts.sent += 1;
      inflight += 1;
      let status = 0;
      // Client.dispatch in undici 7 takes the callback-style handler (onConnect/onHeaders/…); the
      // newer controller-style one is only accepted through interceptors. It is the cheapest way
      // to see the exact moment the response ends without building a stream per request.
      const handler: Dispatcher.DispatchHandler = {
        onConnect: () => undefined,
        onHeaders: (statusCode) => {
          status = statusCode;
          return true;
        },
        onData: (chunk) => {
          bytesReceived += chunk.length;
          return true;
        },
        onComplete: () => {
          const doneNs = t();
          inflight -= 1;
          if (status >= 400) fail(`http_${status}`, measured, false);
          else {
            if (doneNs >= warmupNs && doneNs < endNs) completedInWindow += 1;
            intervalCompleted += 1;
            const us = (doneNs - intendedNs) / 1000;
            recordMicros(intervalLatency, us);
            if (measured) {
              counts.completed += 1;
              recordMicros(latency, us);
              recordMicros(service, (doneNs - sentNs) / 1000);
            }
          }
          release(client, false);
        },
        onError: (error: Error & { code?: string }) => {
          inflight -= 1;
          const code = error.code ?? error.name;
          fail(
            code,
            measured,
            code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT',
          );
          release(client, true);
        },
      };
      client.dispatch({ path, method: 'GET' }, handler);
    };

    const release = (client: Client, afterError: boolean): void => {
      if (finished) return;
      if (!open) {
        // Closed loop: the connection goes straight on, unless the window is over.
        if (t() < endNs) {
          if (afterError) setTimeout(() => !finished && send(client, t()), 10).unref();
          else send(client, t());
        } else maybeDone();
        return;
      }
      idle.push(client);
      pump();
      maybeDone();
    };

    const pump = (): void => {
      while (idle.length > 0 && queueHead < queue.length) {
        const intended = queue[queueHead++]!;
        send(idle.pop()!, intended);
      }
      if (queueHead > 4096 && queueHead * 2 > queue.length) {
        queue.splice(0, queueHead);
        queueHead = 0;
      }
    };

    const onDue = (due: number): void => {
      if (finished) return;
      const now = t();
      const upTo = Math.min(due, totalScheduled);
      for (; nextIndex < upTo; nextIndex++) {
        const intended = nextIndex * intervalNs;
        if (intended >= warmupNs) {
          counts.scheduled += 1;
          recordMicros(scheduleLag, (now - intended) / 1000);
        }
        queue.push(intended);
      }
      pump();
      if (nextIndex >= totalScheduled) void ticker?.stop();
    };

    const maybeDone = (): void => {
      if (finished) return;
      const allDue = open ? nextIndex >= totalScheduled : t() >= endNs;
      if (allDue && inflight === 0 && queueHead >= queue.length) finish();
    };

    const onWindowStart = (): void => {
      windowCpu = process.cpuUsage();
      loopDelay.enable();
    };
    const onWindowEnd = (): void => {
      if (windowEnded) return;
      windowEnded = true;
      if (windowCpu !== undefined) {
        const used = process.cpuUsage(windowCpu);
        cpuPercent = ((used.user + used.system) / 1e6 / o.durationS) * 100;
      }
      loopDelay.disable();
    };

    const finish = (drainExpired = false): void => {
      if (finished) return;
      finished = true;
      clearInterval(progressTimer);
      clearTimeout(windowStartTimer);
      clearTimeout(windowEndTimer);
      clearTimeout(drainTimer);
      o.signal?.removeEventListener('abort', onAbort);
      void ticker?.stop();
      onWindowEnd();
      if (drainExpired) {
        // Still queued or in flight when the drain deadline passed: they never got an answer
        // within the timeout, so they count as timeouts.
        counts.unsent = queue.slice(queueHead).filter((i) => i >= warmupNs).length;
        counts.timeouts += counts.unsent + inflight;
      }
      resolve({
        mode: open ? 'open-loop' : 'closed-loop',
        requestedRps: open ? (o.rate as number) : null,
        achievedRps: completedInWindow / o.durationS,
        measuredDurationS: o.durationS,
        requests: counts,
        errorKinds,
        bytesReceived,
        histograms: {
          latencyUs: encodeHistogram(latency),
          serviceLatencyUs: encodeHistogram(service),
          scheduleLagUs: encodeHistogram(scheduleLag),
        },
        generator: {
          cpuPercent,
          eventLoopDelayP99Us: loopDelay.count > 0 ? loopDelay.percentile(99) / 1000 : 0,
          eventLoopDelayMaxUs: loopDelay.count > 0 ? loopDelay.max / 1000 : 0,
        },
      });
    };

    const onAbort = (): void => {
      if (finished) return;
      finished = true;
      void ticker?.stop();
      clearInterval(progressTimer);
      clearTimeout(windowStartTimer);
      clearTimeout(windowEndTimer);
      clearTimeout(drainTimer);
      reject(new NetbenchError('NB_INTERRUPTED', 'load generation interrupted'));
    };
    o.signal?.addEventListener('abort', onAbort, { once: true });

    let lastProgressNs = 0;
    const progressTimer = setInterval(() => {
      const now = t();
      const seconds = (now - lastProgressNs) / 1e9;
      lastProgressNs = now;
      o.onProgress?.({
        elapsedS: now / 1e9,
        phase: now < warmupNs ? 'warmup' : now < endNs ? 'measure' : 'drain',
        rps: intervalCompleted / seconds,
        p99Us: intervalLatency.totalCount > 0 ? intervalLatency.getValueAtPercentile(99) : 0,
      });
      intervalCompleted = 0;
      intervalLatency = createHistogram();
    }, 1000);
    progressTimer.unref();

    // Start slightly in the future so the ticker thread is running before tick 0 is due.
    start = nowNs() + 30_000_000n;
    const windowStartTimer = setTimeout(onWindowStart, 30 + warmupNs / 1e6);
    const windowEndTimer = setTimeout(onWindowEnd, 30 + endNs / 1e6);
    const drainTimer = setTimeout(() => finish(true), 30 + (endNs + timeoutNs) / 1e6 + 100);
    if (open) {
      ticker = startTicker({
        startNs: start,
        intervalNs,
        spinNs: Math.min(200_000, intervalNs / 4),
        minPeriodNs: 100_000,
        onDue,
      });
    } else {
      setTimeout(() => {
        for (const c of idle.splice(0)) send(c, t());
      }, 30);
    }
  });
}
