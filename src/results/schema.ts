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
import { clusterFactsSchema } from './cluster-facts.js';

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

/**
 * What the lab's NetworkPolicy enforcer counted during one repetition (or one `policy verify`):
 * packets and bytes per node, endpoint, direction and rule, as deltas of the kernel's
 * iptables/nftables counters — the lab's answer to Hubble's policy verdicts.
 */
export const policyCountersSchema = z.object({
  /** iptables or nftables. */
  enforcer: z.string(),
  counters: z.array(
    z.object({
      node: z.string(),
      /** The endpoint (pod) whose chain counted, or "" for the conntrack fast path. */
      pod: z.string(),
      direction: z.enum(['ingress', 'egress', 'established']),
      verdict: z.enum(['allowed', 'dropped']),
      /** The NetworkPolicy (namespace/name) whose rule matched; "default-deny" for drops of an isolated pod. */
      policy: z.string(),
      /** The rule, e.g. "x/allow ingress[0]", or "default-deny" / "established". */
      rule: z.string(),
      packets: z.number(),
      bytes: z.number(),
    }),
  ),
});

/** A bounded packet capture taken in the client pod during the repetition (`run --capture`). */
export const captureRecordSchema = z.object({
  /** pcap file, relative to the results directory. */
  file: z.string(),
  /** Interface captured on, in the client pod. */
  interface: z.string(),
  /** Packets tcpdump wrote (it stops at the packet cap, the size cap or the time cap). */
  packets: z.number().int(),
  bytes: z.number().int(),
  /** The caps it ran with. */
  maxPackets: z.number().int(),
  maxBytes: z.number().int(),
  maxDurationS: z.number(),
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
  /** Workload graph: what every service and call measured, and sampled traces (per-hop attribution). */
  graph: z.lazy(() => graphRecordSchema).optional(),
  /** NetworkPolicy counters over the repetition (policy trials in the lab). */
  policyCounters: policyCountersSchema.optional(),
  /** The repetition's packet capture (`run --capture`). */
  capture: captureRecordSchema.optional(),
});

/** One span of a stored trace: a service's part of one request, with its place in the tree. */
export const graphTraceSpanSchema = z.object({
  service: z.string(),
  pod: z.string(),
  /** Index of the calling span in the trace; -1 for the entry. */
  parent: z.number().int(),
  /** Start of the call (entry: of the request), µs after the entry's arrival. */
  startUs: z.number(),
  /** The call's latency as the caller saw it (absent for the entry). */
  callUs: z.number().optional(),
  /** Arrival to response in the service. */
  serverUs: z.number(),
  /** Server time not spent waiting for calls on its critical path. */
  selfUs: z.number(),
  /** callUs − serverUs: network, proxies and the callee's socket handling on this hop. */
  hopUs: z.number().optional(),
  /** On the request's critical path (sequential calls all are; of parallel calls the slowest). */
  critical: z.boolean(),
  ok: z.boolean(),
});

/** One call edge of the graph between two services, over the window. */
export const graphEdgeRecordSchema = z.object({
  from: z.string(),
  to: z.string(),
  /** same-node or cross-node when every pod pair agrees, mixed otherwise. */
  placement: z.enum(['same-node', 'cross-node', 'mixed']),
  pairs: z.array(
    z.object({
      fromPod: z.string(),
      toPod: z.string(),
      placement: z.enum(['same-node', 'cross-node']),
    }),
  ),
  calls: z.number().int(),
  errors: z.number().int(),
  timeouts: z.number().int(),
  errorKinds: z.record(z.string(), z.number()),
  /** Call latency as the callers saw it. */
  callUs: latencySummarySchema,
  /** Hop time from sampled traces (call minus the callee's server time). */
  hopUs: latencySummarySchema.optional(),
  /** Encoded HDR histograms: callUs, and hopUs when traces were joined. */
  histograms: z.record(z.string(), z.string()),
});

/** What a graph workload measured per service and per edge in one repetition. */
export const graphRecordSchema = z.object({
  name: z.string(),
  entry: z.string(),
  /** Services on the longest call path. */
  depth: z.number().int(),
  /** One request in this many carried a trace id. */
  traceEvery: z.number().int(),
  /** Sampled requests whose spans were found in every service they crossed. */
  tracesJoined: z.number().int(),
  spansDropped: z.number().int(),
  services: z.array(
    z.object({
      service: z.string(),
      pods: z.array(z.string()),
      nodes: z.array(z.string()),
      requests: z.number().int(),
      /** Requests answered with an error because a call failed. */
      failed: z.number().int(),
      serverUs: latencySummarySchema,
      /** Self time from sampled traces: server time not spent waiting on critical calls. */
      selfUs: latencySummarySchema.optional(),
      histograms: z.record(z.string(), z.string()),
    }),
  ),
  edges: z.array(graphEdgeRecordSchema),
  /** Traces kept for waterfalls: ranks spread evenly over the entry's server time. */
  traces: z.array(
    z.object({
      trace: z.number().int(),
      totalUs: z.number(),
      spans: z.array(graphTraceSpanSchema),
    }),
  ),
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
  /** Kubernetes platform: the cluster as detected (flavour, version, CNI, kube-proxy, mesh, nodes). */
  cluster: clusterFactsSchema.optional(),
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
export type GraphRecord = z.infer<typeof graphRecordSchema>;
export type GraphTraceSpan = z.infer<typeof graphTraceSpanSchema>;
export type PolicyCounters = z.infer<typeof policyCountersSchema>;
export type CaptureRecord = z.infer<typeof captureRecordSchema>;
