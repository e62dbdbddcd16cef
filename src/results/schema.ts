/**
 * results.json, the contract. Everything netbench reports (tables, CSV, HTML, compare, advice) is
 * rendered from this document alone, so it holds the resolved scenario, the environment, what
 * was requested next to what happened, and the raw histograms. `schemaVersion` changes when a
 * field changes meaning or disappears; new optional fields do not change it.
 */
import { z } from 'zod';
import { defaultDimensions } from '../spec/dimensions.js';
import type { Scenario } from '../spec/scenario-schema.js';
import { datapathFactsSchema } from './facts.js';

export const resultsSchemaVersion = 1;

/** Latency distribution summary, microseconds. */
export const latencySummarySchema = z.object({
  count: z.number(),
  min: z.number(),
  mean: z.number(),
  stdev: z.number(),
  p50: z.number(),
  p90: z.number(),
  p99: z.number(),
  p999: z.number(),
  max: z.number(),
});

/** CPU and memory of one pod or node-level daemon group over the measured window. */
export const resourceUsageSchema = z.object({
  scope: z.enum(['pod', 'node']),
  /** Pod name, or the node name for node-level daemons. */
  name: z.string(),
  node: z.string().optional(),
  /** What it does in the trial: client, server, proxy, daemon (bird, ztunnel-model, …). */
  role: z.string(),
  /** User+system CPU over the window, as % of one core. */
  cpuPercent: z.number(),
  cpuSeconds: z.number(),
  /** Resident memory at the end of the window, and the highest seen while sampling. */
  rssBytes: z.number(),
  peakRssBytes: z.number(),
  processes: z
    .array(
      z.object({
        pid: z.number().int(),
        command: z.string(),
        cpuPercent: z.number(),
        rssBytes: z.number(),
      }),
    )
    .optional(),
  /** Readings taken during the window (start, periodic, end). */
  samples: z.number().int().optional(),
  /** CPU seconds spent per 1000 completed requests (request workloads). */
  cpuSecondsPer1kRequests: z.number().optional(),
  /** % of one core per Gbit/s of received throughput (stream workloads). */
  cpuPercentPerGbps: z.number().optional(),
});

/** The offered load as asked (a level, a share or an absolute value) and as resolved. */
export const loadRecordSchema = z.object({
  /** The `rate` or `bitrate` value of the trial: `moderate`, `60%`, 1000, `max`. */
  spec: z.union([z.string(), z.number()]),
  /** Share of the measured capacity offered; null for absolute values and `max`. */
  fraction: z.number().nullable(),
  /** Offered load after resolution, in `unit`; null for closed loop / unpaced. */
  offered: z.number().nullable(),
  unit: z.enum(['rps', 'bps']),
  /** The capacity the share was taken of (a short closed-loop probe on the same path). */
  capacity: z
    .object({
      value: z.number(),
      unit: z.enum(['rps', 'bps']),
      /** How it was measured, e.g. "http closed loop, 8 connections, 2s". */
      method: z.string(),
      durationS: z.number(),
    })
    .nullable(),
});

/** CPUs the client and server processes were pinned to (taskset); absent when unpinned. */
export const pinningRecordSchema = z.object({
  mode: z.string(),
  client: z.array(z.number().int()),
  server: z.array(z.number().int()),
});

export const repetitionSchema = z.object({
  /** 0-based repetition number within the trial. */
  index: z.number().int(),
  /** Position in the run's interleaved order (0-based). */
  order: z.number().int(),
  startedAt: z.string(),
  /** ok: measured and valid; invalid: measured but not trustworthy (see invalidReasons); failed: no measurement. */
  status: z.enum(['ok', 'invalid', 'failed']),
  invalidReasons: z.array(z.string()),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  /** Which deployment of the trial's topology served this repetition (1-based, per run). */
  environment: z.number().int().optional(),
  mode: z.enum(['open-loop', 'closed-loop']).optional(),
  /** Requested rate; null in closed loop. */
  requestedRps: z.number().nullable().optional(),
  achievedRps: z.number().optional(),
  durationS: z.number().optional(),
  /** Latency from the intended send time (coordinated-omission corrected). */
  latencyUs: latencySummarySchema.optional(),
  /** Latency from the actual send (service time). */
  serviceLatencyUs: latencySummarySchema.optional(),
  /** How late the generator's clock fired requests (its own lag, not the network's). */
  scheduleLagUs: latencySummarySchema.optional(),
  requests: z
    .object({
      scheduled: z.number(),
      sent: z.number(),
      completed: z.number(),
      errors: z.number(),
      timeouts: z.number(),
      unsent: z.number(),
    })
    .optional(),
  errors: z.number().optional(),
  timeouts: z.number().optional(),
  errorKinds: z.record(z.string(), z.number()).optional(),
  generator: z
    .object({
      cpuPercent: z.number(),
      eventLoopDelayP99Us: z.number(),
      eventLoopDelayMaxUs: z.number(),
      /** Worker threads that generated the load (histograms merged across them). */
      threads: z.number().int().optional(),
      /** Busiest worker's event-loop utilisation over the window (0..1; 1 = never idle). */
      eventLoopUtilization: z.number().optional(),
    })
    .optional(),
  /** What produced the figures: netbench-undici, netbench-http2, netbench-tcp, sockperf, iperf3. */
  engine: z.string().optional(),
  /** Figures as the engine itself printed them (sockperf's percentiles, iperf3's CPU), for cross-checks. */
  engineReport: z.record(z.string(), z.number()).optional(),
  load: loadRecordSchema.optional(),
  pinning: pinningRecordSchema.optional(),
  /** Encoded HDR histograms (compressed base64, microseconds). */
  histograms: z.record(z.string(), z.string()).optional(),
  /** Stream throughput (tcp-stream, udp-stream workloads). */
  throughput: z
    .object({
      protocol: z.enum(['tcp', 'udp']),
      streams: z.number().int(),
      /** Received payload bits per second, summed over streams. */
      bitsPerSecond: z.number(),
      /** TCP retransmitted segments during the window. */
      retransmits: z.number().optional(),
      /** Bits per second the sender put on the wire (payload), summed over streams. */
      sentBitsPerSecond: z.number().optional(),
      /** Pacing target (iperf3 -b), null when unpaced. */
      targetBitsPerSecond: z.number().nullable().optional(),
      /** Socket buffer asked for (iperf3 -w), bytes. */
      socketBufferBytes: z.number().optional(),
    })
    .optional(),
  /** UDP at a controlled send rate: loss, jitter, and receive-buffer overflow told apart. */
  udp: z
    .object({
      targetBitsPerSecond: z.number(),
      sentPackets: z.number(),
      lostPackets: z.number(),
      lossPercent: z.number(),
      jitterUs: z.number(),
      /** Receiver's RcvbufErrors delta (/proc/net/snmp in the server pod): drops at the socket, not the datapath. */
      rcvbufErrors: z.number(),
      /** Receiver's UDP InErrors delta (includes RcvbufErrors and checksum errors). */
      inErrors: z.number().optional(),
      /** Sender's SndbufErrors delta (/proc/net/snmp in the client pod). */
      sndbufErrors: z.number().optional(),
      /** Lost packets the receiver's socket does not account for: max(0, lost - RcvbufErrors). */
      datapathLostPackets: z.number().optional(),
      datapathLossPercent: z.number().optional(),
      /** UDP payload per datagram (iperf3 -l or its default, the path MSS). */
      datagramBytes: z.number().optional(),
      /** Socket buffer asked for on both ends (iperf3 -w), bytes. */
      socketBufferBytes: z.number().optional(),
    })
    .optional(),
  /** CPU and memory during the measured window, per pod and per node-level daemon. */
  resources: z.array(resourceUsageSchema).optional(),
});

export const trialSchema = z.object({
  id: z.string(),
  index: z.number().int(),
  /**
   * The trial's value of every dimension (spec/dimensions.ts). A dimension added after the run
   * was recorded had its default then, so an older file reads with the defaults filled in.
   */
  dimensions: z
    .record(z.string(), z.unknown())
    .transform((d) => ({ ...defaultDimensions(), ...d })),
  datapath: datapathFactsSchema.optional(),
  repetitions: z.array(repetitionSchema),
});

export const environmentSchema = z.object({
  platform: z.string(),
  hostname: z.string(),
  kernel: z.string(),
  os: z.string(),
  arch: z.string(),
  cpuModel: z.string(),
  cpuCount: z.number(),
  memoryBytes: z.number(),
  nodeVersion: z.string(),
  /** Versions of the external programs used, as they print them. */
  tools: z.record(z.string(), z.string()),
});

export const resultsSchema = z.object({
  schemaVersion: z.literal(resultsSchemaVersion),
  tool: z.object({
    name: z.literal('netbench'),
    version: z.string(),
    gitSha: z.string().nullable(),
  }),
  runId: z.string(),
  status: z.enum(['running', 'complete', 'interrupted', 'failed']),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  /** Where the scenario came from: a file path, or the built-in default. */
  scenarioSource: z.string(),
  /** The scenario with every default applied. */
  scenario: z.record(z.string(), z.unknown()).transform((s) => s as unknown as Scenario),
  /** Seed of the randomised, interleaved repetition order. */
  seed: z.number().int(),
  environment: environmentSchema,
  trials: z.array(trialSchema),
  /** `repetitions: auto`: what was asked, how many rounds ran and why it stopped adding them. */
  adaptive: z
    .object({
      /** Relative precision asked of the headline intervals (0.05 = ±5 %). */
      precision: z.number(),
      budgetS: z.number(),
      rounds: z.number().int(),
      reason: z.enum(['precision-met', 'budget-spent', 'max-repetitions', 'interrupted']),
      /** For people: what was reached, or the widest headline interval left. */
      detail: z.string(),
    })
    .optional(),
  /**
   * The instrument's floor per engine setting: the same workload against a server in the
   * client's own pod over loopback (src/matrix/floor.ts). Their repetitions have order −1:
   * they run at the end of a round, outside the trials' order.
   */
  floors: z
    .array(
      z.object({
        id: z.string(),
        dimensions: z.record(z.string(), z.unknown()),
        /** Ids of the trials this floor is shown against. */
        trialIds: z.array(z.string()),
        repetitions: z.array(repetitionSchema),
      }),
    )
    .optional(),
});

export type LatencySummary = z.infer<typeof latencySummarySchema>;
export type ResourceUsage = z.infer<typeof resourceUsageSchema>;
export type LoadRecord = z.infer<typeof loadRecordSchema>;
export type PinningRecord = z.infer<typeof pinningRecordSchema>;
export type RepetitionRecord = z.infer<typeof repetitionSchema>;
export type TrialRecord = z.infer<typeof trialSchema>;
export type EnvironmentRecord = z.infer<typeof environmentSchema>;
export type Results = z.infer<typeof resultsSchema>;
