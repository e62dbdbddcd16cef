/**
 * Policy enforcement in the lab, end to end: `policy verify` builds the e2e model (9 pods on two
 * nodes), enforces the fixture policies with each enforcer and probes every pair on 80 and 81
 * over TCP, UDP and SCTP; with no enforcer it must report the mismatches; and `netbench run`
 * with the policy dimension records what it programmed while the benchmark traffic still passes.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli-context.js';
import { assertRoot, namespacesOf } from '../helpers/lab.js';

const fixtures = new URL('../fixtures/policy/', import.meta.url).pathname;
const model = `${fixtures}e2e-model.yaml`;
const policies = `${fixtures}e2e-policies.yaml`;

/** `netbench policy verify` on the e2e model and policies, with `args` added. */
function verifyE2e(args: string[]): ReturnType<typeof cli> {
  return cli(['policy', 'verify', '--model', model, '--policies', policies, ...args]);
}

interface VerifyJson {
  runId: string;
  enforcer: string;
  policy?: { enforcer: string; programmedRules: number; programmingMs: number; tool: string };
  sctp?: { kernelStack: boolean; method: string };
  policyCounters?: {
    enforcer: string;
    counters: { policy: string; verdict: 'allowed' | 'dropped'; packets: number }[];
  };
  results: {
    from: string;
    to: string;
    protocol: string;
    expected: boolean;
    observed: boolean;
    match: boolean;
  }[];
  mismatches: number;
}

describe('policy enforcement in the lab', () => {
  beforeAll(() => assertRoot());

  for (const enforcer of ['iptables', 'nftables']) {
    it(`verifies the e2e model with the ${enforcer} enforcer: every probe as the evaluator expects`, async () => {
      const r = await verifyE2e(['--enforcer', enforcer, '--json']);
      expect(r.stderr).not.toContain('NB_');
      expect(r.exitCode).toBe(0);
      const out = JSON.parse(r.stdout) as VerifyJson;
      expect(out.mismatches).toBe(0);
      expect(out.results).toHaveLength(486);
      // The fixture denies and allows on every protocol: both outcomes were observed.
      for (const protocol of ['TCP', 'UDP', 'SCTP']) {
        const mine = out.results.filter((x) => x.protocol === protocol);
        expect(mine.some((x) => x.observed)).toBe(true);
        expect(mine.some((x) => !x.observed)).toBe(true);
      }
      expect(out.policy).toMatchObject({ enforcer });
      expect(out.policy!.programmedRules).toBeGreaterThan(0);
      expect(out.sctp?.method).toBe('raw-init-one-way');
      // The enforcer's own counters: the probes were allowed by policy rules and dropped by
      // default denies, as the kernel counted them.
      const counted = (verdict: 'allowed' | 'dropped'): number =>
        (out.policyCounters?.counters ?? [])
          .filter((c) => c.verdict === verdict)
          .reduce((a, c) => a + c.packets, 0);
      expect(out.policyCounters?.enforcer).toBe(enforcer);
      expect(counted('allowed')).toBeGreaterThan(0);
      expect(counted('dropped')).toBeGreaterThan(0);
      expect(await namespacesOf(out.runId)).toEqual([]);
    });
  }

  it('reports every mismatch and exits 7 when nothing enforces the policies (a CNI like Flannel)', async () => {
    const r = await verifyE2e(['--enforcer', 'none', '--ports', '80', '--protocols', 'TCP']);
    expect(r.exitCode).toBe(7);
    expect(r.stderr).toContain(
      'error NB_POLICY_MISMATCH: 57 of 81 probes disagree with the policies',
    );
    expect(r.stdout).toContain('MISMATCH z/c → y/b TCP/80: expected denied, observed allowed');
    expect(r.stdout).toContain('no enforcer: policies are not enforced');
    const runId = /policy verify ([a-z0-9]+):/.exec(r.stdout)?.[1];
    expect(runId).toBeDefined();
    expect(await namespacesOf(runId!)).toEqual([]);
  });

  it('runs the benchmark under default-deny-allow and scale-N, recording what was programmed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netbench-policy-run-'));
    const scenario = join(dir, 'policy.yaml');
    writeFileSync(
      scenario,
      [
        'name: policy-lab-test',
        'repetitions: 1',
        'warmup: 0.2s',
        'duration: 1s',
        'matrix:',
        '  rate: 200',
        '  connections: 2',
        '  datapath: routed',
        '  placement: cross-node',
        'include:',
        '  - { policy: default-deny-allow, enforcer: iptables }',
        '  - { policy: scale-200, enforcer: nftables }',
        'exclude:',
        '  - { policy: "off" }',
      ].join('\n'),
    );
    const r = await cli(['run', scenario, '--out', join(dir, 'out'), '--quiet', '--json']);
    expect(r.stderr).not.toContain('error');
    expect(r.exitCode).toBe(0);
    const results = JSON.parse(readFileSync(join(dir, 'out', 'results.json'), 'utf8')) as {
      runId: string;
      trials: {
        id: string;
        datapath?: {
          policy?: { enforcer: string; label: string; allowEntries: number; programmingMs: number };
        };
        repetitions: { status: string; errors?: number; requests?: { completed: number } }[];
      }[];
    };
    expect(results.trials.map((t) => t.id)).toEqual([
      'default-deny-allow/iptables',
      'scale-200/nftables',
    ]);
    for (const t of results.trials) {
      const rep = t.repetitions[0]!;
      expect(rep.status).not.toBe('failed');
      expect(rep.errors).toBe(0);
      expect(rep.requests!.completed).toBeGreaterThan(0);
    }
    expect(results.trials[0]!.datapath!.policy).toMatchObject({
      enforcer: 'iptables',
      label: 'default-deny-allow',
    });
    expect(results.trials[1]!.datapath!.policy).toMatchObject({
      enforcer: 'nftables',
      label: 'scale-200',
      allowEntries: 202,
    });
    expect(await namespacesOf(results.runId)).toEqual([]);
  });
});
