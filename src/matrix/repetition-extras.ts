/**
 * What the runner records around a repetition besides the workload's own figures: the policy
 * enforcer's counters over the repetition (when the environment can read them) and, with
 * `run --capture`, a bounded pcap of the client pod. Started before the workload, finished
 * after it, abandoned (capture stopped, nothing recorded) when the repetition fails.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  startCapture,
  type CaptureOptions,
  type RunningCapture,
} from '../capture/packet-capture.js';
import type { Clock } from '../core/clock.js';
import { policyCounterDelta } from '../platform/policy-counters.js';
import type { Environment } from '../platform/platform.js';
import type { RepetitionRecord } from '../results/schema.js';

export interface RepetitionExtrasOptions {
  /** Capture the client pod's packets (`run --capture`); absent: no capture. */
  capture?: CaptureOptions;
  /** Results directory; captures go to `captures/` in it. */
  outDir: string;
  clock: Clock;
}

export interface RepetitionExtras {
  finish(): Promise<Pick<RepetitionRecord, 'policyCounters' | 'capture'>>;
  abandon(): Promise<void>;
}

/** `vxlan/cross-node`, repetition 1 → `vxlan_cross-node-r1.pcap`. */
export function captureFileName(trialId: string, repetition: number): string {
  return `${trialId.replace(/[^A-Za-z0-9._-]+/g, '_')}-r${repetition}.pcap`;
}

export async function startRepetitionExtras(
  env: Environment,
  at: { trialId: string; repetition: number },
  o: RepetitionExtrasOptions,
): Promise<RepetitionExtras> {
  const before = await env.readPolicyCounters?.();
  let capture: RunningCapture | undefined;
  if (o.capture !== undefined) {
    const file = captureFileName(at.trialId, at.repetition);
    await mkdir(join(o.outDir, 'captures'), { recursive: true });
    capture = await startCapture({
      environment: env,
      pod: 'client',
      path: join(o.outDir, 'captures', file),
      recordedPath: `captures/${file}`,
      options: o.capture,
      clock: o.clock,
    });
  }
  return {
    async finish() {
      const captured = await capture?.stop();
      const after = before === undefined ? undefined : await env.readPolicyCounters?.();
      return {
        ...(before === undefined || after === undefined
          ? {}
          : { policyCounters: policyCounterDelta(before, after) }),
        ...(captured === undefined ? {} : { capture: captured }),
      };
    },
    async abandon() {
      await capture?.stop().catch(() => undefined);
    },
  };
}
