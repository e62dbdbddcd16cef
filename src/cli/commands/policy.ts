/**
 * `netbench policy evaluate|lint|verify`: NetworkPolicy truth tables from the evaluator, lint
 * findings, and live verification in the lab. The JSON of `evaluate --json` is a contract:
 * `{"verdicts":[{"from","to","port","protocol","allowed","self"?,"reason"}]}`.
 */
import { NetbenchError, isNetbenchError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { createEvaluator, type Verdict } from '../../policy/evaluate.js';
import { explainVerdict } from '../../policy/explain.js';
import { lintPolicies, parsePodCidrs, type LintFinding } from '../../policy/lint.js';
import { parseClusterModel, type ClusterModel } from '../../policy/model.js';
import { protocols, type NetworkPolicy, type Protocol } from '../../policy/network-policy.js';
import { parsePolicies } from '../../policy/parse-policies.js';
import {
  planProbes,
  portKeyText,
  probedPortKeys,
  type ProbeSelection,
} from '../../policy/probes.js';
import { renderTruthTables } from '../../policy/truth-table.js';
import { suggestionHint } from '../../spec/suggest.js';
import type { CliContext } from '../context.js';
import { readTextFile } from '../load-scenario-file.js';
import { writeJson, writeLine } from '../output.js';
import { runPolicyVerify, type VerifyFlags } from './policy-verify.js';

export interface PolicyInputFlags {
  model?: string;
  policies: string;
  namespace?: string;
}

export interface EvaluateFlags extends PolicyInputFlags {
  model: string;
  ports?: string;
  protocols?: string;
  json?: boolean;
  explain?: boolean;
}

/** One verdict in the `evaluate --json` contract (field order as documented). */
export interface VerdictJson {
  from: string;
  to: string;
  port: number;
  protocol: Protocol;
  allowed: boolean;
  self?: true;
  reason: string;
}

export function verdictJson(v: Verdict): VerdictJson {
  return {
    from: v.from,
    to: v.to,
    port: v.port,
    protocol: v.protocol,
    allowed: v.allowed,
    ...(v.self ? { self: true as const } : {}),
    reason: explainVerdict(v),
  };
}

export async function loadPolicyInputs(
  flags: PolicyInputFlags,
  ctx: CliContext,
): Promise<{ model: ClusterModel | undefined; policies: NetworkPolicy[] }> {
  const model =
    flags.model === undefined
      ? undefined
      : parseClusterModel(await readTextFile(flags.model, ctx.cwd, 'model'), flags.model);
  const policies = parsePolicies(
    await readTextFile(flags.policies, ctx.cwd, 'policies file'),
    flags.policies,
    flags.namespace === undefined ? {} : { defaultNamespace: flags.namespace },
  );
  return { model, policies };
}

/** `--ports 80,81,8000-8002` */
export function parsePortsFlag(value: string): number[] {
  const out: number[] = [];
  for (const part of value.split(',').map((s) => s.trim())) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    const lo = Number(m?.[1]);
    const hi = m?.[2] === undefined ? lo : Number(m[2]);
    if (m === null || lo < 1 || hi > 65535 || hi < lo || hi - lo > 1000) {
      throw new NetbenchError(
        'NB_USAGE_BAD_FLAG',
        `--ports: "${part}" is not a port or a port range`,
        {
          hint: 'give ports from 1 to 65535, comma-separated, ranges as low-high: --ports 80,81,8000-8010',
        },
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

/** Things that make verdicts surprising without being errors, for stderr. */
export function inputWarnings(model: ClusterModel, policies: readonly NetworkPolicy[]): string[] {
  const out: string[] = [];
  const usesIpBlock = policies.some((p) =>
    [...p.ingress, ...p.egress].some((r) => r.peers.some((x) => x.kind === 'ipBlock')),
  );
  const noIp = model.pods.filter((p) => p.ip === undefined).map((p) => p.id);
  if (usesIpBlock && noIp.length > 0) {
    out.push(`pods without ip never match an ipBlock: ${noIp.join(', ')}`);
  }
  const known = new Set(model.namespaces.map((n) => n.name));
  for (const ns of new Set(policies.map((p) => p.namespace))) {
    if (!known.has(ns))
      out.push(`policies in namespace ${ns} select nothing: the model has no such namespace`);
  }
  return out;
}

/**
 * Runs `f`; when it fails on the model file rather than the policies file, tells the caller
 * which file the error's line numbers belong to (every parse error message starts with it).
 */
export async function withInputSource<T>(
  flags: { model?: string; policies: string },
  setSource: (file: string) => void,
  f: () => Promise<T>,
): Promise<T> {
  try {
    return await f();
  } catch (error) {
    if (
      isNetbenchError(error) &&
      flags.model !== undefined &&
      (error.message.startsWith(flags.model) || error.code === 'NB_POLICY_LAB_UNSUPPORTED')
    ) {
      setSource(flags.model);
    }
    throw error;
  }
}

/** Writes the error as JSON on stdout too when --json was asked, then rethrows. */
async function withJsonErrors<T>(
  json: boolean | undefined,
  ctx: CliContext,
  f: () => Promise<T>,
): Promise<T> {
  try {
    return await f();
  } catch (error) {
    // Lint failures and verify mismatches come after their JSON report, which already says so.
    const reported =
      isNetbenchError(error) &&
      (error.code === 'NB_POLICY_LINT_FAILED' || error.code === 'NB_POLICY_MISMATCH');
    if (json === true && isNetbenchError(error) && !reported) {
      writeJson(ctx.stdout, {
        error: {
          code: error.code,
          message: error.message,
          problems: error.problems,
          ...(error.hint === undefined ? {} : { hint: error.hint }),
        },
      });
    }
    throw error;
  }
}

export function policyEvaluateCommand(flags: EvaluateFlags, ctx: CliContext): Promise<number> {
  return withJsonErrors(flags.json, ctx, async () => {
    const selection = probeSelection(flags);
    const { model, policies } = await loadPolicyInputs(flags, ctx);
    if (model === undefined) throw new Error('unreachable: --model is mandatory');
    for (const w of inputWarnings(model, policies)) writeLine(ctx.stderr, `warning: ${w}`);
    const evaluator = createEvaluator(model, policies);
    const verdicts = planProbes(model, selection).map((p) => evaluator.evaluate(p));
    if (flags.json === true) {
      writeJson(ctx.stdout, { verdicts: verdicts.map(verdictJson) });
      return 0;
    }
    const keys = probedPortKeys(model, selection);
    const denied = verdicts.filter((v) => !v.allowed).length;
    writeLine(
      ctx.stdout,
      `${model.pods.length} pods, ${policies.length} policies, ${verdicts.length} connections on ${keys.map(portKeyText).join(', ') || 'no ports'}: ${denied} denied`,
    );
    writeLine(ctx.stdout);
    if (keys.length === 0) {
      writeLine(ctx.stdout, 'nothing to evaluate: no pod declares a port; pass --ports');
      return 0;
    }
    writeLine(
      ctx.stdout,
      renderTruthTables(
        model.pods.map((p) => p.id),
        keys,
        verdicts,
      ),
    );
    if (flags.explain === true) {
      writeLine(ctx.stdout);
      for (const v of verdicts) {
        writeLine(ctx.stdout, `${v.from} → ${v.to} ${v.protocol}/${v.port}: ${explainVerdict(v)}`);
      }
    }
    return 0;
  });
}

export interface LintFlags extends PolicyInputFlags {
  cni?: string;
  podCidr?: string;
  json?: boolean;
  strict?: boolean;
}

function formatFinding(f: LintFinding): string {
  const lines = [`${f.severity} [${f.rule}] ${f.subject}: ${f.message}`];
  if (f.hint !== undefined) lines.push(`    hint: ${f.hint}`);
  return lines.join('\n');
}

export function policyLintCommand(flags: LintFlags, ctx: CliContext): Promise<number> {
  return withJsonErrors(flags.json, ctx, async () => {
    const pod = parsePodCidrs(
      (flags.podCidr ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    );
    if (pod.bad.length > 0) {
      throw new NetbenchError('NB_USAGE_BAD_FLAG', `--pod-cidr: ${pod.bad.join('; ')}`, {
        hint: 'give CIDRs, comma-separated: --pod-cidr 10.244.0.0/16',
      });
    }
    const { model, policies } = await loadPolicyInputs(flags, ctx);
    const result = lintPolicies(policies, {
      ...(model === undefined ? {} : { model }),
      ...(flags.cni === undefined ? {} : { cni: flags.cni }),
      podCidrs: pod.cidrs,
    });
    const errors = result.findings.filter((f) => f.severity === 'error').length;
    const warnings = result.findings.filter((f) => f.severity === 'warning').length;
    if (flags.json === true) writeJson(ctx.stdout, result);
    else {
      for (const f of result.findings) writeLine(ctx.stdout, formatFinding(f));
      for (const s of result.skipped) writeLine(ctx.stderr, `note: skipped ${s}`);
      writeLine(
        ctx.stdout,
        `${policies.length} policies: ${errors} errors, ${warnings} warnings, ${result.findings.length - errors - warnings} notes`,
      );
    }
    if (errors > 0 || (flags.strict === true && warnings > 0)) {
      throw new NetbenchError(
        'NB_POLICY_LINT_FAILED',
        `lint found ${errors} errors and ${warnings} warnings`,
        {
          hint:
            errors > 0
              ? 'errors always fail lint; fix them first'
              : 'warnings fail lint under --strict',
        },
      );
    }
    return 0;
  });
}

export function policyVerifyCommand(
  flags: VerifyFlags,
  ctx: CliContext,
  logger: Logger,
): Promise<number> {
  return withJsonErrors(flags.json, ctx, () => runPolicyVerify(flags, ctx, logger));
}
