/**
 * Where `policy verify` puts a model's pods in the lab, pure. Lab pod names go into interface
 * names (at most 9 characters), so model pods become `p1`, `p2`, … in model order, and every
 * output shows the model names. A pod with an ip lands on the node whose pod CIDR holds it
 * (10.244.i.0/24 is node i); pods without one alternate between the nodes, so same-node and
 * cross-node pairs are both probed.
 */
import type { InputProblem } from '../core/errors.js';
import type { ModelPod } from '../policy/model.js';

export interface LabPlacement {
  model: ModelPod;
  /** Lab pod name, `p<n>`. */
  pod: string;
  node: string;
  /** Address asked of the lab (the model's), if any. */
  ip?: string;
}

export const labPodCidrs = ['10.244.1.0/24', '10.244.2.0/24'] as const;

export function labNodeNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `node${i + 1}`);
}

export function placeModelInLab(
  pods: readonly ModelPod[],
  nodeCount: number,
): { placements: LabPlacement[]; problems: InputProblem[] } {
  const nodes = labNodeNames(nodeCount);
  const placements: LabPlacement[] = [];
  const problems: InputProblem[] = [];
  pods.forEach((model, i) => {
    const pod = `p${i + 1}`;
    if (model.ip === undefined) {
      placements.push({ model, pod, node: nodes[i % nodes.length]! });
      return;
    }
    const m = /^10\.244\.(\d+)\.(\d+)$/.exec(model.ip.text);
    const index = Number(m?.[1]);
    const host = Number(m?.[2]);
    if (m === null || index < 1 || index > nodeCount || host < 2 || host > 254) {
      const ranges = labPodCidrs
        .slice(0, nodeCount)
        .map((c, k) => `${c} (node${k + 1})`)
        .join(' and ');
      problems.push({
        path: `pods[${i}].ip`,
        message: `${model.id} has ${model.ip.text}, but the lab gives pods addresses in ${ranges}, .2 to .254`,
        hint: 'change the address, or remove ip and let the lab choose (policies with ipBlocks then see the lab address)',
      });
      return;
    }
    placements.push({ model, pod, node: `node${index}`, ip: model.ip.text });
  });
  return { placements, problems };
}
