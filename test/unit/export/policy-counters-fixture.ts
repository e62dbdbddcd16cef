/**
 * SYNTHETIC policy counters for export and report tests (no recorded run has them yet): every
 * valid repetition gets the counters a default-deny-allow trial would show, from a seeded RNG.
 */
import type { Results } from '../../../src/results/schema.js';
import { createRandom } from '../../../src/stats/random.js';

export function withPolicyCounters(results: Results, seed = 7): Results {
  const random = createRandom(seed);
  const copy = structuredClone(results);
  for (const t of copy.trials) {
    for (const r of t.repetitions) {
      if (r.status === 'failed') continue;
      const allowed = 1000 + Math.floor(random() * 1000);
      r.policyCounters = {
        enforcer: 'nftables',
        counters: [
          {
            node: 'node1',
            pod: 'client',
            direction: 'egress',
            verdict: 'allowed',
            policy: 'default/client-egress',
            rule: 'default/client-egress egress[0]',
            packets: allowed,
            bytes: allowed * 60,
          },
          {
            node: 'node1',
            pod: 'server',
            direction: 'ingress',
            verdict: 'dropped',
            policy: 'default-deny',
            rule: 'default-deny',
            packets: Math.floor(random() * 10),
            bytes: 0,
          },
          {
            node: 'node1',
            pod: 'client',
            direction: 'egress',
            verdict: 'dropped',
            policy: 'default-deny',
            rule: 'default-deny',
            packets: Math.floor(random() * 5),
            bytes: 0,
          },
        ],
      };
    }
  }
  return copy;
}
