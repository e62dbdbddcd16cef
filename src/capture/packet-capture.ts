/**
 * A bounded packet capture for one repetition (`run --capture`): tcpdump in the client pod's
 * network namespace, on all of its interfaces, for the first seconds of the repetition. Bounded
 * three ways: packets (`-c`), bytes per packet (`-s`, headers and the start of the payload),
 * hence the file size (at most packets × (snaplen + 16) + 24 bytes, the pcap record and file
 * headers), and time (stopped after `maxDurationS` or when the repetition ends, whichever is
 * first).
 */
import { stat } from 'node:fs/promises';
import { NetbenchError } from '../core/errors.js';
import type { Clock } from '../core/clock.js';
import type { RunningProcess } from '../core/process-runner.js';
import type { Environment } from '../platform/platform.js';
import type { CaptureRecord } from '../results/schema.js';

/** Caps of every capture. */
export interface CaptureOptions {
  /** Packets written at most. @default 10000 */
  maxPackets: number;
  /** Bytes kept of each packet (tcpdump -s). @default 128 */
  snaplenBytes: number;
  /**
   * Seconds from the start of the repetition, the agents' start-up included (a second or two
   * before traffic flows). @default 30
   */
  maxDurationS: number;
}

export const defaultCaptureOptions: CaptureOptions = {
  maxPackets: 10_000,
  snaplenBytes: 128,
  maxDurationS: 30,
};

/** pcap file header and per-record header sizes (libpcap format). */
const pcapFileHeaderBytes = 24;
const pcapRecordHeaderBytes = 16;

export function captureSizeBoundBytes(o: CaptureOptions): number {
  return pcapFileHeaderBytes + o.maxPackets * (o.snaplenBytes + pcapRecordHeaderBytes);
}

/** tcpdump's "N packets captured" line at exit. */
export function parseCapturedPackets(stderr: string): number | undefined {
  const m = /(\d+) packets? captured/.exec(stderr);
  return m === null ? undefined : Number(m[1]);
}

export interface RunningCapture {
  /** Stops tcpdump (if still running) and describes the file. */
  stop(): Promise<CaptureRecord>;
}

export async function startCapture(o: {
  environment: Environment;
  pod: string;
  /** Absolute path of the pcap file (its directory exists). */
  path: string;
  /** The path as recorded in results.json (relative to the results directory). */
  recordedPath: string;
  options: CaptureOptions;
  clock: Clock;
}): Promise<RunningCapture> {
  const argv = [
    'tcpdump',
    '-i',
    'any',
    '-n',
    '-U',
    '-s',
    String(o.options.snaplenBytes),
    '-c',
    String(o.options.maxPackets),
    '-w',
    o.path,
  ];
  const p: RunningProcess = await o.environment.start(o.pod, { kind: 'program', argv });
  let stderr = '';
  p.stdout.resume();
  const listening = new Promise<void>((resolve) => {
    p.stderr.on('data', (b: Buffer) => {
      stderr += b.toString('utf8');
      if (/listening on/.test(stderr)) resolve();
    });
  });
  const started = await Promise.race([
    listening.then(() => 'listening' as const),
    p.exited.then(() => 'exited' as const),
    o.clock.sleep(10_000).then(() => 'timeout' as const),
  ]);
  if (started !== 'listening') {
    p.kill('SIGKILL');
    throw new NetbenchError(
      'NB_CAPTURE_FAILED',
      `tcpdump did not start in pod ${o.pod}: ${stderr.trim().split('\n').slice(-2).join(' | ') || started}`,
      { hint: 'install tcpdump (Debian: tcpdump); the lab runs it as root in the pod namespace' },
    );
  }
  const timer = setTimeout(() => p.kill('SIGTERM'), o.options.maxDurationS * 1000);
  return {
    async stop() {
      clearTimeout(timer);
      p.kill('SIGTERM');
      await p.exited;
      const bytes = await stat(o.path).then(
        (s) => s.size,
        () => 0,
      );
      return {
        file: o.recordedPath,
        interface: 'any',
        packets: parseCapturedPackets(stderr) ?? 0,
        bytes,
        maxPackets: o.options.maxPackets,
        maxBytes: captureSizeBoundBytes(o.options),
        maxDurationS: o.options.maxDurationS,
      };
    },
  };
}
