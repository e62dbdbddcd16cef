/**
 * Units in types and names, and the parsers that turn the human strings of scenario files
 * (`30s`, `1k`, `1KiB`, `10Gbit`) into numbers once, at the boundary.
 */

export type Seconds = number;
export type Milliseconds = number;
export type Microseconds = number;
export type Nanoseconds = number;
export type Bytes = number;
export type BitsPerSecond = number;
export type RequestsPerSecond = number;
export type Percent = number;

export type ParseOutcome<T> = { ok: true; value: T } | { ok: false; message: string; hint: string };

const durationUnits: Record<string, Seconds> = {
  us: 1e-6,
  µs: 1e-6,
  ms: 1e-3,
  s: 1,
  m: 60,
  min: 60,
  h: 3600,
};

/** Parses `30s`, `1.5m`, `250ms`, `2h` or a bare number of seconds. */
export function parseDuration(input: unknown): ParseOutcome<Seconds> {
  if (typeof input === 'number') return nonNegative(input, 'duration', 's');
  if (typeof input !== 'string') return typeError(input, 'a duration like "30s"');
  const m = /^\s*(\d+(?:\.\d+)?)\s*(us|µs|ms|s|min|m|h)?\s*$/.exec(input);
  if (m === null) {
    return {
      ok: false,
      message: `duration ${JSON.stringify(input)} is not a duration`,
      hint: 'write a number with a unit: "500ms", "30s", "2m" or "1h"',
    };
  }
  const unit = m[2] ?? 's';
  return { ok: true, value: Number(m[1]) * (durationUnits[unit] ?? 1) };
}

const siMultipliers: Record<string, number> = { '': 1, k: 1e3, K: 1e3, M: 1e6, G: 1e9 };

/** Parses a request rate: `1000`, `1k`, `2.5k`, `1M` (requests per second). */
export function parseRate(input: unknown): ParseOutcome<RequestsPerSecond> {
  if (typeof input === 'number') return positive(input, 'rate', ' requests/s');
  if (typeof input !== 'string') return typeError(input, 'a request rate like "1k"');
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kKMG]?)\s*(?:rps|req\/s)?\s*$/.exec(input);
  if (m === null) {
    const digits = /\d+(?:\.\d+)?\s*[kKMG]?/.exec(input)?.[0];
    return {
      ok: false,
      message: `rate ${JSON.stringify(input)} is not a number of requests per second`,
      hint:
        digits === undefined
          ? 'write a number of requests per second: "1000", "1k" or "2.5k"'
          : `did you mean "${digits.replace(/\s/g, '')}"?`,
    };
  }
  return positive(Number(m[1]) * (siMultipliers[m[2] ?? ''] ?? 1), 'rate', ' requests/s');
}

const byteUnits: Record<string, Bytes> = {
  '': 1,
  b: 1,
  B: 1,
  k: 1e3,
  kB: 1e3,
  KB: 1e3,
  K: 1024,
  KiB: 1024,
  M: 1024 ** 2,
  MB: 1e6,
  MiB: 1024 ** 2,
  G: 1024 ** 3,
  GB: 1e9,
  GiB: 1024 ** 3,
};

/** Parses a size: `64`, `1KiB`, `1kB` (1000), `4MiB`, `1MB`. */
export function parseBytes(input: unknown): ParseOutcome<Bytes> {
  if (typeof input === 'number') return integer(input, 'size', ' bytes');
  if (typeof input !== 'string') return typeError(input, 'a size like "1KiB"');
  const m = /^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*$/.exec(input);
  const unit = m?.[2] ?? '';
  if (m === null || !(unit in byteUnits)) {
    return {
      ok: false,
      message: `size ${JSON.stringify(input)} is not a size in bytes`,
      hint: 'write bytes as a number or with a unit: "64", "1KiB", "1kB", "4MiB"',
    };
  }
  return integer(Math.round(Number(m[1]) * (byteUnits[unit] ?? 1)), 'size', ' bytes');
}

/** Parses a bit rate: `100M`, `10Gbit`, `500Mbit/s`, `1e9` (bits per second). */
export function parseBitRate(input: unknown): ParseOutcome<BitsPerSecond> {
  if (typeof input === 'number') return positive(input, 'bit rate', ' bit/s');
  if (typeof input !== 'string') return typeError(input, 'a bit rate like "1Gbit"');
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kKMG]?)\s*(?:bit|bps|b)?(?:\/s)?\s*$/.exec(input);
  if (m === null) {
    return {
      ok: false,
      message: `bit rate ${JSON.stringify(input)} is not a bit rate`,
      hint: 'write bits per second with a unit: "100Mbit", "1Gbit", "2.5G"',
    };
  }
  return positive(Number(m[1]) * (siMultipliers[m[2] ?? ''] ?? 1), 'bit rate', ' bit/s');
}

/** Parses a percentage: `30%`, `0.1%`, or a bare number meaning percent. */
export function parsePercent(input: unknown): ParseOutcome<Percent> {
  if (typeof input === 'number') return { ok: true, value: input };
  if (typeof input !== 'string') return typeError(input, 'a percentage like "30%"');
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*%?\s*$/.exec(input);
  if (m === null) {
    return {
      ok: false,
      message: `${JSON.stringify(input)} is not a percentage`,
      hint: 'write a percentage like "30%" or "0.1%"',
    };
  }
  return { ok: true, value: Number(m[1]) };
}

/** Formats microseconds for people: `71µs`, `1.25ms`, `2.0s`. */
export function formatMicros(us: Microseconds): string {
  if (!Number.isFinite(us)) return String(us);
  if (us < 1000) return `${Math.round(us)}µs`;
  if (us < 1e6) return `${(us / 1000).toFixed(us < 1e4 ? 2 : 1)}ms`;
  return `${(us / 1e6).toFixed(2)}s`;
}

/** Formats a rate for people: `950/s`, `12.3k/s`. */
export function formatRate(rps: RequestsPerSecond): string {
  return rps < 999.5 ? `${Math.round(rps)}/s` : `${(rps / 1000).toFixed(1)}k/s`;
}

function typeError<T>(input: unknown, expected: string): ParseOutcome<T> {
  return {
    ok: false,
    message: `expected ${expected}, got ${input === null ? 'null' : typeof input} ${JSON.stringify(input)}`,
    hint: `write ${expected}`,
  };
}

function nonNegative(value: number, what: string, unit: string): ParseOutcome<number> {
  if (!Number.isFinite(value) || value < 0) {
    return { ok: false, message: `${what} ${value} must be >= 0`, hint: `use a value >= 0${unit}` };
  }
  return { ok: true, value };
}

function positive(value: number, what: string, unit: string): ParseOutcome<number> {
  if (!Number.isFinite(value) || value <= 0) {
    return { ok: false, message: `${what} ${value} must be > 0`, hint: `use a value > 0${unit}` };
  }
  return { ok: true, value };
}

function integer(value: number, what: string, unit: string): ParseOutcome<number> {
  if (!Number.isInteger(value) || value < 0) {
    return {
      ok: false,
      message: `${what} ${value} must be a whole number >= 0`,
      hint: `use whole${unit}`,
    };
  }
  return { ok: true, value };
}
