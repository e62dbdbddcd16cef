/**
 * Where the netbench agent binary is, so a pod can run `node <entry> agent …`. Resolved to the
 * built dist/ tree from both src/ (tests) and dist/ (installed), which sit at the same depth.
 */
import { fileURLToPath } from 'node:url';

export function agentArgv(args: readonly string[]): string[] {
  const entry = fileURLToPath(new URL('../../../dist/cli/main.js', import.meta.url));
  return [process.execPath, entry, 'agent', ...args];
}
