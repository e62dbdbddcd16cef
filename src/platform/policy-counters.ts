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
