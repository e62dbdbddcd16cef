/** `netbench policy verify`: expected (evaluator) against observed (lab probes), every mismatch. */
import { existsSync } from 'node:fs';
import { NetbenchError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { createRunId } from '../../core/run-id.js';
import { parseDuration } from '../../core/units.js';
import { createLabPlatform } from '../../platform/lab/lab-platform.js';
import { explainVerdict } from '../../policy/explain.js';
import { portKeyText, probedPortKeys, type PortKey } from '../../policy/probes.js';
import { renderGrid } from '../../policy/truth-table.js';
import { verdictJson } from '../../policy/verdict-lines.js';
import {
  verifyInLab,
  type ProbeResult,
  type VerifyReport,
} from '../../policy-verify/run-verify.js';
import { datapathNames, dimensions, policyEnforcerNames } from '../../spec/dimensions.js';
import { suggestionHint } from '../../spec/suggest.js';
import type { CliContext } from '../context.js';
import { writeJson, writeLine } from '../output.js';
import { loadPolicyInputs, probeSelection } from '../policy-inputs.js';
import type { PolicyCounters } from '../../results/schema.js';

export interface VerifyFlags {
  model: string;
  policies: string;
  namespace?: string;
  ports?: string;
  protocols?: string;
  enforcer?: string;
  datapath?: string;
  timeout?: string;
  json?: boolean;
}

/** What verify says about SCTP on this machine, in text and JSON alike. */
function sctpNote(kernelStack: boolean): string {
  return `${kernelStack ? 'the kernel has an SCTP stack, but ' : 'this kernel has no SCTP stack (no /proc/net/sctp): '}SCTP is probed one way, with a crafted INIT sent over a raw socket and looked for on a raw socket in the destination pod; that checks the filters on the first packet of an association, not that one forms`;
}

function choice<T extends string>(
  flag: string,
  value: string | undefined,
  options: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if ((options as readonly string[]).includes(value)) return value as T;
  throw new NetbenchError(
    'NB_USAGE_BAD_FLAG',
    `--${flag} ${JSON.stringify(value)} is not one of ${options.join(', ')}`,
    {
      hint: suggestionHint(value, options),
    },
  );
}

function cell(r: ProbeResult | undefined): string {
  if (r === undefined) return '-';
  if (r.observed !== r.verdict.allowed) return '!';
  return r.observed ? '.' : 'X';
}

function describeMismatch(r: ProbeResult): string {
  const v = r.verdict;
  const want = v.allowed ? 'allowed' : 'denied';
  const got = r.observed ? 'allowed' : 'denied';
  return [
    `MISMATCH ${v.from} → ${v.to} ${v.protocol}/${v.port}: expected ${want}, observed ${got} (${r.detail}; ${r.attempts} attempt${r.attempts === 1 ? '' : 's'})`,
    `    expected because: ${explainVerdict(v)}`,
  ].join('\n');
}

function printReport(
  report: VerifyReport,
  keys: readonly PortKey[],
  ctx: CliContext,
  header: string[],
): void {
  for (const h of header) writeLine(ctx.stdout, h);
  for (const p of report.placements) {
    writeLine(
      ctx.stdout,
      `  ${p.model.id.padEnd(12)} lab pod ${p.pod} on ${p.node}, ${report.addresses[p.pod] ?? '?'}`,
    );
  }
  writeLine(ctx.stdout);
  const pods = report.placements.map((p) => p.model.id);
  for (const k of keys) {
    const cells = new Map<string, ProbeResult>();
    for (const r of report.results) {
      if (r.verdict.port === k.port && r.verdict.protocol === k.protocol) {
        cells.set(`${r.verdict.from}>${r.verdict.to}`, r);
      }
    }
    const wrong = [...cells.values()].filter((r) => r.observed !== r.verdict.allowed).length;
    writeLine(
      ctx.stdout,
      `${portKeyText(k)}: ${cells.size} probed, ${wrong} mismatch${wrong === 1 ? '' : 'es'}`,
    );
    for (const line of renderGrid(pods, (from, to) => cell(cells.get(`${from}>${to}`))))
      writeLine(ctx.stdout, line);
    writeLine(ctx.stdout);
  }
  writeLine(ctx.stdout, '. allowed as expected   X denied as expected   ! mismatch   - not probed');
  if (report.mismatches.length > 0) writeLine(ctx.stdout);
  for (const m of report.mismatches) writeLine(ctx.stdout, describeMismatch(m));
  writeLine(ctx.stdout);
  writeLine(
    ctx.stdout,
    `${report.results.length} probes, ${report.mismatches.length} mismatch${report.mismatches.length === 1 ? '' : 'es'}`,
  );
}

export async function runPolicyVerify(
  flags: VerifyFlags,
  ctx: CliContext,
  logger: Logger,
): Promise<number> {
  const selection = probeSelection(flags);
  const enforcer = choice(
    'enforcer',
    flags.enforcer,
    [...policyEnforcerNames, 'none'] as const,
    dimensions.enforcer.default,
  );
  const datapath = choice('datapath', flags.datapath, datapathNames, 'routed');
  let timeoutMs = 1000;
  if (flags.timeout !== undefined) {
    const t = parseDuration(flags.timeout);
    if (!t.ok || t.value <= 0 || t.value > 60) {
      throw new NetbenchError(
        'NB_USAGE_BAD_FLAG',
        `--timeout ${JSON.stringify(flags.timeout)} is not a duration from 1ms to 60s`,
        {
          hint: 'e.g. --timeout 500ms',
        },
      );
    }
    timeoutMs = Math.round(t.value * 1000);
  }
  const { model, policies } = await loadPolicyInputs(flags, ctx, { needModel: true });
  if (model === undefined) throw new Error('unreachable: --model is mandatory');
  const runId = createRunId();
  const platform = createLabPlatform({
    runner: ctx.runner,
    logger,
    runId,
    purpose: 'policy verify',
  });
  const report = await verifyInLab({
    model,
    policies,
    selection,
    enforcer,
    datapath,
    timeoutMs,
    platform,
    logger,
    signal: ctx.signal,
  });
  const kernelSctp = existsSync('/proc/net/sctp');
  const probesSctp = report.results.some((r) => r.verdict.protocol === 'SCTP');
  const facts = report.facts.policy;
  if (flags.json === true) {
    writeJson(ctx.stdout, {
      runId,
      datapath,
      enforcer,
      policy: facts,
      pods: report.placements.map((p) => ({
        pod: p.model.id,
        labPod: p.pod,
        node: p.node,
        ip: report.addresses[p.pod],
      })),
      ...(probesSctp
        ? {
            sctp: {
              kernelStack: kernelSctp,
              method: 'raw-init-one-way',
              note: sctpNote(kernelSctp),
            },
          }
        : {}),
      results: report.results.map((r) => ({
        ...verdictJson(r.verdict),
        expected: r.verdict.allowed,
        observed: r.observed,
        match: r.observed === r.verdict.allowed,
        detail: r.detail,
        attempts: r.attempts,
      })),
      mismatches: report.mismatches.length,
      ...(report.policyCounters === undefined ? {} : { policyCounters: report.policyCounters }),
    });
  } else {
    const enforcing =
      facts === undefined
        ? 'no enforcer: policies are not enforced, as with a CNI that has no policy engine (Flannel)'
        : `${enforcer} enforcer (${facts.tool}), ${facts.programmedRules} rules programmed in ${facts.programmingMs.toFixed(0)} ms`;
    const header = [
      `policy verify ${runId}: ${datapath} datapath, ${enforcing}`,
      ...(probesSctp ? [`note: ${sctpNote(kernelSctp)}`] : []),
      ...(facts?.notes ?? []).map((n) => `note: ${n}`),
    ];
    const keys = probedPortKeys(model, selection);
    printReport(report, keys, ctx, header);
    if (report.policyCounters !== undefined) {
      for (const line of counterSummary(report.policyCounters)) writeLine(ctx.stdout, line);
    }
  }
  if (report.mismatches.length > 0) {
    throw new NetbenchError(
      'NB_POLICY_MISMATCH',
      `${report.mismatches.length} of ${report.results.length} probes disagree with the policies`,
      {
        hint:
          enforcer === 'none'
            ? 'nothing enforced the policies: this is what a CNI without a policy engine does to them'
            : `the ${enforcer} enforcer and the evaluator disagree; rerun with --json to see each probe`,
      },
    );
  }
  return 0;
}

/**
 * What the enforcer counted during the probes, per policy: packets allowed by its rules and
 * dropped by the default deny of the pods it isolates (the conntrack fast path apart).
 */
function counterSummary(counters: PolicyCounters): string[] {
  const byPolicy = new Map<string, { allowed: number; dropped: number }>();
  let established = 0;
  for (const c of counters.counters) {
    if (c.direction === 'established') {
      established += c.packets;
      continue;
    }
    const row = byPolicy.get(c.policy) ?? { allowed: 0, dropped: 0 };
    row[c.verdict] += c.packets;
    byPolicy.set(c.policy, row);
  }
  return [
    '',
    `${counters.enforcer} counters during the probes (packets):`,
    ...[...byPolicy.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([policy, n]) => `  ${policy}: ${n.allowed} allowed, ${n.dropped} dropped`),
    `  established (conntrack fast path): ${established}`,
  ];
}
