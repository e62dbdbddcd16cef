/**
 * The request engine shared by every request/response workload (HTTP/1.1, HTTP/2, TCP CRR):
 * one thread's share of a load schedule, driven over a set of slots (a slot carries one
 * outstanding request: a keep-alive connection, an HTTP/2 stream, a connect-per-request loop).
 *
 * Open loop: request i is due at start + phase + i·interval whatever happened to earlier
 * requests; a due request takes the next idle slot or waits in a queue for one. Latency is
 * recorded from the intended send time (corrected for coordinated omission) and from the actual
 * send (service time), plus the engine's own schedule lag, in HDR histograms. Closed loop
 * (`rate: max`): every slot sends its next request as soon as the previous one ends.
 *
 * The engine knows nothing of protocols; transports (../http, ../tcp) build the slots.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { NetbenchError } from '../../core/errors.js';
import type { Nanoseconds, Seconds } from '../../core/units.js';
import {
  createHistogram,
  encodeHistogram,
  recordMicros,
  type Histogram,
} from '../../stats/histogram.js';
import { startTicker, type Ticker } from './schedule-ticker.js';

/**
 * monitorEventLoopDelay records the whole interval between its timer callbacks, so an idle loop
 * reads as the resolution itself (measured: p50 10.14 ms at resolution 10). The delay is what
 * exceeds the resolution.
 */
const loopDelayResolutionMs = 10;

function loopDelayUs(h: { count: number }, recordedNs: number): number {
  if (h.count === 0) return 0;
  return Math.max(0, recordedNs / 1000 - loopDelayResolutionMs * 1000);
}

export type SlotOutcome =
  { ok: true; bytes: number } | { ok: false; kind: string; timeout: boolean; bytes?: number };

/** One request channel: `send` starts a request and calls `done` exactly once when it ends. */
export interface EngineSlot {
  send(done: (outcome: SlotOutcome) => void): void;
}

export interface LoadProgress {
  elapsedS: Seconds;
  phase: 'warmup' | 'measure' | 'drain';
  /** Responses in the last interval, per second. */
  rps: number;
  /** p99 latency (from intended send) of the last interval. */
  p99Us: number;
}

export type WindowPhase = 'start' | 'end';

export interface EngineOptions {
  slots: readonly EngineSlot[];
  /** Requests per second of the whole generator (all threads), or `max` for closed loop. */
  rate: number | 'max';
  warmupS: Seconds;
  durationS: Seconds;
  timeoutS: Seconds;
  /** process.hrtime.bigint() of the schedule's tick 0. @default now + 30 ms */
  startNs?: bigint;
  /**
   * This engine's share of one schedule split over worker threads: it sends requests
   * index, index + of, index + 2·of, … of the generator's schedule. @default { index: 0, of: 1 }
   */
  share?: { index: number; of: number };
  onProgress?: (progress: LoadProgress) => void;
  onWindow?: (phase: WindowPhase) => void;
  signal?: AbortSignal;
}

export interface EngineResult {
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
    threads: number;
    /** Busiest engine thread's event-loop utilisation over the window (0..1). */
    eventLoopUtilization: number;
  };
}

const nowNs = (): bigint => process.hrtime.bigint();

/** Milliseconds from now until hrtime `atNs` (never negative). */
export function msUntil(atNs: bigint): number {
  return Math.max(0, Number(atNs - nowNs()) / 1e6);
}

export function runEngine(o: EngineOptions): Promise<EngineResult> {
  const open = o.rate !== 'max';
  const share = o.share ?? { index: 0, of: 1 };
  // Spacing of this engine's requests, and where its first one sits in the shared schedule.
  const intervalNs: Nanoseconds = open ? (1e9 / (o.rate as number)) * share.of : 0;
  const phaseNs: Nanoseconds = open ? (1e9 / (o.rate as number)) * share.index : 0;
  const warmupNs = o.warmupS * 1e9;
  const endNs = warmupNs + o.durationS * 1e9;
  const timeoutNs = o.timeoutS * 1e9;
  const totalScheduled = open ? Math.max(0, Math.ceil((endNs - phaseNs) / intervalNs)) : 0;

  const latency = createHistogram();
  const service = createHistogram();
  const scheduleLag = createHistogram();
  let intervalLatency: Histogram = createHistogram();
  const loopDelay = monitorEventLoopDelay({ resolution: loopDelayResolutionMs });

  const start = o.startNs ?? nowNs() + 30_000_000n;
  const t = (): number => Number(nowNs() - start);
  const idle: EngineSlot[] = [...o.slots];
  // Queue of intended send times (ns since start) waiting for an idle slot.
  const queue: number[] = [];
  let queueHead = 0;
  let nextIndex = 0;
  let inflight = 0;
  let finished = false;
  let windowCpu: NodeJS.CpuUsage | undefined;
  let windowElu: ReturnType<typeof performance.eventLoopUtilization> | undefined;
  let windowEnded = false;
  let cpuPercent = 0;
  let elu = 0;
  const counts = { scheduled: 0, sent: 0, completed: 0, errors: 0, timeouts: 0, unsent: 0 };
  const errorKinds: Record<string, number> = {};
  let completedInWindow = 0;
  let intervalCompleted = 0;
  let bytesReceived = 0;
  let ticker: Ticker | undefined;

  return new Promise<EngineResult>((resolve, reject) => {
    const fail = (kind: string, measured: boolean, isTimeout: boolean): void => {
      if (!measured) return;
      if (isTimeout) counts.timeouts += 1;
      else {
        counts.errors += 1;
        errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
      }
    };

    const send = (slot: EngineSlot, intendedNs: number): void => {
      const sentNs = t();
      const measured = intendedNs >= warmupNs && intendedNs < endNs;
      if (measured) counts.sent += 1;
      inflight += 1;
      slot.send((outcome) => {
        const doneNs = t();
        inflight -= 1;
        bytesReceived += outcome.bytes ?? 0;
        if (outcome.ok) {
          if (doneNs >= warmupNs && doneNs < endNs) completedInWindow += 1;
          intervalCompleted += 1;
          const us = (doneNs - intendedNs) / 1000;
          recordMicros(intervalLatency, us);
          if (measured) {
            counts.completed += 1;
            recordMicros(latency, us);
            recordMicros(service, (doneNs - sentNs) / 1000);
          }
        } else fail(outcome.kind, measured, outcome.timeout);
        release(slot, !outcome.ok);
      });
    };

    const release = (slot: EngineSlot, afterError: boolean): void => {
      if (finished) return;
      if (!open) {
        // Closed loop: the slot goes straight on, unless the window is over.
        if (t() < endNs) {
          if (afterError) setTimeout(() => !finished && send(slot, t()), 10).unref();
          else send(slot, t());
        } else maybeDone();
        return;
      }
      idle.push(slot);
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
        const intended = phaseNs + nextIndex * intervalNs;
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
      windowElu = performance.eventLoopUtilization();
      loopDelay.enable();
      o.onWindow?.('start');
    };
    const onWindowEnd = (): void => {
      if (windowEnded) return;
      windowEnded = true;
      if (windowCpu !== undefined) {
        const used = process.cpuUsage(windowCpu);
        cpuPercent = ((used.user + used.system) / 1e6 / o.durationS) * 100;
      }
      if (windowElu !== undefined) {
        elu = performance.eventLoopUtilization(windowElu).utilization;
      }
      loopDelay.disable();
      o.onWindow?.('end');
    };

    const stopTimers = (): void => {
      clearInterval(progressTimer);
      clearTimeout(windowStartTimer);
      clearTimeout(windowEndTimer);
      clearTimeout(drainTimer);
      o.signal?.removeEventListener('abort', onAbort);
      void ticker?.stop();
    };

    const finish = (drainExpired = false): void => {
      if (finished) return;
      finished = true;
      stopTimers();
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
          eventLoopDelayP99Us: loopDelayUs(
            loopDelay,
            loopDelay.count > 0 ? loopDelay.percentile(99) : 0,
          ),
          eventLoopDelayMaxUs: loopDelayUs(loopDelay, loopDelay.max),
          threads: 1,
          eventLoopUtilization: elu,
        },
      });
    };

    const onAbort = (): void => {
      if (finished) return;
      finished = true;
      stopTimers();
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

    const startInMs = msUntil(start);
    const windowStartTimer = setTimeout(onWindowStart, startInMs + warmupNs / 1e6);
    const windowEndTimer = setTimeout(onWindowEnd, startInMs + endNs / 1e6);
    const drainTimer = setTimeout(() => finish(true), startInMs + (endNs + timeoutNs) / 1e6 + 100);
    if (open) {
      if (totalScheduled === 0) {
        setTimeout(maybeDone, startInMs + endNs / 1e6).unref();
        return;
      }
      ticker = startTicker({
        startNs: start + BigInt(Math.round(phaseNs)),
        intervalNs,
        spinNs: Math.min(200_000, intervalNs / 4),
        minPeriodNs: 100_000,
        onDue,
      });
    } else {
      setTimeout(() => {
        for (const s of idle.splice(0)) send(s, t());
      }, startInMs);
    }
  });
}
