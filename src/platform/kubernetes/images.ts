/**
 * The container images a run needs. The agent runs in a stock official Node image pinned by
 * digest (never a moving tag: every node must run the same bytes, and `IfNotPresent` then never
 * pulls twice). The digest is the linux multi-arch index of node:20-bookworm-slim as pinned in
 * several public projects (2026); it was not pulled from this machine, which has no registry
 * access: `netbench images` prints it so it can be mirrored and checked.
 */
import { NetbenchError } from '../../core/errors.js';

/** The default agent image: Node 20 (the version netbench itself needs), Debian slim. */
export const defaultAgentImage =
  'docker.io/library/node:20-bookworm-slim@sha256:2cf067cfed83d5ea958367df9f966191a942351a2df77d6f0193e162b5febfc0';

/** Images of one run, as resolved from the flags and scenario. */
export interface ImageSet {
  /** Runs `node` and the agent bundle. */
  agent: string;
  /** Runs sockperf, iperf3 and ss (tcp-rr, tcp-stream, udp-stream workloads); absent: refused. */
  tools?: string;
  /** Secrets to pull them with. @default [] */
  pullSecrets: string[];
}

export interface ImageOptions {
  /** Replaces the agent image. @default defaultAgentImage */
  image?: string | undefined;
  /** Replaces the registry host of every image (an air-gapped mirror), e.g. `registry.local:5000`. */
  registry?: string | undefined;
  toolsImage?: string | undefined;
  pullSecrets?: readonly string[] | undefined;
}

/** `docker.io/library/node:20@sha256:…` with registry `r.local` → `r.local/library/node:20@sha256:…`. */
export function withRegistry(image: string, registry: string): string {
  const first = image.split('/')[0] ?? '';
  const hasHost =
    image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  const path = hasHost
    ? image.slice(first.length + 1)
    : image.includes('/')
      ? image
      : `library/${image}`;
  return `${registry.replace(/\/+$/, '')}/${path}`;
}

export function isPinnedByDigest(image: string): boolean {
  return /@sha256:[0-9a-f]{64}$/.test(image);
}

export function resolveImages(o: ImageOptions): ImageSet {
  const relocate = (i: string): string =>
    o.registry === undefined ? i : withRegistry(i, o.registry);
  const agent = relocate(o.image ?? defaultAgentImage);
  const tools = o.toolsImage === undefined ? undefined : relocate(o.toolsImage);
  for (const [flag, image] of [
    ['--image', agent],
    ['--tools-image', tools],
  ] as const) {
    if (image !== undefined && !isPinnedByDigest(image)) {
      throw new NetbenchError(
        'NB_USAGE_BAD_FLAG',
        `${flag} ${JSON.stringify(image)} is not pinned by digest`,
        {
          hint: 'give the image as name@sha256:<64 hex digits> (`docker buildx imagetools inspect NAME` prints it), so every node runs the same bytes',
        },
      );
    }
  }
  return {
    agent,
    ...(tools === undefined ? {} : { tools }),
    pullSecrets: [...(o.pullSecrets ?? [])],
  };
}
