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
