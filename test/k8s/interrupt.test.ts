import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Results } from '../../src/results/schema.js';
import { cli } from '../helpers/cli-context.js';
import type { FakeKubeServer } from '../helpers/fake-kube/fake-kube-server.js';
import { fakeCluster, leftovers } from './fake-server.js';

describe('Ctrl-C on the kubernetes platform (fake API server)', () => {
  let server: FakeKubeServer;
  beforeAll(async () => {
    server = await fakeCluster();
  });
  afterAll(async () => server.close());

  it('Ctrl-C while the load runs stops the agents, deletes the namespace and exits 130', async () => {
    const abort = new AbortController();
    server.faults.onAgentExec = (argv) => {
      if (argv.includes('load')) setTimeout(() => abort.abort(), 200);
    };
    const out = await mkdtemp(join(tmpdir(), 'nb-k8s-int-'));
    const r = await cli(
      [
        'run',
        'test/fixtures/scenarios/k8s-one-trial.yaml',
        '--kubeconfig',
        server.kubeconfigPath,
        '--duration',
        '20s',
        '--out',
        out,
        '--quiet',
      ],
      { signal: abort.signal },
    );
    expect(r.stderr).toContain('NB_INTERRUPTED');
    expect(r.exitCode).toBe(130);
    const results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as Results;
    expect(results.status).toBe('interrupted');
    expect(leftovers(server)).toEqual([]);
    expect(server.runningProcesses()).toBe(0);
  });
});
