/**
 * `netbench images [SCENARIO]`: every container image a kubernetes run of the scenario needs,
 * one per line, so they can be mirrored into an air-gapped registry (then pass --registry).
 */
import { expandMatrix } from '../../matrix/expand.js';
import { resolveImages } from '../../platform/kubernetes/images.js';
import { toolWorkloads } from '../../platform/kubernetes/kube-unsupported.js';
import type { CliContext } from '../context.js';
import { loadScenarioFile } from '../load-scenario-file.js';
import { writeJson, writeLine } from '../output.js';
import { applyPlatformFlags, type PlatformFlags } from '../platform-flags.js';

export async function imagesCommand(
  scenarioPath: string | undefined,
  flags: PlatformFlags & { json?: boolean },
  ctx: CliContext,
): Promise<number> {
  const loaded = await loadScenarioFile(scenarioPath, ctx.cwd);
  const scenario = applyPlatformFlags(loaded.scenario, flags);
  const images = resolveImages({
    ...scenario.kubernetes,
    pullSecrets: scenario.kubernetes.imagePullSecrets,
  });
  const needsTools = expandMatrix(scenario).some((t) => toolWorkloads.has(t.dimensions.workload));
  const list = [
    { role: 'agent', image: images.agent },
    ...(needsTools ? [{ role: 'tools', image: images.tools ?? null }] : []),
  ];
  if (flags.json === true) {
    writeJson(ctx.stdout, { images: list });
    return 0;
  }
  for (const i of list) {
    if (i.image === null)
      writeLine(
        ctx.stderr,
        `tools: none given; tcp-rr, tcp-stream and udp-stream trials need --tools-image NAME@sha256:… (sockperf, iperf3, ss)`,
      );
    else writeLine(ctx.stdout, i.image);
  }
  return 0;
}
