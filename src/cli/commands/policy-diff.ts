/**
 * `netbench policy diff`: which connections a policy change opens and closes, the review
 * question of every policy pull request. Exit 5 (NB_POLICY_DIFF_OPENS) when the change opens
 * anything and --allow-opening is not given, so CI can gate on it.
 */
import { NetbenchError } from '../../core/errors.js';
import { evaluateByClass, type ClassEvaluation } from '../../policy/class-evaluator.js';
import { parseClusterDump } from '../../policy/cluster/cluster-dump.js';
import { explainVerdict } from '../../policy/explain.js';
import { parsePolicies } from '../../policy/parse-policies.js';
import {
  policyChanges,
  summarizeDiff,
  type DiffSummary,
  type PolicyChange,
} from '../../policy/policy-diff.js';
import type { CliContext } from '../context.js';
import { formatTable, writeLine } from '../output.js';
import {
  loadPolicyInputs,
  probeSelection,
  skippedNotes,
  type ClusterPortFactory,
  type PolicyInputFlags,
  type PolicyInputs,
} from '../policy-inputs.js';
import { readTextFile } from '../load-scenario-file.js';
import { withJsonErrors } from './policy.js';
import { streamLines } from './policy-stream.js';

export interface DiffFlags extends PolicyInputFlags {
  /** The new policies (the old ones: --policies, or the dump's or cluster's). */
  policiesNew?: string;
  /** A second kubectl dump: the cluster after the change. */
  fromFileNew?: string;
  ports?: string;
  protocols?: string;
  json?: boolean;
  format?: string;
  explain?: boolean;
  allowOpening?: boolean;
}

const diffFormats = ['text', 'json', 'ndjson'] as const;

/** Changes printed in text; the rest are counted (json and ndjson list them all). */
const textChanges = 20;

async function newSide(
  flags: DiffFlags,
  ctx: CliContext,
  old: PolicyInputs,
): Promise<PolicyInputs> {
  const parseOptions = flags.namespace === undefined ? {} : { defaultNamespace: flags.namespace };
  const policies =
    flags.policiesNew === undefined
      ? undefined
      : parsePolicies(
          await readTextFile(flags.policiesNew, ctx.cwd, 'new policies file'),
          flags.policiesNew,
          parseOptions,
        );
  if (flags.fromFileNew !== undefined) {
    const snapshot = parseClusterDump(
      await readTextFile(flags.fromFileNew, ctx.cwd, 'new cluster dump'),
      flags.fromFileNew,
      parseOptions,
    );
    return { ...snapshot, policies: policies ?? snapshot.policies };
  }
  if (policies === undefined) {
    throw new NetbenchError('NB_USAGE_BAD_FLAG', 'nothing to compare with', {
      hint: 'give the new policies (--policies-new FILE) or the new cluster dump (--from-file-new FILE)',
    });
  }
  return { model: old.model, policies };
}

function changeJson(
  c: PolicyChange,
  a: ClassEvaluation,
  b: ClassEvaluation,
  explain: boolean,
): string {
  const reasons = explain
    ? `,"before":${JSON.stringify(explainVerdict(a.verdict(...c.at.old)))},"after":${JSON.stringify(explainVerdict(b.verdict(...c.at.new)))}`
    : '';
  return `{"change":"${c.change}","from":${JSON.stringify(c.from)},"to":${JSON.stringify(c.to)},"port":${c.port},"protocol":"${c.protocol}"${reasons}}`;
}

function* limited<T>(items: Iterable<T>, max: number): Generator<T> {
  let n = 0;
  for (const x of items) {
    if (n++ >= max) return;
    yield x;
  }
}

function summaryLines(s: DiffSummary): string[] {
  const lines = [
    `${s.pods.compared} pods compared on ${s.ports.join(', ') || 'no ports'}, ${s.connections} connections: ${s.opened} opened, ${s.closed} closed`,
  ];
  if (s.pods.onlyOld + s.pods.onlyNew > 0) {
    lines.push(
      `not compared: ${s.pods.onlyOld} pods only in the old input, ${s.pods.onlyNew} only in the new`,
    );
  }
  if (s.namespacePairs.length > 0) {
    lines.push(
      '',
      formatTable(
        ['from', 'to', 'opened', 'closed'],
        s.namespacePairs.map((p) => [p.from, p.to, String(p.opened), String(p.closed)]),
      ),
    );
  }
  return lines;
}

export function policyDiffCommand(
  flags: DiffFlags,
  ctx: CliContext,
  clusterPort?: ClusterPortFactory,
): Promise<number> {
  const json = flags.json === true || flags.format === 'json';
  return withJsonErrors(json, ctx, async () => {
    const format = json ? 'json' : (flags.format ?? 'text');
    if (!(diffFormats as readonly string[]).includes(format)) {
      throw new NetbenchError(
        'NB_USAGE_BAD_FLAG',
        `--format ${JSON.stringify(format)} is not one of ${diffFormats.join(', ')}`,
        {
          hint: 'text (default), json or ndjson',
        },
      );
    }
    const selection = probeSelection(flags);
    const old = await loadPolicyInputs(flags, ctx, {
      needModel: true,
      ...(clusterPort === undefined ? {} : { clusterPort }),
    });
    const now = await newSide(flags, ctx, old);
    for (const note of skippedNotes(old.skipped)) writeLine(ctx.stderr, `note: ${note}`);
    if (old.model === undefined || now.model === undefined) {
      throw new Error('unreachable: diff always has a model');
    }
    const a = evaluateByClass(old.model, old.policies, selection);
    const b = evaluateByClass(now.model, now.policies, selection);
    const summary = summarizeDiff(a, b);
    const lines = (explain: boolean): Generator<string> =>
      (function* () {
        for (const c of policyChanges(a, b)) yield changeJson(c, a, b, explain);
      })();
    if (format === 'json') {
      await streamLines(ctx.stdout, lines(true), {
        prefix: `{"summary":${JSON.stringify(summary)},"changes":[\n`,
        separator: ',',
        suffix: ']}\n',
        signal: ctx.signal,
      });
    } else if (format === 'ndjson') {
      await streamLines(ctx.stdout, lines(flags.explain === true), { signal: ctx.signal });
    } else {
      for (const line of summaryLines(summary)) writeLine(ctx.stdout, line);
      for (const change of ['opened', 'closed'] as const) {
        const total = change === 'opened' ? summary.opened : summary.closed;
        if (total === 0) continue;
        writeLine(ctx.stdout);
        writeLine(
          ctx.stdout,
          `${change}${total > textChanges ? ` (first ${textChanges} of ${total}; --format ndjson lists all)` : ''}:`,
        );
        const these = (function* () {
          for (const c of policyChanges(a, b)) if (c.change === change) yield c;
        })();
        for (const c of limited(these, textChanges)) {
          writeLine(ctx.stdout, `  ${c.from} → ${c.to} ${c.protocol}/${c.port}`);
          if (flags.explain === true) {
            writeLine(ctx.stdout, `      before: ${explainVerdict(a.verdict(...c.at.old))}`);
            writeLine(ctx.stdout, `      after:  ${explainVerdict(b.verdict(...c.at.new))}`);
          }
        }
      }
    }
    if (summary.opened > 0 && flags.allowOpening !== true) {
      throw new NetbenchError(
        'NB_POLICY_DIFF_OPENS',
        `the change opens ${summary.opened} connection${summary.opened === 1 ? '' : 's'}`,
        {
          hint: 'review them (--explain says which rule opens each); pass --allow-opening when they are intended',
        },
      );
    }
    return 0;
  });
}
