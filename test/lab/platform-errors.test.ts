import { spawnSync } from 'node:child_process';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createProcessRunner } from '../../src/core/process-runner.js';
import { silentLogger } from '../../src/core/logger.js';
import { createLabPlatform } from '../../src/platform/lab/lab-platform.js';
import { removeLabRun } from '../../src/platform/lab/leftovers.js';
import { createLabShell } from '../../src/platform/lab/lab-shell.js';
import { topologyFor } from '../../src/matrix/topology.js';
import { defaultDimensions } from '../../src/spec/dimensions.js';
import { assertRoot, binPath } from '../helpers/lab.js';

const runner = createProcessRunner();

describe('lab platform errors a person can act on', () => {
  beforeAll(assertRoot);
  afterEach(async () => {
    await removeLabRun(createLabShell(runner), 'busy1');
  });

  it('refuses to run without root, with a hint, exit 4', () => {
    const r = spawnSync(
      'setpriv',
      ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, binPath, 'run'],
      {
        cwd: '/tmp',
        encoding: 'utf8',
      },
    );
    expect(r.stderr).toContain('error NB_LAB_NOT_ROOT');
    expect(r.stderr).toContain('hint: run as root');
    expect(r.status).toBe(4);
  });

  it('refuses to build over a namespace that already exists (a busy name)', async () => {
    spawnSync('ip', ['netns', 'add', 'nb-busy1-e1-node1']);
    const lab = createLabPlatform({
      runner,
      logger: silentLogger,
      runId: 'busy1',
      purpose: 'test',
    });
    await expect(lab.deploy(topologyFor(defaultDimensions()))).rejects.toMatchObject({
      code: 'NB_LAB_NAME_BUSY',
      hint: expect.stringContaining('netbench lab down') as string,
    });
  });
});
