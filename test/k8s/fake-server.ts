/** Starting the fake API server for a test file, with the agent bundle built once. */
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { agentBundleDir, agentBundleMain } from '../../src/platform/kubernetes/agent-bundle.js';
import {
  startFakeKubeServer,
  type FakeKubeOptions,
  type FakeKubeServer,
} from '../helpers/fake-kube/fake-kube-server.js';

/** Builds dist/agent-bundle/ when missing (the fake's pods run it). */
export function ensureAgentBundle(): void {
  if (!existsSync(`${agentBundleDir}${agentBundleMain}`)) {
    execFileSync(process.execPath, ['scripts/build-agent-bundle.mjs'], { stdio: 'inherit' });
  }
}

export async function fakeCluster(options: Partial<FakeKubeOptions> = {}): Promise<FakeKubeServer> {
  ensureAgentBundle();
  return startFakeKubeServer({ agentBundleDir, ...options });
}

/** Objects the run created that still exist (the fake's seed lives outside nb-* namespaces). */
export function leftovers(server: FakeKubeServer): string[] {
  return server.objectKeys().filter((k) => /(^namespaces\/\/nb-)|(\/nb-[a-z0-9]+\/)/.test(k));
}
