/**
 * The cost model: what each mesh would cost the whole cluster in proxy CPU and memory, at the
 * team's pod, node and Service counts and request rate. Measured per-proxy costs (with their
 * intervals) are scaled up; where no run measured a mesh shape, the seeds' published figures are
 * used and labelled as priors. Pure.
 *
 * - CPU follows traffic: every east-west request crosses the proxies of its path once, so the
 *   cluster's proxy CPU is the request rate times the measured CPU per 1 000 requests of all the
 *   proxies on a path (which already counts how many proxies a path crosses).
 * - Memory follows instances: one sidecar per pod, one node proxy per node, one waypoint per
 *   Service (the issue's accounting; waypoints can be shared, so this is an upper bound).
 */
import type { MeshMode } from '../topology/mesh-spec.js';
import type { Evidence, Figure, ProxyCost } from './evidence/evidence.js';
import { labModelOf, proxyPriors, type ProxyPrior } from './priors.js';
import type { Requirements } from './requirements-schema.js';
import { pickRepresentative } from './representative.js';
import { formatSource, measured, type Source } from './sources.js';
import { meshChoices, type MeshChoice } from './vocabulary.js';

type Role = 'sidecar' | 'node-proxy' | 'waypoint';

/** A cluster-wide amount with its interval (bounds undefined for priors and single runs). */
export interface Amount {
  value: number;
  low: number | undefined;
  high: number | undefined;
}

/** What one mesh would cost the cluster. */
export interface MeshCost {
  mesh: Exclude<MeshChoice, 'none'>;
  /** The lab model with the same shape (what a measurement of it is read from). */
  labModel: MeshMode;
  /** Proxy instances the cluster would run, per role. */
  instances: Partial<Record<Role, number>>;
  /** Proxy vCPU, whole cluster; undefined without `cluster.requestsPerSecond` or any figure. */
  cpuCores: Amount | undefined;
  /** Proxy resident memory, whole cluster. */
  memoryBytes: Amount | undefined;
  /** measured: from a run; prior: from a seed's published figure; mixed: some of each. */
  basis: 'measured' | 'prior' | 'mixed' | 'unknown';
  /** The run and trial a measured figure came from. */
  measuredIn: { runId: string; trialId: string } | undefined;
  sources: string[];
  notes: string[];
}

export interface CostModel {
  inputs: { pods: number; nodes: number; services: number; requestsPerSecond: number | undefined };
  meshes: MeshCost[];
  notes: string[];
}

/** Per-request-path proxies of each lab model, with the prior that stands for each product's. */
const pathOf: Record<MeshMode, Role[]> = {
  sidecar: ['sidecar', 'sidecar'],
  'node-proxy': ['node-proxy', 'node-proxy'],
  'node-proxy+waypoint': ['node-proxy', 'waypoint', 'node-proxy'],
};

function priorFor(mesh: Exclude<MeshChoice, 'none'>, role: Role): ProxyPrior | undefined {
  if (mesh === 'cilium-mesh') return undefined;
  if (role === 'sidecar')
    return mesh === 'linkerd' ? proxyPriors.linkerdSidecar : proxyPriors.envoySidecar;
  return role === 'waypoint' ? proxyPriors.waypoint : proxyPriors.ztunnel;
}

const scale = (f: Figure, k: number): Amount => ({
  value: f.value * k,
  low: f.low === undefined ? undefined : f.low * k,
  high: f.high === undefined ? undefined : f.high * k,
});

function sum(parts: readonly Amount[]): Amount {
  const bound = (b: 'low' | 'high'): number | undefined =>
    parts.every((p) => p[b] !== undefined) ? parts.reduce((s, p) => s + p[b]!, 0) : undefined;
  return { value: parts.reduce((s, p) => s + p.value, 0), low: bound('low'), high: bound('high') };
}

function instancesOf(model: MeshMode, req: Requirements): Partial<Record<Role, number>> {
  const { pods, nodes, services } = req.cluster;
  switch (model) {
    case 'sidecar':
      return { sidecar: pods };
    case 'node-proxy':
      return { 'node-proxy': nodes };
    case 'node-proxy+waypoint':
      return { 'node-proxy': nodes, waypoint: services };
  }
}

function costOf(
  mesh: Exclude<MeshChoice, 'none'>,
  req: Requirements,
  measuredCost: ProxyCost | undefined,
): MeshCost {
  const l7 = req.needs.l7Policy !== 'none' || req.needs.l7Traffic;
  const labModel = labModelOf(mesh, l7);
  const instances = instancesOf(labModel, req);
  const rps = req.cluster.requestsPerSecond;
  const sources = new Set<string>();
  const notes: string[] = [];
  let measuredParts = 0;
  let priorParts = 0;
  const note = (s: Source): void => void sources.add(formatSource(s));

  let cpuCores: Amount | undefined;
  if (rps !== undefined) {
    if (measuredCost !== undefined) {
      // ms of CPU per 1 000 requests × requests/s / 1e6 = cores.
      cpuCores = scale(measuredCost.cpuMsPer1kRequests, rps / 1e6);
      note(measured(`proxy CPU per 1k requests, ${measuredCost.trialId}`));
      measuredParts++;
    } else {
      const priors = pathOf[labModel].map((role) => priorFor(mesh, role));
      if (priors.every((p) => p !== undefined)) {
        const msPer1k = priors.reduce((s, p) => s + (p.cpuCores / p.atRps) * 1e6, 0);
        cpuCores = { value: (rps * msPer1k) / 1e6, low: undefined, high: undefined };
        for (const p of priors) note(p.source);
        priorParts++;
      } else {
        notes.push(
          `no run measured the ${labModel} model and the seeds publish no per-proxy CPU for ${mesh}`,
        );
      }
    }
  }

  const memoryParts: Amount[] = [];
  for (const [role, count] of Object.entries(instances) as [Role, number][]) {
    const perProxy = measuredCost?.rssBytesPerProxy[role];
    const prior = priorFor(mesh, role);
    if (perProxy !== undefined) {
      memoryParts.push(scale(perProxy, count));
      note(measured(`${role} memory, ${measuredCost!.trialId}`));
      measuredParts++;
    } else if (prior !== undefined) {
      memoryParts.push({ value: prior.memoryBytes * count, low: undefined, high: undefined });
      note(prior.source);
      priorParts++;
    } else {
      notes.push(`no run measured a ${role} and the seeds publish no ${role} memory for ${mesh}`);
    }
  }
  const memoryBytes =
    memoryParts.length === Object.keys(instances).length ? sum(memoryParts) : undefined;
  if (measuredCost !== undefined) {
    notes.push(
      'measured on the lab model (HAProxy in the shape of this mesh), not the product itself',
    );
  }
  return {
    mesh,
    labModel,
    instances,
    cpuCores,
    memoryBytes,
    basis:
      measuredParts > 0 && priorParts > 0
        ? 'mixed'
        : measuredParts > 0
          ? 'measured'
          : priorParts > 0
            ? 'prior'
            : 'unknown',
    measuredIn:
      measuredCost === undefined
        ? undefined
        : { runId: measuredCost.runId, trialId: measuredCost.trialId },
    sources: [...sources],
    notes,
  };
}

/** The request rate one client pod offers: what a representative trial should be closest to. */
export function perPodRps(req: Requirements): number | undefined {
  const rps = req.cluster.requestsPerSecond;
  return rps === undefined || req.cluster.pods === 0 ? undefined : rps / req.cluster.pods;
}

export function buildCostModel(req: Requirements, evidence: Evidence): CostModel {
  const target = perPodRps(req);
  const meshes = meshChoices
    .filter((m): m is Exclude<MeshChoice, 'none'> => m !== 'none')
    .map((mesh) => {
      const l7 = req.needs.l7Policy !== 'none' || req.needs.l7Traffic;
      const model = labModelOf(mesh, l7);
      const cost = pickRepresentative(
        evidence.proxyCosts.filter((c) => c.meshMode === model),
        target,
      );
      return costOf(mesh, req, cost);
    });
  const notes: string[] = [];
  if (req.cluster.requestsPerSecond === undefined) {
    notes.push(
      'proxy CPU needs the request rate: add cluster.requestsPerSecond (east-west, whole cluster) to price it',
    );
  }
  return {
    inputs: {
      pods: req.cluster.pods,
      nodes: req.cluster.nodes,
      services: req.cluster.services,
      requestsPerSecond: req.cluster.requestsPerSecond,
    },
    meshes,
    notes,
  };
}
