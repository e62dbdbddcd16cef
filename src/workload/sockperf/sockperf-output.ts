/**
 * `sockperf ping-pong --full-rtt --full-log /dev/stdout` output → figures and samples (pure).
 * Checked against real sockperf 3.7 output kept in test/fixtures/sockperf.
 *
 * sockperf prints its own statistics (the "valid duration" after its 400 ms warm-up, and
 * percentiles of the round trip with --full-rtt), then, with --full-log, one CSV line per
 * message: `packet, txTime(sec), rxTime(sec), rtt(usec)`. netbench builds its HDR histogram from
 * those lines and keeps sockperf's own percentiles beside it as a cross-check.
 */
import { NetbenchError } from '../../core/errors.js';

export interface SockperfSample {
  /** Send time, seconds on sockperf's clock. */
  txS: number;
  /** Round trip, microseconds. */
  rttUs: number;
}

export interface SockperfReport {
  /** The statistics are round trips (--full-rtt), not sockperf's default half round trip. */
  roundTrip: boolean;
  validRunTimeS: number;
  sentMessages: number;
  receivedMessages: number;
  observations: number;
  droppedMessages: number;
  /** sockperf's own percentiles, keyed by percentile (50, 99, 99.9 …), microseconds. */
  percentilesUs: Record<string, number>;
  minUs: number | undefined;
  maxUs: number | undefined;
  /** One per message of the full log (empty without --full-log). */
  samples: SockperfSample[];
}

// eslint-disable-next-line no-control-regex -- sockperf colours its output with ANSI escapes
const ansi = /\u001b\[[0-9;]*m/g;

export function parseSockperfOutput(text: string): SockperfReport {
  const clean = text.replace(ansi, '');
  const first = (re: RegExp): RegExpExecArray | null => re.exec(clean);
  const valid = first(
    /\[Valid Duration\] RunTime=([\d.]+) sec; SentMessages=(\d+); ReceivedMessages=(\d+)/,
  );
  if (valid === null) {
    const error = /sockperf: ERROR: (.*)/.exec(clean)?.[1];
    const tail = clean
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '')
      .slice(-3)
      .join(' | ');
    throw new NetbenchError(
      'NB_TOOL_FAILED',
      `sockperf printed no statistics: ${error?.trim() ?? (tail || '(no output)')}`,
      {
        hint: /connect|refused/i.test(error ?? '')
          ? 'the sockperf server in pod "server" is not reachable over this path'
          : 'run the same sockperf command by hand to see what it says',
      },
    );
  }
  const percentilesUs: Record<string, number> = {};
  for (const m of clean.matchAll(/---> percentile ([\d.]+) =\s*([\d.]+)/g)) {
    const key = String(Number(m[1]));
    percentilesUs[key] ??= Number(m[2]);
  }
  const samples: SockperfSample[] = [];
  for (const m of clean.matchAll(/^\d+, ([\d.]+), [\d.]+, ([\d.]+)$/gm)) {
    samples.push({ txS: Number(m[1]), rttUs: Number(m[2]) });
  }
  const observations = first(/Total (\d+) observations/);
  const dropped = first(/# dropped messages = (\d+)/);
  const min = first(/<MIN> observation =\s*([\d.]+)/);
  const max = first(/<MAX> observation =\s*([\d.]+)/);
  return {
    roundTrip: /--full-rtt/.test(clean) || /Round trip is/.test(clean),
    validRunTimeS: Number(valid[1]),
    sentMessages: Number(valid[2]),
    receivedMessages: Number(valid[3]),
    observations: observations === null ? 0 : Number(observations[1]),
    droppedMessages: dropped === null ? 0 : Number(dropped[1]),
    percentilesUs,
    minUs: min === null ? undefined : Number(min[1]),
    maxUs: max === null ? undefined : Number(max[1]),
    samples,
  };
}

/**
 * The samples of the last `durationS` seconds of the log: sockperf's valid duration starts after
 * its own 400 ms warm-up, and netbench runs it for warm-up + duration, so everything before the
 * final `durationS` seconds is warm-up.
 */
export function lastWindow(
  samples: readonly SockperfSample[],
  durationS: number,
): SockperfSample[] {
  const last = samples[samples.length - 1];
  if (last === undefined) return [];
  const from = last.txS - durationS;
  return samples.filter((s) => s.txS > from);
}
