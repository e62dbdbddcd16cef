#!/usr/bin/env node
// Calibration of netbench's confidence intervals and verdicts, by simulation (docs/statistics.md).
// Pairs of IDENTICAL trials are drawn (log-normal requests, each repetition's median moved by a
// run-to-run random effect) and compared with three methods:
//   request-level : all requests pooled, resampled as if independent
//   two-level     : repetitions resampled, then requests within them (percentile interval)
//   netbench      : repetitions resampled, variance corrected by R/(R-1), Student t on R-1 df
// and the share called "significant" is printed (nominal 5 %), with the coverage of the true p99
// by a single trial's interval (nominal 95 %). Needs the build: `npx tsc -p tsconfig.build.json`.
// Usage: node scripts/stats-calibration.mjs [pairs=200] [requests per repetition=2000]
//
// Self-agreement on the real machine: `node scripts/stats-calibration.mjs --self-agreement
// [scenario]` (root, the lab; built dist/) runs the scenario (the built-in default when none is
// given) twice and counts how often the second run's figures fall inside the first run's
// intervals: every trial figure and every comparison against a baseline. A 95 % confidence
// interval covers the true value 95 % of the time, but another run's estimate, which has its own
// error, less often: with equal precision on both sides about 83 % (P(|Z| < 1.96/√2)); that is
// the rate to expect, and it is printed next to the observed one.
// The built modules, typed as their sources (tsconfig.scripts.json checks this file).
const dist = (p) => import(new URL(`../dist/${p}`, import.meta.url).href);
/** @type {typeof import('../src/stats/bootstrap.js')} */
const { bootstrapLatency, percentileInterval } = await dist('stats/bootstrap.js');
/** @type {typeof import('../src/stats/estimate.js')} */
const { compareEstimates, estimateLatency } = await dist('stats/estimate.js');
/** @type {typeof import('../src/stats/histogram.js')} */
const { createHistogram, histogramBuckets, recordMicros } = await dist('stats/histogram.js');
/** @type {typeof import('../src/stats/random.js')} */
const { createRandom, randomNormal } = await dist('stats/random.js');

if (process.argv[2] === '--self-agreement') {
  await selfAgreement(process.argv[3]);
  process.exit(0);
}

const pairs = Number(process.argv[2] ?? 200);
const requests = Number(process.argv[3] ?? 2000);
const sigma = 0.6;
const median = 400;
const z99 = 2.3263478740408408;
const random = createRandom(20261121);

function trial(repetitions, runToRun) {
  const out = [];
  for (let r = 0; r < repetitions; r++) {
    const mu = Math.log(median) + runToRun * randomNormal(random);
    const h = createHistogram();
    for (let i = 0; i < requests; i++) recordMicros(h, Math.exp(mu + sigma * randomNormal(random)));
    out.push(histogramBuckets(h));
  }
  return out;
}

/** The bootstrap's p99 draws (asked for in every call here). */
function drawsAt99(result) {
  const draws = result.draws.get(99);
  if (draws === undefined) throw new Error('no p99 draws');
  return draws;
}

/** netbench's own p99 estimate of a trial (what reports use). */
function p99Estimate(trial, seed) {
  const estimate = estimateLatency(trial, [99], { seed, iterations: 1000 })?.percentiles.get(99);
  if (estimate === undefined) throw new Error('no p99 estimate');
  return estimate;
}

function significant(ci) {
  return ci.low > 0 || ci.high < 0;
}

function ratioInterval(a, b) {
  const d = drawsAt99(a);
  const e = drawsAt99(b);
  return percentileInterval(d.map((v, i) => e[i] / v - 1));
}

const pct = (n) => `${((100 * n) / pairs).toFixed(1)}%`.padStart(6);
process.stdout.write(
  `${pairs} pairs of identical trials, ${requests} requests per repetition, p99\n` +
    'reps  run-to-run  | "significant": request-level  two-level  netbench | coverage: two-level  netbench\n',
);
for (const repetitions of [2, 3, 5, 10]) {
  for (const runToRun of [0, 0.05, 0.15]) {
    const truth = median * Math.exp(z99 * Math.sqrt(sigma ** 2 + runToRun ** 2));
    let requestLevel = 0;
    let twoLevel = 0;
    let netbench = 0;
    let coverTwoLevel = 0;
    let coverNetbench = 0;
    for (let p = 0; p < pairs; p++) {
      const a = trial(repetitions, runToRun);
      const b = trial(repetitions, runToRun);
      const options = { percentiles: [99], iterations: 1000 };
      const ra = bootstrapLatency(a, { ...options, levels: 'requests', seed: 2 * p + 1 });
      const rb = bootstrapLatency(b, { ...options, levels: 'requests', seed: 2 * p + 2 });
      if (significant(ratioInterval(ra, rb))) requestLevel++;
      const ta = bootstrapLatency(a, {
        ...options,
        levels: 'repetitions-and-requests',
        seed: 2 * p + 1,
      });
      const tb = bootstrapLatency(b, {
        ...options,
        levels: 'repetitions-and-requests',
        seed: 2 * p + 2,
      });
      if (significant(ratioInterval(ta, tb))) twoLevel++;
      const ci = percentileInterval(drawsAt99(ta));
      if (ci.low <= truth && truth <= ci.high) coverTwoLevel++;
      const ea = p99Estimate(a, 2 * p + 1);
      const eb = p99Estimate(b, 2 * p + 2);
      if (compareEstimates(ea, eb).verdict === 'significant') netbench++;
      if ((ea.low ?? Infinity) <= truth && truth <= (ea.high ?? -Infinity)) coverNetbench++;
    }
    process.stdout.write(
      `${String(repetitions).padStart(4)}  ${`${runToRun * 100}%`.padStart(10)}  |` +
        `${pct(requestLevel).padStart(28)}${pct(twoLevel).padStart(11)}${pct(netbench).padStart(10)} |` +
        `${pct(coverTwoLevel).padStart(20)}${pct(coverNetbench).padStart(10)}\n`,
    );
  }
}

/** Runs `scenario` twice with netbench and prints the coverage of run 2 by run 1's intervals. */
async function selfAgreement(scenario) {
  const { spawnSync } = await import('node:child_process');
  const { mkdtempSync, readFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  /** @type {typeof import('../src/analysis/analyze.js')} */
  const { analyzeResults } = await dist('analysis/analyze.js');
  /** @type {typeof import('../src/stats/distributions.js')} */
  const { normalCdf } = await dist('stats/distributions.js');
  const bin = new URL('../bin/netbench.js', import.meta.url).pathname;
  const base = mkdtempSync(join(tmpdir(), 'netbench-self-agreement-'));
  const runs = [];
  for (const k of [1, 2]) {
    const out = join(base, `run-${k}`);
    process.stderr.write(`self-agreement: run ${k} of 2 → ${out}\n`);
    const r = spawnSync(
      process.execPath,
      [bin, 'run', ...(scenario ? [scenario] : []), '-o', out, '-q'],
      {
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    if (r.status !== 0 && r.status !== 5) throw new Error(`netbench run exited ${r.status}`);
    runs.push(analyzeResults(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'))).analysis);
  }
  const [first, second] = runs;
  /** @type {Map<string, { n: number, inside: number }>} */
  const tally = new Map();
  const count = (kind, interval, value) => {
    if (interval?.low === undefined || interval.high === undefined || value === undefined) return;
    const t = tally.get(kind) ?? { n: 0, inside: 0 };
    t.n++;
    if (interval.low <= value && value <= interval.high) t.inside++;
    tally.set(kind, t);
  };
  for (const t1 of first.trials) {
    const t2 = second.trials.find((t) => t.id === t1.id);
    if (t2 === undefined) continue;
    for (const [key, e] of Object.entries(t1.figures))
      count(`trial ${key}`, e, t2.figures[key]?.value);
  }
  for (const table of first.overheads) {
    const other = second.overheads.find((o) => o.dimension === table.dimension);
    for (const row of table.rows) {
      const row2 = other?.rows.find((r) => r.trialId === row.trialId);
      for (const [key, d] of Object.entries(row.figures)) {
        count(
          `comparison ${key}${d.design === undefined ? '' : ` (${d.design})`}`,
          d,
          row2?.figures[key]?.value,
        );
      }
    }
  }
  const expected = 2 * normalCdf(1.959964 / Math.SQRT2) - 1;
  process.stdout.write(
    `second run's estimates inside the first run's ${Math.round(first.level * 100)} % intervals (expected about ${(expected * 100).toFixed(0)} % with equal precision)\n`,
  );
  let n = 0;
  let inside = 0;
  for (const [kind, t] of [...tally].sort()) {
    n += t.n;
    inside += t.inside;
    process.stdout.write(
      `${kind.padEnd(34)} ${String(t.inside).padStart(3)}/${String(t.n).padEnd(3)} ${((100 * t.inside) / t.n).toFixed(0)} %\n`,
    );
  }
  process.stdout.write(
    `${'all'.padEnd(34)} ${String(inside).padStart(3)}/${String(n).padEnd(3)} ${n === 0 ? '-' : ((100 * inside) / n).toFixed(0)} %\n`,
  );
}
