/**
 * tcp-rr (netperf's TCP_RR): one TCP connection, `payload`-byte ping-pong, measured with
 * sockperf (Debian), the proven C tool for it: `sockperf server` in the `server` pod,
 * `sockperf ping-pong --tcp --full-rtt` in the `client` pod, paced with `--mps` (or `max`).
 * Every round trip of the measured window goes into an HDR histogram from sockperf's full log,
 * so repetitions merge like every other latency in netbench.
 *
 * Why sockperf and not netbench's Node engine: a ping-pong of 64 bytes takes 10-25 µs here, and
 * a JavaScript event loop adds several µs per message on each end; sockperf is the reference
 * the issue asks to agree with. (`npm run bench` prints both.)
 */
import { NetbenchError } from '../../core/errors.js';
import type { Seconds } from '../../core/units.js';
import {
  createHistogram,
  encodeHistogram,
  recordMicros,
  summarize,
} from '../../stats/histogram.js';
import type { WindowPhase } from '../engine/open-loop.js';
import { waitForListener } from '../listener.js';
import { endMarginMs, startWindowTimers, type WindowTimers } from '../window-timers.js';
import type { Capacity } from '../offered-load.js';
import { pinned, pinningCpus } from '../pinning.js';
import { probeDurationS, stopAgent } from '../request-workload.js';
import type {
  ProbeContext,
  RepetitionMeasurement,
  Workload,
  WorkloadContext,
} from '../workload.js';
import { lastWindow, parseSockperfOutput, type SockperfReport } from './sockperf-output.js';

export const sockperfPort = 11111;
/** sockperf's message header is 14 bytes: smaller messages are refused. */
export const minSockperfMessageBytes = 14;
/** A paced run that completes less than this share of its rate was limited by the round trip. */
const minAchievedShare = 0.9;

interface SockperfRun {
  mps: number | 'max';
  /** Whole seconds (sockperf's -t). */
  seconds: number;
  fullLog: boolean;
  /** Seconds at the end of the run that form the measured window. */
  windowS: Seconds;
  onWindow?: (phase: WindowPhase) => void;
}

/** sockperf runs warm-up + duration plus its own 400 ms warm-up and tail, in whole seconds. */
export function sockperfSeconds(warmupS: Seconds, durationS: Seconds): number {
  return Math.ceil(warmupS + durationS + 0.6);
}

export function sockperfClientArgs(
  serverIp: string,
  messageBytes: number,
  run: SockperfRun,
): string[] {
  return [
    'ping-pong',
    '--tcp',
    '-i',
    serverIp,
    '-p',
    String(sockperfPort),
    '-t',
    String(run.seconds),
    '-m',
    String(messageBytes),
    `--mps=${run.mps === 'max' ? 'max' : Math.max(1, Math.round(run.mps))}`,
    '--full-rtt',
    ...(run.fullLog ? ['--full-log', '/dev/stdout'] : []),
  ];
}

async function runSockperf(
  ctx: ProbeContext,
  run: SockperfRun,
): Promise<{ report: SockperfReport; pinning: ReturnType<typeof pinningCpus> }> {
  const { environment: env, dimensions: d } = ctx;
  if (d.payload < minSockperfMessageBytes) {
    throw new NetbenchError(
      'NB_PLAN_IMPOSSIBLE',
      `tcp-rr sends payload ${d.payload} B, but sockperf's messages are at least ${minSockperfMessageBytes} B (its header)`,
      { hint: `use payload: ${minSockperfMessageBytes} or more for tcp-rr` },
    );
  }
  const pinning = pinningCpus(d.pinning);
  const withSignal = ctx.signal === undefined ? {} : { signal: ctx.signal };
  const serverIp = env.podAddress('server');
  const server = await env.start(
    'server',
    pinned(
      {
        kind: 'program',
        argv: ['sockperf', 'server', '--tcp', '-i', serverIp, '-p', String(sockperfPort)],
      },
      pinning,
      'server',
    ),
    withSignal,
  );
  server.stdout.resume();
  server.stderr.resume();
  let window: WindowTimers | undefined;
  try {
    await waitForListener(env, 'server', sockperfPort, 'the sockperf server in pod "server"', {
      exited: server.exited,
      ...withSignal,
    });
    // sockperf fopen()s its full-log path; a Node child's stdout is a socket, which cannot be
    // opened by path (ENXIO), so the log goes through a real pipe to cat.
    const argv = [
      'sh',
      '-c',
      'sockperf "$@" | cat',
      'sockperf',
      ...sockperfClientArgs(serverIp, d.payload, run),
    ];
    const client = env.exec('client', pinned({ kind: 'program', argv }, pinning, 'client'), {
      timeoutMs: (run.seconds + 30) * 1000,
      allowFailure: true,
      ...withSignal,
    });
    // sockperf's valid duration ends a few tens of milliseconds before the run does; the window
    // closes a moment earlier still, so the last reading finds both processes.
    window = startWindowTimers(
      run.onWindow,
      (run.seconds - run.windowS) * 1000,
      run.seconds * 1000 - Math.max(50, endMarginMs(run.windowS)),
    );
    const out = await client;
    window.finish();
    return { report: parseSockperfOutput(`${out.stdout}\n${out.stderr}`), pinning };
  } catch (error) {
    if (ctx.signal?.aborted === true) {
      throw new NetbenchError('NB_INTERRUPTED', 'interrupted during the tcp-rr workload');
    }
    throw error;
  } finally {
    window?.finish();
    await stopAgent(server, server.exited);
  }
}

/** The repetition record of one sockperf run (pure). */
export function sockperfMeasurement(
  report: SockperfReport,
  durationS: Seconds,
  ctx: Pick<WorkloadContext, 'load'>,
  pinning: ReturnType<typeof pinningCpus>,
): RepetitionMeasurement {
  const window = lastWindow(report.samples, durationS);
  if (window.length === 0) {
    throw new NetbenchError(
      'NB_TOOL_FAILED',
      'sockperf logged no round trip in the measured window',
      {
        hint: 'run the same sockperf ping-pong by hand in the lab to see why',
      },
    );
  }
  const h = createHistogram();
  for (const s of window) recordMicros(h, s.rttUs);
  const latency = summarize(h);
  const achievedRps = window.length / durationS;
  const offered = ctx.load.offered;
  const invalidReasons: string[] = [];
  if (offered !== null && achievedRps < offered * minAchievedShare) {
    invalidReasons.push(
      `sockperf completed ${Math.round(achievedRps)} round trips/s of the ${Math.round(offered)}/s asked for: one connection with round trips of ${Math.round(latency.p50)} µs cannot carry that rate`,
    );
  }
  const engineReport: Record<string, number> = {
    validRunTimeS: report.validRunTimeS,
    observations: report.observations,
    droppedMessages: report.droppedMessages,
  };
  for (const [p, us] of Object.entries(report.percentilesUs)) engineReport[`p${p}Us`] = us;
  return {
    mode: 'closed-loop',
    requestedRps: offered,
    achievedRps,
    durationS,
    latencyUs: latency,
    requests: {
      scheduled: offered === null ? window.length : Math.round(offered * durationS),
      sent: window.length,
      completed: window.length,
      errors: 0,
      timeouts: 0,
      unsent: 0,
    },
    errors: 0,
    timeouts: 0,
    engine: 'sockperf',
    engineReport,
    histograms: { latencyUs: encodeHistogram(h) },
    load: ctx.load,
    ...(pinning === undefined ? {} : { pinning }),
    invalidReasons,
  };
}

export const tcpRrWorkload: Workload = {
  serverPort: sockperfPort,
  serviceExposure: {
    unsupported:
      "sockperf's server binds the server pod's own address, which a second replica behind the Service does not have",
  },
  async run(ctx) {
    const seconds = sockperfSeconds(ctx.warmupS, ctx.durationS);
    const { report, pinning } = await runSockperf(ctx, {
      mps: ctx.load.offered ?? 'max',
      seconds,
      fullLog: true,
      windowS: ctx.durationS,
      ...(ctx.onWindow === undefined ? {} : { onWindow: ctx.onWindow }),
    });
    return sockperfMeasurement(report, ctx.durationS, ctx, pinning);
  },
  async probeCapacity(ctx): Promise<Capacity> {
    const durationS = probeDurationS(ctx.durationS);
    const seconds = sockperfSeconds(0, durationS);
    const { report } = await runSockperf(ctx, {
      mps: 'max',
      seconds,
      fullLog: false,
      windowS: durationS,
    });
    if (report.validRunTimeS <= 0 || report.receivedMessages === 0) {
      throw new NetbenchError(
        'NB_WORKLOAD_FAILED',
        'the tcp-rr capacity probe completed no round trip',
        {
          hint: 'the sockperf server is not answering over this path',
        },
      );
    }
    return {
      value: report.receivedMessages / report.validRunTimeS,
      unit: 'rps',
      method: `sockperf ping-pong --mps=max, 1 connection, ${report.validRunTimeS.toFixed(2)}s valid`,
      durationS: report.validRunTimeS,
    };
  },
};
