#!/usr/bin/env node
// `npm run bench`: netbench's traffic engines against the reference tools, on the same target,
// in one run: on loopback (host processes on 127.0.0.1) and in the lab (a same-node bridge
// lab, client and server pods). Needs root (the lab) and the built dist/ tree (bootstrap builds).
//
// Four ratio lines per place. Each is measured in pairs (reference and netbench back to back, the
// order alternating), the ratio taken per pair and its 95 % interval over pairs (src/stats/
// paired.ts); pairs are added until the interval is within ±5 % or --max-pairs is reached. A
// target is "met" only when the whole interval is on its right side, "MISSED" when the whole
// interval is on the wrong side, and "undecided" otherwise:
//   HTTP max rps          netbench closed loop / wrk -t1 (same server, same connections, client
//                         pinned to CPU 0 and server to CPU 1: one client core each)
//   HTTP p50 at a fixed   netbench open loop at the rate wrk achieved / wrk paced by a Lua
//   moderate rate         delay() (wrk 4.1 has no rate mode); both from the actual send
//                         (netbench's service latency), so like is compared with like
//   TCP_RR p50            netbench tcp-rr (sockperf driven and parsed by netbench) / sockperf
//                         ping-pong run directly; also netbench's own Node engine, for reference
//   iperf3 Gbit/s         netbench tcp-stream (iperf3 driven by netbench) / iperf3 run directly
//
// Not part of the tests: the figures are timings. Options: --reps N (minimum pairs, default 3),
// --max-pairs N (default 12), --precision F (default 0.05), --seconds S (measured seconds per
// run, default 3), --only loopback|lab.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = (p) => import(join(root, 'dist', p));

const { values: args } = parseArgs({
  options: {
    reps: { type: 'string', default: '3' },
    'max-pairs': { type: 'string', default: '12' },
    precision: { type: 'string', default: '0.05' },
    seconds: { type: 'string', default: '3' },
    only: { type: 'string' },
  },
});
const minPairs = Number(args.reps);
const maxPairs = Math.max(minPairs, Number(args['max-pairs']));
const precision = Number(args.precision);
const seconds = Number(args.seconds);

/** @type {typeof import('../src/core/process-runner.js')} */
const { createProcessRunner } = await dist('core/process-runner.js');
/** @type {typeof import('../src/core/logger.js')} */
const { silentLogger } = await dist('core/logger.js');
/** @type {typeof import('../src/core/run-id.js')} */
const { createRunId } = await dist('core/run-id.js');
/** @type {typeof import('../src/platform/lab/lab-platform.js')} */
const { createLabPlatform } = await dist('platform/lab/lab-platform.js');
/** @type {typeof import('../src/matrix/topology.js')} */
const { topologyFor } = await dist('matrix/topology.js');
/** @type {typeof import('../src/spec/dimensions.js')} */
const { defaultDimensions } = await dist('spec/dimensions.js');
/** @type {typeof import('../src/workload/index.js')} */
const { workloads } = await dist('workload/index.js');
/** @type {typeof import('../src/workload/offered-load.js')} */
const { resolveLoad } = await dist('workload/offered-load.js');
/** @type {typeof import('../src/workload/sockperf/sockperf-output.js')} */
const { parseSockperfOutput } = await dist('workload/sockperf/sockperf-output.js');
/** @type {typeof import('../src/workload/iperf3/iperf3-json.js')} */
const { parseIperf3Json } = await dist('workload/iperf3/iperf3-json.js');
/** @type {typeof import('../src/agent/agent-process.js')} */
const { watchAgent } = await dist('agent/agent-process.js');
/** @type {typeof import('../src/workload/listener.js')} */
const { waitForListener } = await dist('workload/listener.js');
/** @type {typeof import('../src/stats/histogram.js')} */
const { decodeHistogram, summarize } = await dist('stats/histogram.js');
/** @type {typeof import('../src/stats/paired.js')} */
const { comparePaired } = await dist('stats/paired.js');
/** @type {typeof import('../src/stats/precision.js')} */
const { relativeHalfWidthLog, repetitionsNeeded } = await dist('stats/precision.js');
/** @type {typeof import('../src/stats/distributions.js')} */
const { studentTQuantile } = await dist('stats/distributions.js');

const runner = createProcessRunner();
const say = (s) => process.stderr.write(`${s}\n`);
const controller = new AbortController();
process.on('SIGINT', () => controller.abort());
process.on('SIGTERM', () => controller.abort());

const CLIENT_CPU = [0];
const SERVER_CPU = [1];
const HTTP_PORT = 8080;
const MAX_CONNECTIONS = 4;
const PACED_CONNECTIONS = 2;
const PACED_DELAY_MS = 1;
const RR_BYTES = 64;

/** The host as an Environment: both "pods" are host processes on 127.0.0.1. */
function hostEnvironment() {
  const procs = [];
  const mainJs = join(root, 'dist', 'cli', 'main.js');
  const argvOf = (cmd) => {
    const argv = cmd.kind === 'agent' ? [process.execPath, mainJs, 'agent', ...cmd.args] : cmd.argv;
    return cmd.cpus === undefined ? argv : ['taskset', '-c', cmd.cpus.join(','), ...argv];
  };
  return {
    topology: { datapath: 'bridge', nodes: [{ name: 'host' }], pods: [] },
    facts: {},
    podAddress: () => '127.0.0.1',
    targetAddress: (_pod, port) => ({ host: '127.0.0.1', port }),
    exec: (_pod, cmd, o = {}) =>
      runner.run({
        argv: argvOf(cmd),
        timeoutMs: o.timeoutMs ?? 60_000,
        ...(o.allowFailure === undefined ? {} : { allowFailure: o.allowFailure }),
        ...(o.signal === undefined ? {} : { signal: o.signal }),
      }),
    async start(_pod, cmd, o = {}) {
      const p = await runner.start({
        argv: argvOf(cmd),
        ...(o.signal === undefined ? {} : { signal: o.signal }),
      });
      procs.push(p);
      return p;
    },
    readResources: () => Promise.resolve({ atMs: performance.now(), groups: [] }),
    async teardown() {
      for (const p of procs) p.kill('SIGKILL');
    },
  };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmtRate = (r) => (r >= 1000 ? `${(r / 1000).toFixed(1)}k/s` : `${Math.round(r)}/s`);
const fmtUs = (us) => `${us.toFixed(1)}µs`;

function context(env, over) {
  const dimensions = { ...defaultDimensions(), ...over };
  return {
    environment: env,
    dimensions,
    warmupS: 1,
    durationS: seconds,
    timeoutS: 2,
    logger: silentLogger,
    signal: controller.signal,
    load: resolveLoad(dimensions),
  };
}

/** Starts netbench's HTTP echo server in the server pod (CPU 1); returns a stop function. */
async function startHttpServer(env) {
  const config = { port: HTTP_PORT, payloadBytes: 1024 };
  const p = await env.start('server', {
    kind: 'agent',
    args: ['http-server', '--config', JSON.stringify(config)],
    cpus: SERVER_CPU,
  });
  const watch = watchAgent(p, 'http server');
  await watch.next('ready', 15_000);
  return async () => {
    p.kill('SIGTERM');
    await Promise.race([watch.done, new Promise((r) => setTimeout(r, 3000))]);
    p.kill('SIGKILL');
  };
}

async function wrk(env, dir, connections, delayMs) {
  const script = join(dir, `wrk-${delayMs}.lua`);
  await writeFile(
    script,
    `${delayMs > 0 ? `function delay() return ${delayMs} end\n` : ''}function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('NBJSON {"requests":%d,"durationUs":%d,"errors":%d,"p50":%d,"p99":%d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
`,
  );
  const stop = await startHttpServer(env);
  try {
    const out = await env.exec(
      'client',
      {
        kind: 'program',
        argv: [
          'wrk',
          '-t1',
          `-c${connections}`,
          `-d${seconds}s`,
          '-s',
          script,
          `http://${env.podAddress('server')}:${HTTP_PORT}/`,
        ],
        cpus: CLIENT_CPU,
      },
      { timeoutMs: (seconds + 30) * 1000 },
    );
    const line = out.stdout.split('\n').find((l) => l.startsWith('NBJSON '));
    if (line === undefined) throw new Error(`wrk printed no summary: ${out.stdout}${out.stderr}`);
    const j = JSON.parse(line.slice(7));
    return { rps: j.requests / (j.durationUs / 1e6), p50Us: j.p50, errors: j.errors };
  } finally {
    await stop();
  }
}

async function netbenchHttp(env, connections, rate) {
  const ctx = context(env, {
    workload: 'http',
    rate,
    connections,
    payload: 1024,
    pinning: 'cross-cpu',
  });
  const m = await workloads.http.run(ctx);
  return {
    rps: m.achievedRps,
    serviceP50Us: required(m.serviceLatencyUs, 'service latency').p50,
    latencyP50Us: required(m.latencyUs, 'latency').p50,
    invalid: m.invalidReasons,
  };
}

async function sockperfDirect(env) {
  const ip = env.podAddress('server');
  const server = await env.start('server', {
    kind: 'program',
    argv: ['sockperf', 'server', '--tcp', '-i', ip, '-p', '11111'],
    cpus: CLIENT_CPU,
  });
  server.stdout.resume();
  server.stderr.resume();
  try {
    await waitForListener(env, 'server', 11111, 'sockperf server');
    const out = await env.exec(
      'client',
      {
        kind: 'program',
        argv: [
          'sockperf',
          'ping-pong',
          '--tcp',
          '-i',
          ip,
          '-p',
          '11111',
          '-t',
          String(Math.ceil(seconds + 1.6)),
          '-m',
          String(RR_BYTES),
          '--mps=max',
          '--full-rtt',
        ],
        cpus: CLIENT_CPU,
      },
      { timeoutMs: (seconds + 30) * 1000, allowFailure: true },
    );
    return parseSockperfOutput(`${out.stdout}\n${out.stderr}`).percentilesUs['50'];
  } finally {
    server.kill('SIGKILL');
    await server.exited;
  }
}

async function netbenchRr(env) {
  const m = await workloads['tcp-rr'].run(
    context(env, { workload: 'tcp-rr', rate: 'max', payload: RR_BYTES, pinning: 'same-cpu' }),
  );
  return required(m.latencyUs, 'tcp-rr latency').p50;
}

/** netbench's own Node engine in rr mode (one connection, ping-pong) against its TCP server. */
async function nodeEngineRr(env) {
  const server = await env.start('server', {
    kind: 'agent',
    args: [
      'tcp-server',
      '--config',
      JSON.stringify({ port: 8090, mode: 'rr', messageBytes: RR_BYTES }),
    ],
    cpus: CLIENT_CPU,
  });
  const sw = watchAgent(server, 'tcp server');
  try {
    await sw.next('ready', 15_000);
    const config = {
      transport: {
        kind: 'tcp',
        host: env.podAddress('server'),
        port: 8090,
        mode: 'rr',
        connections: 1,
        messageBytes: RR_BYTES,
      },
      rate: 'max',
      warmupS: 1,
      durationS: seconds,
      timeoutS: 2,
    };
    const client = await env.start('client', {
      kind: 'agent',
      args: ['load', '--config', JSON.stringify(config)],
      cpus: CLIENT_CPU,
    });
    const cw = watchAgent(client, 'node rr engine');
    const e = await cw.next('result', (seconds + 40) * 1000);
    await cw.done;
    if (e.event !== 'result')
      throw new Error(`bench: expected the engine's result, got ${e.event}`);
    // The agent's result is the engine's LoadResult, sent as JSON.
    const result = /** @type {import('../src/workload/engine/run-load.js').LoadResult} */ (
      e.result
    );
    return summarize(decodeHistogram(result.histograms.latencyUs)).p50;
  } finally {
    server.kill('SIGKILL');
    await sw.done;
  }
}

async function iperf3Direct(env) {
  const server = await env.start('server', {
    kind: 'program',
    argv: ['iperf3', '-s', '-1', '-p', '5201'],
    cpus: SERVER_CPU,
  });
  server.stdout.resume();
  server.stderr.resume();
  try {
    await waitForListener(env, 'server', 5201, 'iperf3 server');
    const out = await env.exec(
      'client',
      {
        kind: 'program',
        argv: [
          'iperf3',
          '-c',
          env.podAddress('server'),
          '-p',
          '5201',
          '-J',
          '-t',
          String(seconds),
          '-O',
          '1',
        ],
        cpus: CLIENT_CPU,
      },
      { timeoutMs: (seconds + 30) * 1000, allowFailure: true },
    );
    return parseIperf3Json(out.stdout).receivedBitsPerSecond;
  } finally {
    server.kill('SIGKILL');
    await server.exited;
  }
}

async function netbenchIperf3(env) {
  const m = await workloads['tcp-stream'].run(
    context(env, { workload: 'tcp-stream', bitrate: 'max', pinning: 'cross-cpu' }),
  );
  return required(m.throughput, 'iperf3 throughput').bitsPerSecond;
}

/**
 * `value`, or a failure naming what the engine did not report.
 * @template T
 * @param {T | undefined} value
 * @param {string} what
 * @returns {T}
 */
function required(value, what) {
  if (value === undefined) throw new Error(`bench: the engine reported no ${what}`);
  return value;
}

/**
 * The verdict on a ratio's interval against its target: met only when the whole interval is on
 * the right side, missed when the whole interval is on the wrong side, else undecided.
 * @param {{ low: number, high: number }} ci ratio interval
 * @param {{ kind: 'atLeast' | 'atMost' | 'within', value: number }} target
 */
function targetVerdict(ci, target) {
  switch (target.kind) {
    case 'atLeast':
      return ci.low >= target.value ? 'met' : ci.high < target.value ? 'missed' : 'undecided';
    case 'atMost':
      return ci.high <= target.value ? 'met' : ci.low > target.value ? 'missed' : 'undecided';
    case 'within':
      return ci.low >= 1 - target.value && ci.high <= 1 + target.value
        ? 'met'
        : ci.high < 1 - target.value || ci.low > 1 + target.value
          ? 'missed'
          : 'undecided';
  }
}

/** "about N pairs needed for ±5%", from the spread of the pairs seen so far. */
function pairsNeeded(d, n) {
  const h = relativeHalfWidthLog(d);
  if (h === undefined || !Number.isFinite(h) || n < 2) return 'more pairs needed';
  const sd = (h * Math.sqrt(n)) / studentTQuantile(0.975, n - 1);
  return `about ${repetitionsNeeded(sd, precision, 0.95)} pairs needed for ±${precision * 100}%`;
}

const targetText = (t) =>
  t.kind === 'atLeast'
    ? `>= ${t.value}`
    : t.kind === 'atMost'
      ? `<= ${t.value}`
      : `within ${Math.round(t.value * 100)}%`;

/**
 * One comparison of netbench with a reference tool, measured in pairs: each pair runs both back
 * to back (order alternating, so drift of a noisy machine falls on both sides), the ratio is taken
 * per pair, and the interval is over pairs. Pairs are added until the ratio is known to ±5 % or
 * --max-pairs is reached.
 * @typedef {{ reference: number, netbench: number, note?: string }} PairFigures
 * @typedef {{ what: string, unit: (v: number) => string, target: { kind: 'atLeast' | 'atMost' | 'within', value: number }, detail: string, run: (i: number) => Promise<PairFigures> }} BenchComparison
 */

async function benchPlace(place, env, dir) {
  /** @type {string[]} */
  const invalid = [];
  /** @type {number[]} */
  const nodeRr = [];
  /** @type {number[]} */
  const pacedRates = [];
  // Both orders, alternating by pair.
  const pair = async (i, a, b) =>
    i % 2 === 0 ? [await a(), await b()] : [await b(), await a()].reverse();
  /** @type {BenchComparison[]} */
  const comparisons = [
    {
      what: 'HTTP max rps netbench/wrk',
      unit: fmtRate,
      target: { kind: 'atLeast', value: 0.5 },
      detail: `${MAX_CONNECTIONS} connections, client on CPU 0, server on CPU 1`,
      async run(i) {
        const [w, n] = await pair(
          i,
          () => wrk(env, dir, MAX_CONNECTIONS, 0),
          () => netbenchHttp(env, MAX_CONNECTIONS, 'max'),
        );
        return { reference: w.rps, netbench: n.rps };
      },
    },
    {
      what: 'HTTP p50 at wrk paced rate netbench/wrk',
      unit: fmtUs,
      target: { kind: 'atMost', value: 1.2 },
      detail: `service p50 (from the actual send), ${PACED_CONNECTIONS} connections, wrk delay() ${PACED_DELAY_MS} ms; netbench runs at the rate wrk achieved, so wrk goes first`,
      async run() {
        const wp = await wrk(env, dir, PACED_CONNECTIONS, PACED_DELAY_MS);
        const np = await netbenchHttp(env, PACED_CONNECTIONS, Math.round(wp.rps));
        pacedRates.push(wp.rps);
        if (np.invalid.length > 0) invalid.push(np.invalid[0]);
        return {
          reference: wp.p50Us,
          netbench: np.serviceP50Us,
          note: `from intended send ${fmtUs(np.latencyP50Us)}`,
        };
      },
    },
    {
      what: 'TCP_RR p50 netbench/sockperf',
      unit: fmtUs,
      target: { kind: 'atMost', value: 1.2 },
      detail: `${RR_BYTES} B, both ends on CPU 0`,
      async run(i) {
        const [sp, nr] = await pair(
          i,
          () => sockperfDirect(env),
          () => netbenchRr(env),
        );
        // netbench's own Node engine, for reference only (not a target): three runs suffice.
        if (i < 3) nodeRr.push(await nodeEngineRr(env));
        return { reference: sp, netbench: nr };
      },
    },
    {
      what: 'iperf3 Gbit/s netbench/direct',
      unit: (bps) => `${(bps / 1e9).toFixed(2)} Gbit/s`,
      target: { kind: 'within', value: 0.05 },
      detail: '1 stream, client on CPU 0, server on CPU 1',
      async run(i) {
        const [id, inb] = await pair(
          i,
          () => iperf3Direct(env),
          () => netbenchIperf3(env),
        );
        return { reference: id, netbench: inb };
      },
    },
  ];

  /** @type {import('../src/stats/paired.js').FigurePair[][]} */
  const pairs = comparisons.map(() => []);
  /** @type {(import('../src/stats/estimate.js').Difference | undefined)[]} */
  const results = comparisons.map(() => undefined);
  const precise = (d) => {
    const h = d === undefined ? undefined : relativeHalfWidthLog(d);
    return h !== undefined && h <= Math.log1p(precision);
  };
  for (let i = 0; i < maxPairs; i++) {
    const open = comparisons.flatMap((_c, k) => (i < minPairs || !precise(results[k]) ? [k] : []));
    if (open.length === 0) break;
    for (const k of open) {
      controller.signal.throwIfAborted();
      const c = comparisons[k];
      /** @type {PairFigures} */
      let f;
      try {
        f = await c.run(i);
      } catch (error) {
        // On a shared machine a port can be taken or a tool starved; one failed pair is noted
        // and skipped rather than losing the whole bench.
        if (controller.signal.aborted) throw error;
        say(
          `${place} pair ${i + 1}: ${c.what}: failed, skipped: ${error instanceof Error ? error.message : String(error)}`,
        );
        continue;
      }
      pairs[k].push({ round: i, baseline: f.reference, candidate: f.netbench });
      results[k] = comparePaired(pairs[k], 'log', { precision });
      say(
        `${place} pair ${i + 1}: ${c.what}: reference ${c.unit(f.reference)}, netbench ${c.unit(f.netbench)} (${(f.netbench / f.reference).toFixed(3)})${f.note === undefined ? '' : `; ${f.note}`}`,
      );
    }
  }

  return comparisons.map((c, k) => {
    const d = results[k];
    const p = pairs[k];
    const refs = p.map((x) => x.baseline);
    const nbs = p.map((x) => x.candidate);
    const extra =
      k === 1
        ? ` at ${fmtRate(median(pacedRates))}${invalid.length > 0 ? `; netbench flagged ${invalid.length} of its ${p.length} paced runs invalid, e.g. ${invalid[0]}` : ''}`
        : k === 2 && nodeRr.length > 0
          ? `; Node engine ${fmtUs(median(nodeRr))} (${(median(nodeRr) / median(refs)).toFixed(2)}x sockperf)`
          : '';
    if (d === undefined || d.low === undefined || d.high === undefined) {
      return `${place.padEnd(8)} ${c.what.padEnd(40)} no interval (${p.length} pair)`;
    }
    const ci = { low: 1 + d.low, high: 1 + d.high };
    const verdict = targetVerdict(ci, c.target);
    const word =
      verdict === 'met' ? 'target met' : verdict === 'missed' ? 'TARGET MISSED' : 'undecided';
    const tight = precise(d)
      ? ''
      : ` (wider than ±${precision * 100}%; ${pairsNeeded(d, p.length)})`;
    return `${place.padEnd(8)} ${c.what.padEnd(40)} ${(1 + d.value).toFixed(3)} [${ci.low.toFixed(3)}, ${ci.high.toFixed(3)}] ${p.length} pairs  ${word} (${targetText(c.target)})${tight}  netbench ${c.unit(median(nbs))}, reference ${c.unit(median(refs))} (medians), ${c.detail}${extra}`;
  });
}

const dir = await mkdtemp(join(tmpdir(), 'netbench-bench-'));
const lines = [];
try {
  if (args.only !== 'lab') {
    const env = hostEnvironment();
    try {
      lines.push(...(await benchPlace('loopback', env, dir)));
    } finally {
      await env.teardown();
    }
  }
  if (args.only !== 'loopback') {
    const runId = createRunId();
    const platform = createLabPlatform({ runner, logger: silentLogger, runId, purpose: 'bench' });
    await platform.preflight();
    const env = await platform.deploy(topologyFor(defaultDimensions()), controller.signal);
    say(`lab ${runId}: bridge, client and server pods on one node`);
    try {
      lines.push(...(await benchPlace('lab', env, dir)));
    } finally {
      await env.teardown();
      await platform.close();
    }
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
say(
  `\nratio netbench/reference: geometric mean of per-pair ratios [${95}% interval over pairs]; ${minPairs} to ${maxPairs} pairs, until ±${precision * 100}%; ${seconds}s per run`,
);
process.stdout.write(`${lines.join('\n')}\n`);
