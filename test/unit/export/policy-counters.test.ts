import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  parseIptablesCounters,
  parseNftCounters,
  type PolicyCounter,
} from '../../../src/platform/lab/features/policy/counters.js';
import { policyCounterDelta } from '../../../src/platform/policy-counters.js';
import { policyCountersTable } from '../../../src/report/observability-tables.js';
import { loadFixture } from '../report/fixtures.js';
import { withPolicyCounters } from './policy-counters-fixture.js';

const fixtures = new URL('../../fixtures/policy-counters/', import.meta.url).pathname;

/** The counters both fixtures hold (see test/fixtures/policy-counters/README.md). */
function expectFixtureCounters(counters: PolicyCounter[]): void {
  const find = (pod: string, direction: string, verdict: string, rule: string) =>
    counters.find(
      (c) => c.pod === pod && c.direction === direction && c.verdict === verdict && c.rule === rule,
    );
  expect(find('p1', 'egress', 'allowed', 'x/out egress[0]')).toEqual({
    node: 'node1',
    pod: 'p1',
    direction: 'egress',
    verdict: 'allowed',
    policy: 'x/out',
    rule: 'x/out egress[0]',
    packets: 5,
    bytes: 300,
  });
  expect(find('p2', 'ingress', 'dropped', 'default-deny')).toMatchObject({
    policy: 'default-deny',
    packets: 3,
  });
  expect(find('', 'established', 'allowed', 'established')?.packets).toBe(40);
  // One counter per allow rule and per drop, plus the fast path; dispatch jumps are not counted.
  expect(counters.map((c) => `${c.pod} ${c.direction} ${c.verdict} ${c.rule}`).sort()).toEqual([
    ' established allowed established',
    'p1 egress allowed x/out egress[0]',
    'p1 egress dropped default-deny',
    'p1 ingress allowed x/in ingress[0]',
    'p1 ingress allowed x/in ingress[2]',
    'p1 ingress dropped default-deny',
    'p2 ingress dropped default-deny',
  ]);
}

describe('policy counters from the kernel', () => {
  it('attributes iptables rule counters to the policy rule, the default deny or the fast path', async () => {
    const text = await readFile(`${fixtures}iptables-save.txt`, 'utf8');
    expectFixtureCounters(parseIptablesCounters('node1', text));
  });

  it('attributes nftables element and drop counters the same way', async () => {
    const json = await readFile(`${fixtures}nft-list-table.json`, 'utf8');
    expectFixtureCounters(parseNftCounters('node1', json));
  });

  it('subtracts two readings counter by counter', async () => {
    const text = await readFile(`${fixtures}iptables-save.txt`, 'utf8');
    const before = { enforcer: 'iptables', counters: parseIptablesCounters('node1', text) };
    const after = {
      enforcer: 'iptables',
      counters: before.counters.map((c) => ({
        ...c,
        packets: c.packets + 2,
        bytes: c.bytes + 100,
      })),
    };
    const delta = policyCounterDelta(before, after);
    expect(delta.counters.every((c) => c.packets === 2 && c.bytes === 100)).toBe(true);
  });
});

describe('the report table of policy verdicts', () => {
  it('sums allowed and dropped packets per trial, policy and direction over the repetitions', async () => {
    const results = withPolicyCounters(await loadFixture('datapaths'));
    const table = policyCountersTable(results)!;
    expect(table.header).toEqual([
      'trial',
      'policy',
      'direction',
      'allowed packets',
      'dropped packets',
    ]);
    const trial = results.trials[0]!;
    const want = trial.repetitions
      .filter((r) => r.status !== 'failed')
      .flatMap((r) => r.policyCounters!.counters)
      .filter((c) => c.policy === 'default-deny' && c.direction === 'ingress')
      .reduce((n, c) => n + c.packets, 0);
    const row = table.rows.find(
      (r) => r[0]!.text === trial.id && r[1]!.text === 'default-deny' && r[2]!.text === 'ingress',
    );
    expect(row?.[4]?.text).toBe(String(want));
  });

  it('is left out when no repetition has counters', async () => {
    expect(policyCountersTable(await loadFixture('datapaths'))).toBeUndefined();
  });
});
