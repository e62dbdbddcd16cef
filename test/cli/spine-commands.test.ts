import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli-context.js';
import { binPath, repoRoot } from '../helpers/lab.js';

const fiveMistakes = 'test/fixtures/scenarios/five-mistakes.yaml';

describe('netbench validate', () => {
  it('lists all five mistakes of a file with their paths and lines, and exits 3', async () => {
    const r = await cli(['validate', fiveMistakes], { cwd: repoRoot });
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain('error NB_SPEC_INVALID');
    expect(r.stderr).toContain('has 5 problems');
    for (const fragment of [
      `${fiveMistakes}:1: name:`,
      `${fiveMistakes}:3: warmup: duration "2 seconds"`,
      `${fiveMistakes}:5: matrix.datapath[1]: "vxlam"`,
      `${fiveMistakes}:6: matrix.rate: rate "1k/s"`,
      `${fiveMistakes}:7: matrix.conections: unknown key`,
    ]) {
      expect(r.stderr).toContain(fragment);
    }
    expect(r.stderr).toContain('did you mean "vxlan"?');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace for a user mistake
  });

  it('prints the problems as JSON on stdout with --json', async () => {
    const r = await cli(['validate', fiveMistakes, '--json'], { cwd: repoRoot });
    expect(r.exitCode).toBe(3);
    const out = JSON.parse(r.stdout) as {
      valid: boolean;
      code: string;
      problems: { line: number }[];
    };
    expect(out.valid).toBe(false);
    expect(out.code).toBe('NB_SPEC_INVALID');
    expect(out.problems.map((p) => p.line)).toEqual([1, 3, 5, 6, 7]);
  });

  it('accepts the shipped examples', async () => {
    const r = await cli(['validate', 'examples/quick.yaml'], { cwd: repoRoot });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('valid (3 trials × 2 repetitions)');
  });

  it('names a missing file and exits 3', async () => {
    const r = await cli(['validate', 'nope.yaml'], { cwd: repoRoot });
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain('NB_FILE_NOT_FOUND');
    expect(r.stderr).toContain('nope.yaml');
  });
});

describe('netbench plan', () => {
  it('lists the default scenario trials without creating anything', async () => {
    const r = await cli(['plan', '--seed', '3'], { cwd: repoRoot });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('bridge/same-node');
    expect(r.stdout).toContain('vxlan/cross-node');
    expect(r.stdout).toContain('routed/cross-node');
    expect(r.stdout).toContain('4 trials, repetitions auto');
    expect(r.stdout).toContain('within ±5% or the 240s budget is spent');
  });

  it('prints the plan and its interleaved order as JSON', async () => {
    const r = await cli(['plan', 'examples/quick.yaml', '--json'], { cwd: repoRoot });
    const plan = JSON.parse(r.stdout) as {
      seed: number;
      order: { trial: string; repetition: number }[];
    };
    expect(plan.seed).toBe(7);
    expect(plan.order).toHaveLength(6);
    expect(plan.order.slice(0, 3).every((o) => o.repetition === 0)).toBe(true);
  });

  it('rejects an impossible trial with a hint, exit 3', async () => {
    const r = await cli(['plan', 'test/fixtures/scenarios/impossible.yaml'], { cwd: repoRoot });
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain('NB_PLAN_IMPOSSIBLE');
    expect(r.stderr).toContain('exclude');
  });
});

describe('netbench command line', () => {
  it('exits 2 on an unknown command and points at --help', async () => {
    const r = await cli(['frobnicate']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("unknown command 'frobnicate'");
    expect(r.stderr).toContain('--help');
  });

  it('exits 2 on a bad flag value with the value named', async () => {
    const r = await cli(['run', '--repetitions', 'lots'], { cwd: repoRoot });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('NB_USAGE_BAD_FLAG');
    expect(r.stderr).toContain('"lots"');
  });

  it('prints help for every command', async () => {
    for (const argv of [
      ['--help'],
      ['run', '--help'],
      ['lab', 'up', '--help'],
      ['validate', '--help'],
    ]) {
      const r = await cli(argv);
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toContain('Usage: netbench');
    }
  });

  it('the built binary prints its version', () => {
    const r = spawnSync(process.execPath, [binPath, '--version'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('the generated references', () => {
  it('docs/cli.md and docs/dimensions.md match the code as built', () => {
    const r = spawnSync(process.execPath, [`${repoRoot}scripts/gen-docs.mjs`, '--check'], {
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    // It loads the whole CLI (charts included) in a fresh node: slow on a loaded 2-vCPU machine.
  }, 300_000);
});

describe('a reader that goes away', () => {
  it('does not crash netbench with EPIPE when stdout is closed before it writes', () => {
    // `true` exits without reading, long before node has started: every write hits a closed pipe.
    const r = spawnSync(
      'bash',
      ['-c', `"${process.execPath}" "${binPath}" plan --seed 1 | true; exit \${PIPESTATUS[0]}`],
      { cwd: repoRoot, encoding: 'utf8' },
    );
    expect(r.stderr).not.toContain('EPIPE');
    expect(r.stderr).not.toContain('NB_INTERNAL');
    expect(r.status).toBe(0);
  });
});
