/**
 * `netbench policy evaluate|lint|verify|diff`: NetworkPolicy verdicts from the class evaluator
 * (summaries first, verdicts streamed), lint findings, live verification in the lab, and what a
 * policy change opens or closes. The JSON of `evaluate --json` is a contract:
 * `{"verdicts":[{"from","to","port","protocol","allowed","self"?,"reason"}]}`.
 */
import { NetbenchError, isNetbenchError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { evaluateByClass, type ClassEvaluation } from '../../policy/class-evaluator.js';
import { explainVerdict } from '../../policy/explain.js';
import { lintPolicies, parsePodCidrs, type LintFinding } from '../../policy/lint.js';
import type { ClusterModel } from '../../policy/model.js';
import type { NetworkPolicy } from '../../policy/network-policy.js';
import { summarize, type EvaluationSummary } from '../../policy/summary.js';
import { renderTruthTables } from '../../policy/truth-table.js';
import { matrixLines, verdictJsonLines, type ReasonFilter } from '../../policy/verdict-lines.js';
import { suggestionHint } from '../../spec/suggest.js';
import type { CliContext } from '../context.js';
import { formatTable, writeJson, writeLine } from '../output.js';
import {
  loadPolicyInputs,
  probeSelection,
  skippedNotes,
  type ClusterPortFactory,
  type PolicyInputFlags,
} from '../policy-inputs.js';
import { runPolicyVerify, type VerifyFlags } from './policy-verify.js';
import { streamLines } from './policy-stream.js';

export const evaluateFormats = ['text', 'json', 'ndjson', 'matrix', 'summary'] as const;
export type EvaluateFormat = (typeof evaluateFormats)[number];

export interface EvaluateFlags extends PolicyInputFlags {
  ports?: string;
  protocols?: string;
  json?: boolean;
  format?: string;
  /** true: every reason; [FROM, TO]: the reasons of that pair only. */
  explain?: boolean | string[];
}

/** Models up to this many pods get truth tables in text; larger ones, the summary only. */
const truthTablePods = 60;

/** Things that make verdicts surprising without being errors, for stderr. */
export function inputWarnings(model: ClusterModel, policies: readonly NetworkPolicy[]): string[] {
  const out: string[] = [];
  const usesIpBlock = policies.some((p) =>
    [...p.ingress, ...p.egress].some((r) => r.peers.some((x) => x.kind === 'ipBlock')),
  );
  const noIp = model.pods.filter((p) => p.ip === undefined).map((p) => p.id);
  if (usesIpBlock && noIp.length > 0) {
    out.push(`pods without ip never match an ipBlock: ${few(noIp, 10)}`);
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
  flags: { model?: string; policies?: string },
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
export async function withJsonErrors<T>(
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
      (error.code === 'NB_POLICY_LINT_FAILED' ||
        error.code === 'NB_POLICY_MISMATCH' ||
        error.code === 'NB_POLICY_DIFF_OPENS');
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

function formatOf(flags: EvaluateFlags): EvaluateFormat {
  if (flags.json === true) {
    if (flags.format !== undefined && flags.format !== 'json') {
      throw new NetbenchError('NB_USAGE_BAD_FLAG', `--json and --format ${flags.format} disagree`, {
        hint: 'give one of them',
      });
    }
    return 'json';
  }
  if (flags.format === undefined) return 'text';
  if ((evaluateFormats as readonly string[]).includes(flags.format)) {
    return flags.format as EvaluateFormat;
  }
  throw new NetbenchError(
    'NB_USAGE_BAD_FLAG',
    `--format ${JSON.stringify(flags.format)} is not one of ${evaluateFormats.join(', ')}`,
    { hint: suggestionHint(flags.format, evaluateFormats) },
  );
}

/** `--explain FROM TO` as pod indices; `--explain` alone as every pair. */
function explainedPair(
  explain: EvaluateFlags['explain'],
  model: ClusterModel,
): [number, number] | 'all' | undefined {
  if (explain === undefined || explain === false) return undefined;
  if (explain === true || explain.length === 0) return 'all';
  if (explain.length !== 2) {
    throw new NetbenchError(
      'NB_USAGE_BAD_FLAG',
      `--explain takes a source and a destination pod, got ${explain.length} (${explain.join(' ')})`,
      { hint: 'e.g. --explain x/a y/b (namespace/name), or --explain alone for every verdict' },
    );
  }
  const ids = model.pods.map((p) => p.id);
  const [from, to] = explain.map((id) => {
    const i = ids.indexOf(id);
    if (i < 0) {
      throw new NetbenchError('NB_USAGE_BAD_FLAG', `--explain: no pod ${id} in the input`, {
        hint: suggestionHint(id, ids),
      });
    }
    return i;
  }) as [number, number];
  return [from, to];
}

export function few(items: readonly string[], max = 3): string {
  if (items.length === 0) return '-';
  return items.length <= max
    ? items.join(', ')
    : `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/** The summary in text: the counts, isolation, then one row per namespace pair. */
function summaryText(s: EvaluationSummary): string[] {
  const lines = [
    `${s.pods} pods, ${s.policies} policies, ${s.connections} connections on ${s.ports.join(', ') || 'no ports'}: ${s.denied} denied`,
    `${s.classes} pod classes; isolated for ingress: ${s.isolated.ingress} pods, for egress: ${s.isolated.egress}; isolated by no policy: ${s.unisolated.length} pods${s.unisolated.length === 0 ? '' : ` (${few(s.unisolated, 5)})`}`,
  ];
  if (s.namespacePairs.length === 0) return lines;
  lines.push(
    '',
    formatTable(
      ['from', 'to', 'connections', 'allowed', 'denied', 'allowed by', 'denied by'],
      s.namespacePairs.map((p) => [
        p.from,
        p.to,
        String(p.connections),
        String(p.allowed),
        String(p.denied),
        few(p.allowedBy),
        few(p.deniedBy),
      ]),
    ),
  );
  return lines;
}

/** The reason of every verdict, or of one pair's verdicts, as text lines. */
function* reasonLines(ev: ClassEvaluation, pair: [number, number] | 'all'): Generator<string> {
  for (const o of ev.outcomes()) {
    if (pair !== 'all' && (o.from !== pair[0] || o.to !== pair[1])) continue;
    const v = ev.verdict(o.from, o.to, o.key);
    yield `${v.from} → ${v.to} ${v.protocol}/${v.port}: ${explainVerdict(v)}`;
  }
}

export function policyEvaluateCommand(
  flags: EvaluateFlags,
  ctx: CliContext,
  clusterPort?: ClusterPortFactory,
): Promise<number> {
  return withJsonErrors(flags.json === true || flags.format === 'json', ctx, async () => {
    const format = formatOf(flags);
    const selection = probeSelection(flags);
    const { model, policies, skipped } = await loadPolicyInputs(flags, ctx, {
      needModel: true,
      ...(clusterPort === undefined ? {} : { clusterPort }),
    });
    if (model === undefined) throw new Error('unreachable: evaluate always has a model');
    for (const note of skippedNotes(skipped)) writeLine(ctx.stderr, `note: ${note}`);
    for (const w of inputWarnings(model, policies)) writeLine(ctx.stderr, `warning: ${w}`);
    if (flags.policies !== undefined && policies.length === 0) {
      // Not an error (a cluster without policies is legal), but rarely what was meant.
      writeLine(
        ctx.stderr,
        `warning: ${flags.policies} holds no NetworkPolicy: every connection is allowed`,
      );
    }
    const explain = explainedPair(flags.explain, model);
    const ev = evaluateByClass(model, policies, selection);
    const reasons: ReasonFilter =
      explain === undefined
        ? 'none'
        : explain === 'all'
          ? 'all'
          : (f, t) => f === explain[0] && t === explain[1];
    const common = { signal: ctx.signal };
    switch (format) {
      case 'json':
        await streamLines(ctx.stdout, verdictJsonLines(ev, 'all'), {
          ...common,
          prefix: '{"verdicts":[\n',
          separator: ',',
          suffix: ']}\n',
        });
        return 0;
      case 'ndjson':
        await streamLines(ctx.stdout, verdictJsonLines(ev, reasons), common);
        return 0;
      case 'matrix':
        await streamLines(ctx.stdout, matrixLines(ev), common);
        return 0;
      case 'summary':
        writeJson(ctx.stdout, summarize(ev));
        return 0;
      case 'text':
        break;
    }
    const summary = summarize(ev);
    for (const line of summaryText(summary)) writeLine(ctx.stdout, line);
    writeLine(ctx.stdout);
    if (ev.keys.length === 0) {
      writeLine(ctx.stdout, 'nothing to evaluate: no pod declares a port; pass --ports');
      return 0;
    }
    if (model.pods.length <= truthTablePods) {
      for (const line of renderTruthTables(ev)) writeLine(ctx.stdout, line);
    } else {
      writeLine(
        ctx.stdout,
        `truth tables are drawn up to ${truthTablePods} pods; for all ${summary.connections} verdicts use --format matrix, ndjson or json, and --explain FROM TO for one pair`,
      );
    }
    if (explain !== undefined) {
      writeLine(ctx.stdout);
      await streamLines(ctx.stdout, reasonLines(ev, explain), common);
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
    const { model, policies, skipped } = await loadPolicyInputs(flags, ctx, { needModel: false });
    for (const note of skippedNotes(skipped)) writeLine(ctx.stderr, `note: ${note}`);
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
