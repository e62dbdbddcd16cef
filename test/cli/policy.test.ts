import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli-context.js';
import { binPath } from '../helpers/lab.js';

const fixtures = new URL('../fixtures/policy/', import.meta.url).pathname;
const model = `${fixtures}e2e-model.yaml`;
const policies = `${fixtures}e2e-policies.yaml`;

/** `netbench policy evaluate` on the e2e model and policies, with `args` added. */
function evaluateE2e(args: string[]): ReturnType<typeof cli> {
  return cli(['policy', 'evaluate', '--model', model, '--policies', policies, ...args]);
}

function tempFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'netbench-policy-cli-'));
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

interface VerdictJson {
  from: string;
  to: string;
  port: number;
  protocol: string;
  allowed: boolean;
  self?: boolean;
  reason: string;
}

describe('netbench policy evaluate', () => {
  it('prints the JSON contract: every ordered pair on each declared port, self pairs marked', async () => {
    const r = await evaluateE2e(['--json']);
    expect(r.exitCode).toBe(0);
    const out = JSON.parse(r.stdout) as { verdicts: VerdictJson[] };
    expect(Object.keys(out)).toEqual(['verdicts']);
    // 9 pods × 9 pods × 6 declared ports (80/81 over TCP, UDP, SCTP).
    expect(out.verdicts).toHaveLength(486);
    const first = out.verdicts[0]!;
    expect(Object.keys(first)).toEqual([
      'from',
      'to',
      'port',
      'protocol',
      'allowed',
      'self',
      'reason',
    ]);
    expect(first).toMatchObject({
      from: 'x/a',
      to: 'x/a',
      port: 80,
      protocol: 'TCP',
      allowed: true,
      self: true,
    });
    const other = out.verdicts.find(
      (v) => v.from === 'y/a' && v.to === 'x/a' && v.protocol === 'UDP' && v.port === 80,
    )!;
    expect(Object.keys(other)).toEqual(['from', 'to', 'port', 'protocol', 'allowed', 'reason']);
    expect(other.allowed).toBe(false);
    expect(other.reason).toContain(
      'ingress to x/a: isolated by x/default-deny-ingress, x/a-admits-y-and-neighbours',
    );
    expect(out.verdicts.filter((v) => v.self === true)).toHaveLength(54);
  });

  it('probes the given ports and protocols on every pod with --ports and --protocols', async () => {
    const r = await evaluateE2e(['--ports', '81,443', '--protocols', 'udp', '--json']);
    const out = JSON.parse(r.stdout) as { verdicts: VerdictJson[] };
    expect(new Set(out.verdicts.map((v) => `${v.protocol}/${v.port}`))).toEqual(
      new Set(['UDP/81', 'UDP/443']),
    );
    expect(out.verdicts).toHaveLength(162);
  });

  it('prints one truth table per port and protocol, and reasons with --explain', async () => {
    const r = await evaluateE2e(['--ports', '80', '--protocols', 'TCP', '--explain']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('9 pods, 6 policies, 81 connections on TCP/80: 57 denied');
    expect(r.stdout).toContain('TCP/80: 57 of 81 connections denied');
    expect(r.stdout).toMatch(/from\\to\s+x\/a\s+x\/b/);
    expect(r.stdout).toContain(
      'y/c → y/a TCP/80: denied — egress from y/c: isolated by y/c-egress-node1-only',
    );
  });

  it('rejects invalid policies with exit 3, naming file, line, document, path and value', async () => {
    const bad = tempFile(
      'bad.yaml',
      [
        'apiVersion: networking.k8s.io/v1',
        'kind: NetworkPolicy',
        'metadata: { name: bad, namespace: x }',
        'spec:',
        '  ingress:',
        '    - from: [{ ipBlock: { cidr: 10.0.0.0/8, except: [11.0.0.0/8] }, podSelector: {} }]',
        '      ports: [{ port: 80, endPort: 79 }, { port: 70000 }]',
      ].join('\n'),
    );
    const r = await cli(['policy', 'evaluate', '--model', model, '--policies', bad]);
    expect(r.exitCode).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('error NB_POLICY_INVALID');
    expect(r.stderr).toContain(
      `${bad}:6: document 1 (x/bad) spec.ingress[0].from[0]: ipBlock may not be combined`,
    );
    expect(r.stderr).toContain(
      `${bad}:7: document 1 (x/bad) spec.ingress[0].ports[0].endPort: endPort 79 is below port 80`,
    );
    expect(r.stderr).toContain('port 70000 is not between 1 and 65535');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('prints the error as JSON on stdout too with --json', async () => {
    const bad = tempFile(
      'bad.yaml',
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: p }\nspec: { podSelectr: {} }\n',
    );
    const r = await cli(['policy', 'evaluate', '--model', model, '--policies', bad, '--json']);
    expect(r.exitCode).toBe(3);
    const out = JSON.parse(r.stdout) as { error: { code: string; problems: { path: string }[] } };
    expect(out.error.code).toBe('NB_POLICY_INVALID');
    expect(out.error.problems[0]!.path).toBe('document 1 (p) spec.podSelectr');
  });

  it('points model errors at the model file', async () => {
    const badModel = tempFile(
      'model.yaml',
      'namespaces: [{ name: x }]\npods:\n  - { namespace: y, name: a }\n',
    );
    const r = await cli(['policy', 'evaluate', '--model', badModel, '--policies', policies]);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain(
      `${badModel}:3: pods[0].namespace: namespace "y" of pod y/a is not declared`,
    );
  });

  it('warns on stderr when pods without an address meet ipBlocks, or policies sit outside the model', async () => {
    const m = tempFile(
      'model.yaml',
      'namespaces: [{ name: x }]\npods: [{ namespace: x, name: a, ports: [{ port: 80 }] }]\n',
    );
    const p = tempFile(
      'p.yaml',
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: p, namespace: q }\nspec:\n  ingress: [{ from: [{ ipBlock: { cidr: 10.0.0.0/8 } }] }]\n',
    );
    const r = await cli(['policy', 'evaluate', '--model', m, '--policies', p, '--json']);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain('warning: pods without ip never match an ipBlock: x/a');
    expect(r.stderr).toContain(
      'warning: policies in namespace q select nothing: the model has no such namespace',
    );
  });

  it('rejects bad flags with exit 2 and a hint', async () => {
    const ports = await evaluateE2e(['--ports', '80,0']);
    expect(ports.exitCode).toBe(2);
    expect(ports.stderr).toContain('--ports: "0" is not a port or a port range');
    const protocols = await evaluateE2e(['--protocols', 'tcp,stcp']);
    expect(protocols.exitCode).toBe(2);
    expect(protocols.stderr).toContain('"STCP" is not a protocol');
    expect(protocols.stderr).toContain('expected one of: TCP, UDP, SCTP');
  });

  it('says a missing file is missing', async () => {
    const r = await cli(['policy', 'evaluate', '--model', model, '--policies', 'nope.yaml']);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain('NB_FILE_NOT_FOUND');
  });

  it('runs as the built binary with the same JSON', () => {
    const r = spawnSync(
      process.execPath,
      [
        binPath,
        'policy',
        'evaluate',
        '--model',
        model,
        '--policies',
        policies,
        '--ports',
        '80',
        '--protocols',
        'TCP',
        '--json',
      ],
      {
        encoding: 'utf8',
      },
    );
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as { verdicts: unknown[] }).verdicts).toHaveLength(81);
  });
});

describe('netbench policy lint', () => {
  it('lists findings and passes without --strict when there are only warnings', async () => {
    const r = await cli([
      'policy',
      'lint',
      '--policies',
      policies,
      '--model',
      model,
      '--pod-cidr',
      '10.244.0.0/16',
    ]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(
      'warning [no-default-deny] namespace y: no policy isolates every pod of y for ingress',
    );
    expect(r.stdout).toContain(
      'warning [ipblock-overlaps-pods] y/c-egress-node1-only egress[0].to[0]',
    );
    expect(r.stdout).toContain(
      'warning [egress-without-dns] y/c: isolated for egress by y/c-egress-node1-only',
    );
    expect(r.stdout).toMatch(/6 policies: 0 errors, \d+ warnings/);
  });

  it('fails with exit 5 on warnings under --strict, and on errors always', async () => {
    const strict = await cli([
      'policy',
      'lint',
      '--policies',
      policies,
      '--model',
      model,
      '--strict',
    ]);
    expect(strict.exitCode).toBe(5);
    expect(strict.stderr).toContain('NB_POLICY_LINT_FAILED');
    const flannel = await cli([
      'policy',
      'lint',
      '--policies',
      policies,
      '--cni',
      'flannel',
      '--json',
    ]);
    expect(flannel.exitCode).toBe(5);
    const out = JSON.parse(flannel.stdout) as {
      findings: { rule: string; severity: string }[];
      skipped: string[];
    };
    expect(out.findings[0]).toMatchObject({ rule: 'cni-does-not-enforce', severity: 'error' });
    expect(out.skipped).toEqual(['selects-no-pods and per-pod egress-without-dns need --model']);
  });
});
