/**
 * Policy counters as platforms report them (`Environment.readPolicyCounters`): cumulative since
 * the rules were loaded, so what happened during a repetition or a probe is the difference of
 * two readings.
 */
import type { PolicyCounters } from '../results/schema.js';

type PolicyCounter = PolicyCounters['counters'][number];

/** What was counted between two readings of the same rules (`after − before`, per counter). */
export function policyCounterDelta(before: PolicyCounters, after: PolicyCounters): PolicyCounters {
  const key = (c: PolicyCounter): string =>
    `${c.node}|${c.pod}|${c.direction}|${c.verdict}|${c.rule}`;
  const start = new Map(before.counters.map((c) => [key(c), c]));
  return {
    enforcer: after.enforcer,
    counters: after.counters.map((c) => {
      const b = start.get(key(c));
      return { ...c, packets: c.packets - (b?.packets ?? 0), bytes: c.bytes - (b?.bytes ?? 0) };
    }),
  };
}

/**
 * Runs `during` and returns what the environment's policy enforcer counted meanwhile (undefined
 * when the environment cannot read counters): for `policy verify`, which rule allowed each
 * probe and which default deny dropped it.
 */
export async function countPolicyVerdicts<T>(
  env: { readPolicyCounters?: () => Promise<PolicyCounters> },
  during: () => Promise<T>,
): Promise<{ result: T; counters: PolicyCounters | undefined }> {
  const before = await env.readPolicyCounters?.();
  const result = await during();
  const after = before === undefined ? undefined : await env.readPolicyCounters?.();
  return {
    result,
    counters:
      before === undefined || after === undefined ? undefined : policyCounterDelta(before, after),
  };
}
