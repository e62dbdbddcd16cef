import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { streamLines } from '../../src/cli/commands/policy-stream.js';
import { cli } from '../helpers/cli-context.js';

const fixtures = new URL('../fixtures/policy/', import.meta.url).pathname;
const model = `${fixtures}e2e-model.yaml`;
const policies = `${fixtures}e2e-policies.yaml`;

function evaluateE2e(args: string[]): ReturnType<typeof cli> {
  return cli(['policy', 'evaluate', '--model', model, '--policies', policies, ...args]);
}

function tempFile(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'netbench-policy-formats-')), name);
  writeFileSync(path, text);
  return path;
}

interface Line {
  from: string;
  to: string;
  port: number;
  protocol: string;
  allowed: boolean;
  self?: boolean;
  reason?: string;
}

describe('netbench policy evaluate output formats', () => {
  it('prints one verdict per line with --format ndjson, the same verdicts as --json', async () => {
    const json = JSON.parse((await evaluateE2e(['--json'])).stdout) as { verdicts: Line[] };
    const r = await evaluateE2e(['--format', 'ndjson']);
    const lines = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Line);
    expect(lines).toHaveLength(486);
    expect(lines).toEqual(json.verdicts.map(({ reason: _reason, ...v }) => v));
  });

  it('explains only the asked pair with --explain FROM TO', async () => {
    const r = await evaluateE2e(['--format', 'ndjson', '--explain', 'y/c', 'y/a']);
    const explained = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Line)
      .filter((v) => v.reason !== undefined);
    expect(explained.map((v) => `${v.from}>${v.to}`)).toEqual(Array(6).fill('y/c>y/a'));
    expect(explained[0]!.reason).toContain('egress from y/c: isolated by y/c-egress-node1-only');
  });

  it('rejects --explain with an unknown pod, suggesting the closest', async () => {
    const r = await evaluateE2e(['--explain', 'y/c', 'y/aa']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('--explain: no pod y/aa in the input');
  });

  it('prints the compact matrix: destinations once, one character per connection', async () => {
    const r = await evaluateE2e(['--format', 'matrix', '--ports', '80', '--protocols', 'TCP']);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('# TCP/80 destinations: x/a x/b x/c y/a y/b y/c z/a z/b z/c');
    expect(lines.slice(1)).toHaveLength(9);
    expect(lines[1]).toBe('x/a .XX...XXX');
    // The matrix says what the JSON says, cell by cell.
    const json = JSON.parse(
      (await evaluateE2e(['--json', '--ports', '80', '--protocols', 'TCP'])).stdout,
    ) as { verdicts: Line[] };
    const cells = lines.slice(1).flatMap((l) => [...l.split(' ')[1]!]);
    expect(cells).toEqual(json.verdicts.map((v) => (v.allowed ? '.' : 'X')));
  });

  it('prints the summary first: namespace pairs with the policies that allow and deny', async () => {
    const r = await evaluateE2e(['--format', 'summary', '--ports', '80', '--protocols', 'TCP']);
    const s = JSON.parse(r.stdout) as {
      connections: number;
      denied: number;
      unisolated: string[];
      namespacePairs: { from: string; to: string; denied: number; deniedBy: string[] }[];
    };
    expect(s).toMatchObject({ connections: 81, denied: 57, unisolated: ['y/a'] });
    expect(s.namespacePairs.find((p) => p.from === 'x' && p.to === 'z')).toMatchObject({
      denied: 9,
      deniedBy: ['z/default-deny-all', 'z/a-admits-sctp-80'],
    });
    const text = await evaluateE2e(['--ports', '80', '--protocols', 'TCP']);
    expect(text.stdout.indexOf('from  to  connections')).toBeLessThan(
      text.stdout.indexOf('TCP/80: 57 of 81'),
    );
  });
});

describe('writing verdicts as a stream', () => {
  it('waits for drain when the reader is slow, so the buffered bytes stay bounded', async () => {
    const highWaterMark = 16 * 1024;
    let received = '';
    let maxBuffered = 0;
    const slow = new Writable({
      highWaterMark,
      write(chunk: Buffer, _encoding, done) {
        received += chunk.toString();
        setImmediate(done);
      },
    });
    const write = slow.write.bind(slow);
    const stream = Object.assign(slow, {
      write: (s: string) => {
        const ok = write(s);
        maxBuffered = Math.max(maxBuffered, slow.writableLength);
        return ok;
      },
    });
    const lines = Array.from({ length: 20_000 }, (_, i) => `{"n":${i},"pad":"${'x'.repeat(40)}"}`);
    const count = await streamLines(stream, lines, { prefix: '[', separator: ',', suffix: ']\n' });
    await new Promise<void>((resolve) => slow.end(resolve));
    expect(count).toBe(20_000);
    expect((JSON.parse(received) as { n: number }[]).map((x) => x.n)).toEqual(
      lines.map((_, i) => i),
    );
    // One chunk (64 KiB) over the mark at most: the writer never ran ahead of the reader.
    expect(maxBuffered).toBeLessThanOrEqual(highWaterMark + 70 * 1024);
    expect(received.length).toBeGreaterThan(10 * maxBuffered);
  });
});

describe('netbench policy diff', () => {
  const base = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n';
  const denyZ = `${base}metadata: { name: deny, namespace: z }\nspec: { podSelector: {}, policyTypes: [Ingress] }\n`;
  const admitX = `---\n${base}metadata: { name: admit-x, namespace: z }\nspec:\n  podSelector: { matchLabels: { pod: a } }\n  ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns: x } } }], ports: [{ port: 80 }] }]\n`;
  const diff = (oldText: string, newText: string, args: string[] = []) =>
    cli([
      'policy',
      'diff',
      '--model',
      model,
      '--policies',
      tempFile('old.yaml', oldText),
      '--policies-new',
      tempFile('new.yaml', newText),
      '--ports',
      '80',
      '--protocols',
      'TCP',
      ...args,
    ]);

  it('reports the connections a change opens, and exits 5 for CI', async () => {
    const r = await diff(denyZ, denyZ + admitX);
    expect(r.exitCode).toBe(5);
    expect(r.stdout).toContain('81 connections: 3 opened, 0 closed');
    expect(r.stdout).toContain('x/a → z/a TCP/80');
    expect(r.stderr).toContain('error NB_POLICY_DIFF_OPENS: the change opens 3 connections');
  });

  it('exits 0 on opened connections with --allow-opening', async () => {
    const r = await diff(denyZ, denyZ + admitX, ['--allow-opening']);
    expect(r.exitCode).toBe(0);
  });

  it('reports closed connections, with both reasons in JSON, and exits 0', async () => {
    const r = await diff(denyZ + admitX, denyZ, ['--json']);
    expect(r.exitCode).toBe(0);
    const out = JSON.parse(r.stdout) as {
      summary: { opened: number; closed: number; namespacePairs: unknown[] };
      changes: { change: string; from: string; to: string; before: string; after: string }[];
    };
    expect(out.summary).toMatchObject({
      opened: 0,
      closed: 3,
      namespacePairs: [{ from: 'x', to: 'z', opened: 0, closed: 3 }],
    });
    expect(out.changes.map((c) => `${c.change} ${c.from}>${c.to}`)).toEqual([
      'closed x/a>z/a',
      'closed x/b>z/a',
      'closed x/c>z/a',
    ]);
    expect(out.changes[0]!.before).toContain('allowed by z/admit-x ingress[0]');
    expect(out.changes[0]!.after).toContain('isolated by z/deny');
  });

  it('compares two kubectl dumps of the same cluster', async () => {
    const dump = `${fixtures}kubectl-dump.yaml`;
    const r = await cli(['policy', 'diff', '--from-file', dump, '--from-file-new', dump]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('5 pods compared');
    expect(r.stdout).toContain('0 opened, 0 closed');
  });

  it('needs something to compare with', async () => {
    const r = await cli(['policy', 'diff', '--model', model, '--policies', policies]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('nothing to compare with');
  });
});
