/**
 * The platform flags of `run`, `plan` and `images` (`--platform kubernetes --kubeconfig …
 * --nodes a,b`), declared in the flag table (flags.ts), applied over the scenario (flags win).
 */
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
