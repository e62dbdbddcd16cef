/** The environment fingerprint written into results.json: kernel, CPU, memory, tool versions. */
import { cpus, hostname, release, totalmem, type, arch, version } from 'node:os';
import type { ProcessRunner } from '../core/process-runner.js';
import type { EnvironmentRecord } from '../results/schema.js';

/** Programs whose versions are recorded, with the flag that prints it. */
const versionProbes: Record<string, readonly string[]> = {
  iproute2: ['ip', '-V'],
};

export async function fingerprintEnvironment(
  runner: ProcessRunner,
  platform: string,
  extraProbes: Record<string, readonly string[]> = {},
): Promise<EnvironmentRecord> {
  const tools: Record<string, string> = {};
  for (const [name, argv] of Object.entries({ ...versionProbes, ...extraProbes })) {
    try {
      const out = await runner.run({ argv, allowFailure: true, timeoutMs: 5000 });
      tools[name] = (out.stdout || out.stderr).trim().split('\n')[0] ?? '';
    } catch {
      tools[name] = 'not installed';
    }
  }
  const cpuList = cpus();
  return {
    platform,
    hostname: hostname(),
    kernel: release(),
    os: `${type()} ${version()}`,
    arch: arch(),
    cpuModel: cpuList[0]?.model ?? 'unknown',
    cpuCount: cpuList.length,
    memoryBytes: totalmem(),
    nodeVersion: process.version,
    tools,
  };
}
