#!/usr/bin/env node
// `npm run bench:policy`: the NetworkPolicy evaluator at cluster scale, on a synthetic cluster
// dumped as kubectl would (src/policy/synthetic-cluster.ts): 10 namespaces, Deployments of about
// 5 pods, a default-deny per namespace and per-app policies with namespace selectors,
// matchExpressions, named ports, port ranges, ipBlocks with except and egress rules.
//
// Each size runs in its own Node process, so its peak memory (maxRSS, the whole process: input
// text, parsed objects, evaluation) is its own. Phases, in milliseconds:
//   parse     the dump's YAML text into model and policies (what --from-file does)
//   evaluate  pod classes, selector sets, allowed-peer sets per class (the class evaluator)
//   summary   per namespace pair: allowed, denied, by which policies; unisolated pods
//   ndjson    every verdict as one NDJSON line into a sink that only counts bytes (skipped
//             above 2 million verdicts: 10 000 pods are 10^8 lines, a disk's worth)
//   lint      every lint rule with the model
// The targets (issue 12): 1 000 × 1 000 within 5 s and 1 GB; 10 000 × 10 000 within 60 s.
// Not a test: the figures are timings. Options: --only 1000x1000 (one size), --no-growth.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = (p) => import(join(root, 'dist', p));
const self = fileURLToPath(import.meta.url);

const { values: args } = parseArgs({
  options: {
    one: { type: 'string' },
    only: { type: 'string' },
    'no-growth': { type: 'boolean' },
  },
});

const ndjsonCap = 2_000_000;

/** Runs one size in this process and prints its figures as JSON. */
async function runOne(size) {
  const [pods, policies] = size.split('x').map(Number);
  /** @type {typeof import('../src/policy/synthetic-cluster.js')} */
  const { syntheticCluster } = await dist('policy/synthetic-cluster.js');
  /** @type {typeof import('../src/policy/cluster/cluster-dump.js')} */
  const { parseClusterDump } = await dist('policy/cluster/cluster-dump.js');
  /** @type {typeof import('../src/policy/class-evaluator.js')} */
  const { evaluateByClass } = await dist('policy/class-evaluator.js');
  /** @type {typeof import('../src/policy/summary.js')} */
  const { summarize } = await dist('policy/summary.js');
  /** @type {typeof import('../src/policy/verdict-lines.js')} */
  const { verdictJsonLines } = await dist('policy/verdict-lines.js');
  /** @type {typeof import('../src/policy/lint.js')} */
  const { lintPolicies } = await dist('policy/lint.js');
  const { stringify } = await import('yaml');

  const text = stringify(syntheticCluster({ pods, policies }));
  const ms = {};
  const timed = (phase, f) => {
    const t0 = performance.now();
    const out = f();
    ms[phase] = Math.round(performance.now() - t0);
    return out;
  };
  const snapshot = timed('parse', () => parseClusterDump(text, 'bench.yaml'));
  const ev = timed('evaluate', () => evaluateByClass(snapshot.model, snapshot.policies, {}));
  const summary = timed('summary', () => summarize(ev));
  let bytes = 0;
  if (summary.connections <= ndjsonCap) {
    timed('ndjson', () => {
      for (const line of verdictJsonLines(ev, 'none')) bytes += line.length + 1;
    });
  }
  // Exactness, sampled: the class verdicts against the pairwise evaluator (not timed).
  /** @type {typeof import('../src/policy/evaluate.js')} */
  const { createEvaluator } = await dist('policy/evaluate.js');
  const pairwise = createEvaluator(snapshot.model, snapshot.policies);
  const { classOf } = ev.podClasses;
  let sampled = 0;
  let agreed = 0;
  let seed = 1;
  const next = (n) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
  while (sampled < 2000) {
    const from = next(pods);
    const to = next(pods);
    const key = next(ev.keys.length);
    if (!ev.probed(key, classOf[to])) continue;
    const allowed = from === to || ev.policyAllowed(classOf[from], classOf[to], key);
    const expected = pairwise.evaluate({
      from: snapshot.model.pods[from],
      to: snapshot.model.pods[to],
      ...ev.keys[key],
    });
    sampled++;
    if (expected.allowed === allowed) agreed++;
  }
  const lint = timed('lint', () => lintPolicies(snapshot.policies, { model: snapshot.model }));
  const total = Object.values(ms).reduce((a, b) => a + b, 0);
  process.stdout.write(
    `${JSON.stringify({
      pods,
      policies,
      classes: ev.podClasses.classes.length,
      connections: summary.connections,
      denied: summary.denied,
      ndjsonBytes: bytes,
      findings: lint.findings.length,
      sample: `${agreed}/${sampled}`,
      ms,
      totalMs: total,
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      inputMb: Math.round(text.length / 1e6),
    })}\n`,
  );
}

function measure(size) {
  const r = spawnSync(process.execPath, [self, '--one', size], { encoding: 'utf8' });
  if (r.status !== 0) {
    process.stderr.write(r.stderr);
    throw new Error(`bench-policy: ${size} failed (exit ${r.status})`);
  }
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}');
}

const pad = (v, n) => String(v).padStart(n);
function row(m) {
  const phase = (p) => pad(m.ms[p] ?? '-', 8);
  return `${pad(m.pods, 6)} ${pad(m.policies, 8)} ${pad(m.classes, 7)} ${pad(m.connections, 11)} ${phase('parse')} ${phase('evaluate')} ${phase('summary')} ${phase('ndjson')} ${phase('lint')} ${pad(m.totalMs, 8)} ${pad(m.peakRssMb, 7)}`;
}
const header = `${pad('pods', 6)} ${pad('policies', 8)} ${pad('classes', 7)} ${pad('connections', 11)} ${pad('parse', 8)} ${pad('evaluate', 8)} ${pad('summary', 8)} ${pad('ndjson', 8)} ${pad('lint', 8)} ${pad('total ms', 8)} ${pad('peak MB', 7)}`;

function table(title, sizes) {
  console.log(`\n${title}`);
  console.log(header);
  const out = [];
  for (const s of sizes) {
    const m = measure(s);
    console.log(row(m));
    out.push(m);
  }
  return out;
}

if (args.one !== undefined) {
  await runOne(args.one);
} else {
  const targets = [
    { size: '1000x1000', ms: 5000, mb: 1024 },
    { size: '10000x10000', ms: 60000, mb: undefined },
  ].filter((t) => args.only === undefined || t.size === args.only);
  const measured = table(
    'targets (ms per phase; peak MB = the process maxRSS)',
    targets.map((t) => t.size),
  );
  if (!args['no-growth'] && args.only === undefined) {
    table('growth: time vs pods (1000 policies)', ['500x1000', '2000x1000', '4000x1000']);
    table('growth: time vs policies (1000 pods)', ['1000x250', '1000x4000', '1000x10000']);
  }
  console.log();
  let failed = false;
  targets.forEach((t, i) => {
    const m = measured[i];
    const timeOk = m.totalMs <= t.ms;
    const memOk = t.mb === undefined || m.peakRssMb <= t.mb;
    const [agreed, sampled] = m.sample.split('/');
    failed ||= !timeOk || !memOk || agreed !== sampled;
    console.log(
      `${t.size}: ${m.totalMs} ms (target ${t.ms}) ${timeOk ? 'met' : 'MISSED'}, peak ${m.peakRssMb} MB${t.mb === undefined ? '' : ` (target ${t.mb}) ${memOk ? 'met' : 'MISSED'}`}; ${m.classes} classes, ${m.connections} connections; sampled pairs agreeing with the pairwise evaluator: ${m.sample}`,
    );
  });
  process.exitCode = failed ? 1 : 0;
}
