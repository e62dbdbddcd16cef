/**
 * The source side of `policy verify`, run in a pod by the netbench agent: a TCP connect, a UDP
 * request waiting for its echo, or a crafted SCTP INIT (one way, via socat) per target, all
 * concurrently with a short timeout. A TCP RST or an ICMP port-unreachable counts as reached:
 * the packet crossed the filters.
 */
import { createSocket } from 'node:dgram';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProcessRunner } from '../../core/process-runner.js';
import { buildSctpProbe, sctpProtocolNumber } from './sctp-packet.js';

export interface ProbeTarget {
  id: number;
  ip: string;
  port: number;
  protocol: 'TCP' | 'UDP' | 'SCTP';
}

export interface ProbeOutcome {
  id: number;
  /** TCP/UDP: a reply came back. SCTP: sent (arrival is observed at the destination). */
  reached: boolean;
  /** `connected`, `refused`, `echo`, `timeout`, `sent`, or an error code. */
  detail: string;
  elapsedMs: number;
}

function probeTcp(t: ProbeTarget, timeoutMs: number): Promise<ProbeOutcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = connect({ host: t.ip, port: t.port });
    const done = (reached: boolean, detail: string): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ id: t.id, reached, detail, elapsedMs: performance.now() - started });
    };
    const timer = setTimeout(() => done(false, 'timeout'), timeoutMs);
    socket.once('connect', () => done(true, 'connected'));
    socket.once('error', (e: NodeJS.ErrnoException) =>
      done(
        e.code === 'ECONNREFUSED',
        e.code === 'ECONNREFUSED' ? 'refused' : (e.code ?? e.message),
      ),
    );
  });
}

function probeUdp(t: ProbeTarget, timeoutMs: number): Promise<ProbeOutcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    const payload = Buffer.from(`netbench-probe ${t.id}`);
    let settled = false;
    const done = (reached: boolean, detail: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.close();
      resolve({ id: t.id, reached, detail, elapsedMs: performance.now() - started });
    };
    const timer = setTimeout(() => done(false, 'timeout'), timeoutMs);
    socket.on('message', (msg) => {
      if (msg.equals(payload)) done(true, 'echo');
    });
    socket.on('error', (e: NodeJS.ErrnoException) =>
      done(
        e.code === 'ECONNREFUSED',
        e.code === 'ECONNREFUSED' ? 'refused' : (e.code ?? e.message),
      ),
    );
    socket.connect(t.port, t.ip, () => socket.send(payload));
  });
}

async function probeSctp(t: ProbeTarget, dir: string): Promise<ProbeOutcome> {
  const started = performance.now();
  // The packet goes through a file: the process runner's stdin carries text, not bytes.
  const file = join(dir, `probe-${t.id}.bin`);
  await writeFile(file, buildSctpProbe(t.id, 30000 + (t.id % 30000), t.port));
  const r = await createProcessRunner().run({
    argv: ['socat', '-u', `OPEN:${file},rdonly`, `IP4-SENDTO:${t.ip}:${sctpProtocolNumber}`],
    timeoutMs: 10_000,
    allowFailure: true,
  });
  const detail =
    r.exitCode === 0 ? 'sent' : `send failed: ${r.stderr.trim().split('\n').pop() ?? r.exitCode}`;
  return { id: t.id, reached: r.exitCode === 0, detail, elapsedMs: performance.now() - started };
}

/** Runs every probe, at most `concurrency` at a time; results in target order. */
export async function runProbes(
  targets: readonly ProbeTarget[],
  timeoutMs: number,
  concurrency: number,
): Promise<ProbeOutcome[]> {
  const results: ProbeOutcome[] = new Array<ProbeOutcome>(targets.length);
  const dir = targets.some((t) => t.protocol === 'SCTP')
    ? await mkdtemp(join(tmpdir(), 'netbench-sctp-'))
    : '';
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < targets.length) {
      const i = next++;
      const t = targets[i]!;
      results[i] =
        t.protocol === 'TCP'
          ? await probeTcp(t, timeoutMs)
          : t.protocol === 'UDP'
            ? await probeUdp(t, timeoutMs)
            : await probeSctp(t, dir);
    }
  };
  try {
    await Promise.all(
      Array.from({ length: Math.max(1, Math.min(concurrency, targets.length)) }, worker),
    );
  } finally {
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  }
  return results;
}
