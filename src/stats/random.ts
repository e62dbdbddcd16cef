/**
 * Seeded random numbers: one small generator (mulberry32) and the few distributions the bootstrap
 * needs. Everything random in netbench (the trial order, bootstrap resamples) takes a seed, so a
 * report re-rendered from the same results.json shows the same intervals, digit for digit.
 *
 * Written here rather than taken from a library: the candidates on npm either have no seeding
 * (Math.random-based), pull hundreds of micro-packages (@stdlib), or lack a gamma/beta variate.
 * The algorithms are the textbook ones, cited at each function, and tested for their moments.
 */

/** A source of uniform numbers in [0, 1). */
export type Random = () => number;

/**
 * mulberry32 (Tommy Ettinger, public domain): 32 bits of state, passes PractRand to 2^32 outputs
 * (more than any bootstrap here draws), fast, and trivially seeded so an order can be replayed.
 */
export function createRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniform integer in [0, n). */
export function randomInt(random: Random, n: number): number {
  return Math.floor(random() * n);
}

/** Standard normal variate (Marsaglia's polar method). */
export function randomNormal(random: Random): number {
  for (;;) {
    const u = 2 * random() - 1;
    const v = 2 * random() - 1;
    const s = u * u + v * v;
    if (s > 0 && s < 1) return u * Math.sqrt((-2 * Math.log(s)) / s);
  }
}

/**
 * Gamma(shape, 1) variate: Marsaglia & Tsang, "A simple method for generating gamma variables",
 * ACM TOMS 26(3), 2000. For shape < 1 it uses their boost Gamma(a) = Gamma(a + 1) · U^(1/a).
 */
export function randomGamma(random: Random, shape: number): number {
  if (!(shape > 0)) throw new RangeError(`gamma shape must be > 0, got ${shape}`);
  if (shape < 1) {
    let u = random();
    while (u === 0) u = random();
    return randomGamma(random, shape + 1) * u ** (1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = randomNormal(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = random();
    if (u < 1 - 0.0331 * x ** 4) return d * v;
    if (u > 0 && Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** Beta(a, b) variate, as Ga / (Ga + Gb) with independent gamma variates. */
export function randomBeta(random: Random, a: number, b: number): number {
  const x = randomGamma(random, a);
  const y = randomGamma(random, b);
  return x / (x + y);
}
