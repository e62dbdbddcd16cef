/**
 * `iperf3 -J` output → the figures netbench records (pure). Checked against real output of
 * iperf3 3.12 kept in test/fixtures/iperf3. iperf3 exits 0 even when it fails and puts the reason
 * in an `error` field, so that field is checked first.
 *
 * For UDP the receiver's view (loss, jitter) is `end.sum_received`, which the client fetches from
 * the server at the end of the test; iperf3 before 3.8 had only `end.sum`, used as a fallback.
 */
import { z } from 'zod';
import { NetbenchError } from '../../core/errors.js';

const sumSchema = z.looseObject({
  seconds: z.number(),
  bytes: z.number(),
  bits_per_second: z.number(),
  retransmits: z.number().optional(),
  jitter_ms: z.number().optional(),
  lost_packets: z.number().optional(),
  packets: z.number().optional(),
  lost_percent: z.number().optional(),
});

const iperf3Schema = z.looseObject({
  start: z.looseObject({
    version: z.string().optional(),
    sock_bufsize: z.number().optional(),
    rcvbuf_actual: z.number().optional(),
    sndbuf_actual: z.number().optional(),
    target_bitrate: z.number().optional(),
    test_start: z
      .looseObject({
        protocol: z.string(),
        num_streams: z.number(),
        blksize: z.number(),
        omit: z.number(),
        duration: z.number(),
      })
      .optional(),
  }),
  end: z.looseObject({
    sum: sumSchema.optional(),
    sum_sent: sumSchema.optional(),
    sum_received: sumSchema.optional(),
    cpu_utilization_percent: z
      .looseObject({ host_total: z.number(), remote_total: z.number() })
      .optional(),
  }),
  error: z.string().optional(),
});

export interface Iperf3Udp {
  sentPackets: number;
  /** Datagrams the receiver expected (from sequence numbers). */
  packets: number;
  lostPackets: number;
  lossPercent: number;
  jitterMs: number;
}

export interface Iperf3Summary {
  version: string;
  protocol: 'tcp' | 'udp';
  streams: number;
  /** Length of the measured interval (omitted seconds excluded). */
  durationS: number;
  omitS: number;
  /** Bytes per write (TCP) or UDP payload per datagram. */
  blockBytes: number;
  /** Pacing target per stream (0 = unpaced). */
  targetBitsPerSecondPerStream: number;
  /** Socket buffer asked for with -w (0 = the kernel's default). */
  socketBufferBytes: number;
  sentBitsPerSecond: number;
  receivedBitsPerSecond: number;
  retransmits: number | undefined;
  udp: Iperf3Udp | undefined;
  hostCpuPercent: number | undefined;
  remoteCpuPercent: number | undefined;
}

export function parseIperf3Json(text: string): Iperf3Summary {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new NetbenchError(
      'NB_TOOL_FAILED',
      `iperf3 printed no JSON: ${text.trim().slice(0, 200) || '(no output)'}`,
      { hint: 'run the same iperf3 command by hand to see what it says' },
    );
  }
  const parsed = iperf3Schema.safeParse(raw);
  if (!parsed.success) {
    throw new NetbenchError(
      'NB_TOOL_FAILED',
      `iperf3 JSON has an unexpected shape: ${parsed.error.issues[0]?.message ?? ''} at ${parsed.error.issues[0]?.path.join('.') ?? ''}`,
      { hint: 'netbench reads iperf3 3.x JSON; check `iperf3 --version`' },
    );
  }
  const j = parsed.data;
  if (j.error !== undefined) {
    throw new NetbenchError('NB_TOOL_FAILED', `iperf3 failed: ${j.error}`, {
      hint: /connect/.test(j.error)
        ? 'the iperf3 server in pod "server" is not reachable over this path'
        : 'run the same iperf3 command by hand to see why',
    });
  }
  const test = j.start.test_start;
  const sent = j.end.sum_sent ?? j.end.sum;
  const received = j.end.sum_received ?? j.end.sum;
  if (test === undefined || sent === undefined || received === undefined) {
    throw new NetbenchError('NB_TOOL_FAILED', 'iperf3 JSON has no end-of-test summary', {
      hint: 'the test was cut short; run the same iperf3 command by hand to see why',
    });
  }
  const protocol = test.protocol.toLowerCase() === 'udp' ? 'udp' : 'tcp';
  const udpSource = j.end.sum_received ?? j.end.sum;
  return {
    version: j.start.version ?? 'iperf3',
    protocol,
    streams: test.num_streams,
    durationS: received.seconds,
    omitS: test.omit,
    blockBytes: test.blksize,
    targetBitsPerSecondPerStream: j.start.target_bitrate ?? 0,
    socketBufferBytes: j.start.sock_bufsize ?? 0,
    sentBitsPerSecond: sent.bits_per_second,
    receivedBitsPerSecond: received.bits_per_second,
    retransmits: sent.retransmits,
    udp:
      protocol === 'udp' && udpSource !== undefined
        ? {
            sentPackets: sent.packets ?? 0,
            packets: udpSource.packets ?? 0,
            lostPackets: udpSource.lost_packets ?? 0,
            lossPercent: udpSource.lost_percent ?? 0,
            jitterMs: udpSource.jitter_ms ?? 0,
          }
        : undefined,
    hostCpuPercent: j.end.cpu_utilization_percent?.host_total,
    remoteCpuPercent: j.end.cpu_utilization_percent?.remote_total,
  };
}
