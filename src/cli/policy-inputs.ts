/**
 * The inputs of the `policy` commands, read once here for all of them: a model file and a
 * policies file, a kubectl dump (`--from-file`), or a live cluster (`--from-cluster`). With a
 * dump or a cluster, `--policies` replaces the policies found there: "what would these
 * policies do to my cluster's pods".
 */
import { NetbenchError } from '../core/errors.js';
import { readClusterSnapshot, type ClusterListPort } from '../policy/cluster/cluster-api.js';
import { parseClusterDump, type DumpSkipped } from '../policy/cluster/cluster-dump.js';
import { createKubeListPort, type KubeClientOptions } from '../policy/cluster/kube-client.js';
import { parseClusterModel, type ClusterModel } from '../policy/model.js';
import { protocols, type NetworkPolicy, type Protocol } from '../policy/network-policy.js';
import { parsePolicies } from '../policy/parse-policies.js';
import type { ProbeSelection } from '../policy/probes.js';
import { suggestionHint } from '../spec/suggest.js';
import type { CliContext } from './context.js';
import { readTextFile } from './load-scenario-file.js';

/** Flags naming where the cluster and policies come from. */
export interface PolicyInputFlags {
  model?: string;
  policies?: string;
  namespace?: string;
  /** A `kubectl get ns,pods,networkpolicies -A -o yaml` (or -o json) file. */
  fromFile?: string;
  /** Read the cluster of the kubeconfig's context. */
  fromCluster?: boolean;
  kubeconfig?: string;
  context?: string;
}

/** What the inputs hold. `model` is absent only for lint without a model. */
export interface PolicyInputs {
  model: ClusterModel | undefined;
  policies: NetworkPolicy[];
  /** What a dump or a cluster held that the model leaves out. */
  skipped?: DumpSkipped;
}

/** Makes the list port of `--from-cluster`; tests pass one for their own server. */
export type ClusterPortFactory = (options: KubeClientOptions) => ClusterListPort;

function usage(message: string, hint: string): NetbenchError {
  return new NetbenchError('NB_USAGE_BAD_FLAG', message, { hint });
}

/** Checks that exactly one source is named, and that what it needs is there. */
function checkSources(flags: PolicyInputFlags, needModel: boolean): void {
  const sources = [
    flags.model === undefined ? undefined : '--model',
    flags.fromFile === undefined ? undefined : '--from-file',
    flags.fromCluster === true ? '--from-cluster' : undefined,
  ].filter((s) => s !== undefined);
  if (sources.length > 1) {
    throw usage(
      `${sources.join(' and ')} both name the cluster`,
      'give one of --model (with --policies), --from-file or --from-cluster',
    );
  }
  if (sources.length === 0 && needModel) {
    throw usage(
      'no cluster given',
      'give --model MODEL.yaml --policies POLICIES.yaml, --from-file DUMP.yaml (kubectl get ns,pods,networkpolicies -A -o yaml) or --from-cluster [--context C]',
    );
  }
  if (sources.length === 0 && flags.policies === undefined) {
    throw usage(
      'no policies given',
      'give --policies FILE, --from-file DUMP.yaml or --from-cluster',
    );
  }
  if (flags.model !== undefined && flags.policies === undefined) {
    throw usage('--model needs --policies', 'give the NetworkPolicy manifests: --policies FILE');
  }
  if (flags.fromCluster !== true && (flags.kubeconfig ?? flags.context) !== undefined) {
    throw usage(
      '--kubeconfig and --context only go with --from-cluster',
      'add --from-cluster, or drop them',
    );
  }
}

export async function loadPolicyInputs(
  flags: PolicyInputFlags,
  ctx: CliContext,
  options: { needModel: boolean; clusterPort?: ClusterPortFactory },
): Promise<PolicyInputs> {
  checkSources(flags, options.needModel);
  const parseOptions = flags.namespace === undefined ? {} : { defaultNamespace: flags.namespace };
  const ownPolicies =
    flags.policies === undefined
      ? undefined
      : parsePolicies(
          await readTextFile(flags.policies, ctx.cwd, 'policies file'),
          flags.policies,
          parseOptions,
        );
  if (flags.fromFile !== undefined) {
    const snapshot = parseClusterDump(
      await readTextFile(flags.fromFile, ctx.cwd, 'cluster dump'),
      flags.fromFile,
      parseOptions,
    );
    return { ...snapshot, policies: ownPolicies ?? snapshot.policies };
  }
  if (flags.fromCluster === true) {
    const port = (options.clusterPort ?? createKubeListPort)({
      ...(flags.kubeconfig === undefined ? {} : { kubeconfig: flags.kubeconfig }),
      ...(flags.context === undefined ? {} : { context: flags.context }),
    });
    const snapshot = await readClusterSnapshot(port);
    return { ...snapshot, policies: ownPolicies ?? snapshot.policies };
  }
  const model =
    flags.model === undefined
      ? undefined
      : parseClusterModel(await readTextFile(flags.model, ctx.cwd, 'model'), flags.model);
  return { model, policies: ownPolicies ?? [] };
}

/** Notes on stderr about what a dump or cluster held that is left out, and why. */
export function skippedNotes(skipped: DumpSkipped | undefined): string[] {
  if (skipped === undefined) return [];
  const few = (xs: readonly string[]): string =>
    xs.length <= 5 ? xs.join(', ') : `${xs.slice(0, 5).join(', ')} and ${xs.length - 5} more`;
  const out: string[] = [];
  if (skipped.notRunning.length > 0) {
    out.push(
      `left out ${skipped.notRunning.length} pods not Running (no network endpoint): ${few(skipped.notRunning)}`,
    );
  }
  if (skipped.hostNetwork.length > 0) {
    out.push(
      `left out ${skipped.hostNetwork.length} hostNetwork pods (their traffic is node traffic; selectors ignore them): ${few(skipped.hostNetwork)}`,
    );
  }
  if (skipped.unlistedNamespaces.length > 0) {
    out.push(
      `namespaces not in the input, known only by name (namespaceSelectors on other labels miss them): ${few(skipped.unlistedNamespaces)}`,
    );
  }
  const kinds = Object.entries(skipped.otherKinds);
  if (kinds.length > 0) {
    out.push(`ignored ${kinds.map(([k, n]) => `${n} ${k}`).join(', ')}`);
  }
  return out;
}

/** `--ports 80,81,8000-8002` */
export function parsePortsFlag(value: string): number[] {
  const out: number[] = [];
  for (const part of value.split(',').map((s) => s.trim())) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    const lo = Number(m?.[1]);
    const hi = m?.[2] === undefined ? lo : Number(m[2]);
    if (m === null || lo < 1 || hi > 65535 || hi < lo || hi - lo > 1000) {
      throw usage(
        `--ports: "${part}" is not a port or a port range`,
        'give ports from 1 to 65535, comma-separated, ranges as low-high: --ports 80,81,8000-8010',
      );
    }
    for (let p = lo; p <= hi; p++) if (!out.includes(p)) out.push(p);
  }
  return out;
}

/** `--protocols tcp,UDP` */
export function parseProtocolsFlag(value: string): Protocol[] {
  const out: Protocol[] = [];
  for (const part of value.split(',').map((s) => s.trim().toUpperCase())) {
    if (!(protocols as readonly string[]).includes(part)) {
      throw new NetbenchError('NB_USAGE_BAD_FLAG', `--protocols: "${part}" is not a protocol`, {
        hint: suggestionHint(part, protocols),
      });
    }
    if (!out.includes(part as Protocol)) out.push(part as Protocol);
  }
  return out;
}

export function probeSelection(flags: { ports?: string; protocols?: string }): ProbeSelection {
  return {
    ...(flags.ports === undefined ? {} : { ports: parsePortsFlag(flags.ports) }),
    ...(flags.protocols === undefined ? {} : { protocols: parseProtocolsFlag(flags.protocols) }),
  };
}
