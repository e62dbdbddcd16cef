/**
 * tcp-stream and udp-stream: iperf3 (Debian) driven and parsed by netbench. The server runs in
 * the `server` pod (`iperf3 -s -1`), the client in the `client` pod with `-J`; the scenario's
 * warm-up becomes iperf3's omitted seconds (`-O`), so TCP slow start is not measured.
 *
 * UDP is always paced (`-b`), never unlimited, with 4 MiB socket buffers on both ends (`-w`):
 * with default buffers, UDP "loss" here was the receiver's socket overflowing, not the path.
 * Both are still told apart: the server pod's RcvbufErrors (/proc/net/snmp, read at the start
 * and end of the window) are recorded beside iperf3's loss, and the loss they do not explain
 * is reported as datapath loss.
 */
import { NetbenchError } from '../../core/errors.js';
import type { Seconds } from '../../core/units.js';
import { parseNetSnmp, snmpDelta } from '../../core/proc.js';
import type { Environment } from '../../platform/platform.js';
import type { PinningRecord } from '../../results/schema.js';
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
import { parseIperf3Json, type Iperf3Summary } from './iperf3-json.js';

export const iperf3Port = 5201;
/** Socket buffers of UDP runs, both ends (iperf3 -w); capped by net.core.rmem_max/wmem_max. */
export const udpSocketBufferBytes = 4 * 1024 * 1024;
/**
 * What the UDP capacity probe offers: more than any lab path carries, so what arrives is the
 * most this sender, path and receiver move. Only the probe does this; trials are always paced.
 */
const udpProbeOfferedBps = 100e9;
/** A paced run that sends less than this share of its target was limited by the sender. */
const minSentShareOfTarget = 0.9;

type Snmp = Record<string, Record<string, number>>;

interface Iperf3Run {
  protocol: 'tcp' | 'udp';
  streams: number;
  omitS: number;
  durationS: number;
  /** Total over streams; null = unpaced (TCP only). */
  targetBps: number | null;
  onWindow?: (phase: WindowPhase) => void;
}

interface Iperf3Outcome {
  summary: Iperf3Summary;
  pinning: PinningRecord | undefined;
  /** Counters at the window's start and end: server pod (receiver) and client pod (sender). */
  snmp?: { server: [Snmp, Snmp]; client: [Snmp, Snmp] };
}

/** iperf3 takes whole seconds for -t and -O. */
export function iperf3Seconds(
  warmupS: Seconds,
  durationS: Seconds,
): { omitS: number; durationS: number } {
  return { omitS: Math.ceil(warmupS), durationS: Math.max(1, Math.round(durationS)) };
}

/** The iperf3 client's arguments for `run` (without the program name). */
export function iperf3ClientArgs(serverIp: string, run: Iperf3Run): string[] {
  const args = ['-c', serverIp, '-p', String(iperf3Port), '-J'];
  args.push('-t', String(run.durationS), '-O', String(run.omitS));
  if (run.streams > 1) args.push('-P', String(run.streams));
  if (run.protocol === 'udp') args.push('-u', '-w', String(udpSocketBufferBytes));
  // iperf3 paces each stream separately.
  if (run.targetBps !== null)
    args.push('-b', String(Math.max(1, Math.round(run.targetBps / run.streams))));
  return args;
}

async function readSnmp(env: Environment, pod: string): Promise<Snmp> {
  const out = await env.exec(
    pod,
    { kind: 'program', argv: ['cat', '/proc/net/snmp'] },
    { timeoutMs: 5000 },
  );
  return parseNetSnmp(out.stdout);
}

async function runIperf3(ctx: ProbeContext, run: Iperf3Run): Promise<Iperf3Outcome> {
  const { environment: env, dimensions: d } = ctx;
  const pinning = pinningCpus(d.pinning);
  const withSignal = ctx.signal === undefined ? {} : { signal: ctx.signal };
  const server = await env.start(
    'server',
    pinned(
      { kind: 'program', argv: ['iperf3', '-s', '-1', '-p', String(iperf3Port)] },
      pinning,
      'server',
    ),
    withSignal,
  );
  // Nobody reads the server's report; drain it so a full pipe never blocks the server.
  server.stdout.resume();
  server.stderr.resume();
  const serverDone = server.exited;
  let window: WindowTimers | undefined;
  try {
    await waitForListener(env, 'server', iperf3Port, 'the iperf3 server in pod "server"', {
      exited: serverDone,
      ...withSignal,
    });
    const argv = ['iperf3', ...iperf3ClientArgs(env.podAddress('server'), run)];
    const wantSnmp = run.protocol === 'udp';
    let before: Promise<[Snmp, Snmp]> | undefined;
    const client = env.exec('client', pinned({ kind: 'program', argv }, pinning, 'client'), {
      timeoutMs: (run.omitS + run.durationS + 30) * 1000,
      allowFailure: true,
      ...withSignal,
    });
    // iperf3 connects within milliseconds, then omits `omitS` seconds: the window follows, and
    // closes a moment before iperf3 ends, so the last reading still sees both processes.
    const connectMs = 50;
    window = startWindowTimers(
      run.onWindow,
      run.omitS * 1000 + connectMs,
      (run.omitS + run.durationS) * 1000 - endMarginMs(run.durationS),
      () => {
        if (wantSnmp) before = Promise.all([readSnmp(env, 'server'), readSnmp(env, 'client')]);
      },
    );
    const out = await client;
    window.finish();
    const summary = parseIperf3Json(out.stdout);
    if (!wantSnmp) return { summary, pinning };
    if (before === undefined) {
      throw new NetbenchError(
        'NB_WORKLOAD_FAILED',
        'iperf3 ended before its measured window started',
        {
          hint: 'run the same iperf3 command by hand in the lab to see why it stopped early',
        },
      );
    }
    const [serverBefore, clientBefore] = await before;
    const [serverAfter, clientAfter] = await Promise.all([
      readSnmp(env, 'server'),
      readSnmp(env, 'client'),
    ]);
    return {
      summary,
      pinning,
      snmp: { server: [serverBefore, serverAfter], client: [clientBefore, clientAfter] },
    };
  } catch (error) {
    if (ctx.signal?.aborted === true) {
      throw new NetbenchError('NB_INTERRUPTED', `interrupted during the ${d.workload} workload`);
    }
    throw error;
  } finally {
    window?.finish();
    await stopAgent(server, serverDone);
  }
}

/** The repetition record of one iperf3 run (pure). */
export function iperf3Measurement(
  outcome: Iperf3Outcome,
  targetBps: number | null,
  ctx: Pick<WorkloadContext, 'load'>,
): RepetitionMeasurement {
  const s = outcome.summary;
  const invalidReasons: string[] = [];
  if (targetBps !== null && s.sentBitsPerSecond < targetBps * minSentShareOfTarget) {
    invalidReasons.push(
      `iperf3 sent ${formatBps(s.sentBitsPerSecond)} of the ${formatBps(targetBps)} asked for: the sender could not keep the rate, so the figures describe the sender, not the path`,
    );
  }
  if (s.receivedBitsPerSecond === 0)
    invalidReasons.push('nothing was received in the measured window');
  const m: RepetitionMeasurement = {
    mode: targetBps === null ? 'closed-loop' : 'open-loop',
    requestedRps: null,
    durationS: s.durationS,
    engine: 'iperf3',
    engineReport: {
      ...(s.hostCpuPercent === undefined ? {} : { senderHostCpuPercent: s.hostCpuPercent }),
      ...(s.remoteCpuPercent === undefined ? {} : { receiverHostCpuPercent: s.remoteCpuPercent }),
    },
    throughput: {
      protocol: s.protocol,
      streams: s.streams,
      bitsPerSecond: s.receivedBitsPerSecond,
      ...(s.retransmits === undefined ? {} : { retransmits: s.retransmits }),
      sentBitsPerSecond: s.sentBitsPerSecond,
      targetBitsPerSecond: targetBps,
      ...(s.socketBufferBytes > 0 ? { socketBufferBytes: s.socketBufferBytes } : {}),
    },
    load: ctx.load,
    ...(outcome.pinning === undefined ? {} : { pinning: outcome.pinning }),
    invalidReasons,
  };
  if (s.udp !== undefined && outcome.snmp !== undefined) {
    const [rb, ra] = outcome.snmp.server;
    const [cb, ca] = outcome.snmp.client;
    const rcvbufErrors = snmpDelta(rb, ra, 'Udp', 'RcvbufErrors');
    const datapathLost = Math.max(0, s.udp.lostPackets - rcvbufErrors);
    m.udp = {
      targetBitsPerSecond: targetBps ?? 0,
      sentPackets: s.udp.sentPackets,
      lostPackets: s.udp.lostPackets,
      lossPercent: s.udp.lossPercent,
      jitterUs: s.udp.jitterMs * 1000,
      rcvbufErrors,
      inErrors: snmpDelta(rb, ra, 'Udp', 'InErrors'),
      sndbufErrors: snmpDelta(cb, ca, 'Udp', 'SndbufErrors'),
      datapathLostPackets: datapathLost,
      datapathLossPercent: s.udp.packets > 0 ? (datapathLost / s.udp.packets) * 100 : 0,
      datagramBytes: s.blockBytes,
      socketBufferBytes: s.socketBufferBytes,
    };
  }
  return m;
}

function formatBps(bps: number): string {
  return bps >= 1e9 ? `${(bps / 1e9).toFixed(2)} Gbit/s` : `${(bps / 1e6).toFixed(1)} Mbit/s`;
}

function streamWorkload(protocol: 'tcp' | 'udp'): Workload {
  return {
    serverPort: iperf3Port,
    serviceExposure: {
      unsupported:
        "iperf3's control and data connections must reach the same server replica, which needs Service session affinity (not modelled)",
    },
    async run(ctx) {
      const targetBps = ctx.load.offered;
      if (protocol === 'udp' && targetBps === null) {
        // resolveLoad turns UDP `max` into 100% of capacity; reaching here is a bug.
        throw new Error('udp-stream needs a paced rate');
      }
      const seconds = iperf3Seconds(ctx.warmupS, ctx.durationS);
      const outcome = await runIperf3(ctx, {
        protocol,
        streams: ctx.dimensions.streams,
        ...seconds,
        targetBps,
        ...(ctx.onWindow === undefined ? {} : { onWindow: ctx.onWindow }),
      });
      return iperf3Measurement(outcome, targetBps, ctx);
    },
    async probeCapacity(ctx): Promise<Capacity> {
      const durationS = Math.round(probeDurationS(ctx.durationS));
      const { summary } = await runIperf3(ctx, {
        protocol,
        streams: ctx.dimensions.streams,
        omitS: 1,
        durationS,
        targetBps: protocol === 'udp' ? udpProbeOfferedBps : null,
      });
      const streams = `${ctx.dimensions.streams} stream${ctx.dimensions.streams === 1 ? '' : 's'}`;
      return {
        value: summary.receivedBitsPerSecond,
        unit: 'bps',
        method:
          protocol === 'udp'
            ? `iperf3 UDP offered ${udpProbeOfferedBps / 1e9} Gbit/s (more than the path carries), ${streams}, received rate over ${durationS}s`
            : `iperf3 TCP unpaced, ${streams}, ${durationS}s`,
        durationS,
      };
    },
  };
}

export const tcpStreamWorkload = streamWorkload('tcp');
export const udpStreamWorkload = streamWorkload('udp');
