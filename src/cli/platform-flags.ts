/**
 * The platform flags of `run` and `plan` (`--platform kubernetes --kubeconfig … --nodes a,b`),
 * declared once here for both commands, and applied over the scenario (flags win).
 */
import type { Command } from 'commander';
import { NetbenchError } from '../core/errors.js';
import type { Scenario } from '../spec/scenario-schema.js';
import { suggestionHint } from '../spec/suggest.js';

export interface PlatformFlags {
  platform?: string;
  kubeconfig?: string;
  context?: string;
  nodes?: string;
  image?: string;
  registry?: string;
  toolsImage?: string;
  imagePullSecret?: string[];
}

/** Adds the platform flags to a command. */
export function withPlatformFlags(command: Command): Command {
  return command
    .option('--platform <name>', "lab or kubernetes (default: the scenario's, else lab)")
    .option(
      '--kubeconfig <file>',
      'kubernetes: kubeconfig file (default $KUBECONFIG, ~/.kube/config)',
    )
    .option('--context <name>', 'kubernetes: kubeconfig context (default its current-context)')
    .option('--nodes <a,b>', 'kubernetes: cluster nodes for node1 and node2 (default: picked)')
    .option(
      '--image <ref>',
      'kubernetes: agent image, pinned by digest (default node:20-bookworm-slim@sha256:…)',
    )
    .option('--registry <host>', 'kubernetes: pull every image from this registry (a mirror)')
    .option(
      '--tools-image <ref>',
      'kubernetes: image with sockperf, iperf3 and ss, pinned by digest',
    )
    .option(
      '--image-pull-secret <name>',
      'kubernetes: pull secret in the run namespace (repeatable)',
      (value: string, previous: string[] = []) => [...previous, value],
    );
}

/** The scenario with the platform flags applied. */
export function applyPlatformFlags(scenario: Scenario, flags: PlatformFlags): Scenario {
  const platform = flags.platform ?? scenario.platform;
  if (platform !== 'lab' && platform !== 'kubernetes') {
    throw new NetbenchError(
      'NB_USAGE_BAD_FLAG',
      `--platform ${JSON.stringify(platform)} does not exist`,
      {
        hint: suggestionHint(platform, ['lab', 'kubernetes']),
      },
    );
  }
  const k = { ...scenario.kubernetes };
  if (flags.kubeconfig !== undefined) k.kubeconfig = flags.kubeconfig;
  if (flags.context !== undefined) k.context = flags.context;
  if (flags.nodes !== undefined) {
    const nodes = flags.nodes
      .split(',')
      .map((n) => n.trim())
      .filter((n) => n !== '');
    if (nodes.length < 1 || nodes.length > 2) {
      throw new NetbenchError(
        'NB_USAGE_BAD_FLAG',
        `--nodes ${JSON.stringify(flags.nodes)} is not one or two node names`,
        {
          hint: 'e.g. --nodes worker-1,worker-2 (`kubectl get nodes`)',
        },
      );
    }
    k.nodes = nodes;
  }
  if (flags.image !== undefined) k.image = flags.image;
  if (flags.registry !== undefined) k.registry = flags.registry;
  if (flags.toolsImage !== undefined) k.toolsImage = flags.toolsImage;
  if (flags.imagePullSecret !== undefined) k.imagePullSecrets = flags.imagePullSecret;
  return { ...scenario, platform, kubernetes: k };
}
