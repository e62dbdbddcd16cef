import { describe, expect, it } from 'vitest';
import { createProcessRunner } from '../../../src/core/process-runner.js';

const runner = createProcessRunner();

describe('process runner', () => {
  it('returns stdout, stderr and the exit code of a program', async () => {
    const r = await runner.run({ argv: ['sh', '-c', 'echo out; echo err >&2'] });
    expect(r).toEqual({ exitCode: 0, stdout: 'out\n', stderr: 'err\n' });
  });

  it('feeds stdin', async () => {
    const r = await runner.run({ argv: ['cat'], input: 'hello' });
    expect(r.stdout).toBe('hello');
  });

  it('names a missing program and the Debian package that provides it', async () => {
    await expect(runner.run({ argv: ['iperf3-does-not-exist'] })).rejects.toMatchObject({
      code: 'NB_TOOL_MISSING',
    });
    await expect(
      runner.run({ argv: ['sockperf', '--version'], env: { PATH: '/nonexistent' } }),
    ).rejects.toMatchObject({
      code: 'NB_TOOL_MISSING',
      hint: expect.stringContaining('apt-get install sockperf') as string,
    });
  });

  it('reports a failing program with its exit code and its own error message', async () => {
    await expect(
      runner.run({ argv: ['sh', '-c', 'echo "bad thing" >&2; exit 3'] }),
    ).rejects.toMatchObject({
      code: 'NB_TOOL_FAILED',
      message: expect.stringContaining('exit code 3: bad thing') as string,
    });
  });

  it('hands back a failing result when failure is allowed', async () => {
    const r = await runner.run({ argv: ['sh', '-c', 'exit 4'], allowFailure: true });
    expect(r.exitCode).toBe(4);
  });

  it('kills a program that outlives its timeout', async () => {
    await expect(runner.run({ argv: ['sleep', '10'], timeoutMs: 100 })).rejects.toMatchObject({
      code: 'NB_TOOL_FAILED',
      message: expect.stringContaining('did not finish within 100 ms') as string,
    });
  });

  it('stops a program when the run is interrupted', async () => {
    const controller = new AbortController();
    const pending = runner.run({ argv: ['sleep', '10'], signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ code: 'NB_INTERRUPTED' });
  });

  it('starts a long-running program and reports its exit', async () => {
    const p = await runner.start({ argv: ['sh', '-c', 'read line; echo "got $line"'] });
    let out = '';
    p.stdout.on('data', (b: Buffer) => (out += b.toString()));
    p.stdin.end('x\n');
    expect(await p.exited).toEqual({ code: 0, signal: null });
    expect(out).toBe('got x\n');
  });
});
