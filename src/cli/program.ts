/**
 * The command line: every command and flag declared once here (commander), each delegating to a
 * function in ./commands. `runCli` never exits the process; it returns the exit code, so tests
 * call it in-process with a captured context.
 */
import { Command, CommanderError, Option } from 'commander';
import { exitCodes, formatError, isNetbenchError, NetbenchError } from '../core/errors.js';
import { createLogger, type Logger } from '../core/logger.js';
import { toolVersion } from '../core/version.js';
import { agentCommands, type AgentCommand } from '../agent/agent-io.js';
import { runAgent } from './commands/agent.js';
import { datapathNames, kubeProxyModes, placementNames } from '../spec/dimensions.js';
import { compareCommand, type CompareFlags } from './commands/compare.js';
import { labDownCommand, labStatusCommand, labUpCommand, type LabUpFlags } from './commands/lab.js';
import { planCommand } from './commands/plan.js';
import {
  policyEvaluateCommand,
  policyLintCommand,
  policyVerifyCommand,
  withInputSource,
  type EvaluateFlags,
  type LintFlags,
} from './commands/policy.js';
import type { VerifyFlags } from './commands/policy-verify.js';
import { reportCommand, type ReportFlags } from './commands/report.js';
import { runCommand, type RunFlags } from './commands/run.js';
import { validateCommand } from './commands/validate.js';
import type { CliContext } from './context.js';

export async function runCli(argv: readonly string[], ctx: CliContext): Promise<number> {
  let exitCode = 0;
  let verbose = ctx.env.NETBENCH_LOG_LEVEL === 'debug';
  let errorSource: string | undefined;
  const logger = (): Logger => createLogger(ctx.stderr, verbose ? 'debug' : 'info');
  const program = new Command('netbench')
    .description(
      'Measure how Kubernetes networking choices change latency, throughput and CPU, on an embedded lab of kernel namespaces.',
    )
    .version(toolVersion(), '-V, --version', 'print the netbench version')
    .option('-v, --verbose', 'print debug detail (and stack traces of internal errors)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => ctx.stdout.write(s),
      writeErr: (s) => ctx.stderr.write(s),
    })
    .hook('preAction', (cmd) => {
      verbose ||= cmd.optsWithGlobals<{ verbose?: boolean }>().verbose === true;
    });

  program
    .command('run')
    .description('run a scenario (the built-in default when none is given) and write results')
    .argument('[scenario]', 'scenario YAML file')
    .option(
      '-o, --out <dir>',
      'results directory (env NETBENCH_OUT; default results/<name>-<run id>)',
    )
    .option(
      '--seed <n>',
      'seed of the randomised repetition order (default: the scenario seed, else random)',
    )
    .option('--repetitions <n>', 'override the scenario repetitions')
    .option('--duration <time>', 'override the measured duration of each repetition, e.g. 5s')
    .option('--warmup <time>', 'override the warm-up of each repetition, e.g. 1s')
    .option('-q, --quiet', 'no progress or summary on stderr')
    .option('--json', 'print the run id, status and results path as JSON on stdout')
    .action(async (scenario: string | undefined, flags: RunFlags) => {
      errorSource = scenario;
      exitCode = await runCommand(scenario, flags, ctx, logger());
    });

  program
    .command('validate')
    .description('check a scenario file and list every problem with its line')
    .argument('<file>', 'scenario YAML file')
    .option('--json', 'print the verdict and problems as JSON on stdout')
    .action(async (file: string, flags: { json?: boolean }) => {
      errorSource = file;
      exitCode = await validateCommand(file, flags, ctx);
    });

  program
    .command('plan')
    .description('list the trials and their order without creating anything')
    .argument('[scenario]', 'scenario YAML file')
    .option('--seed <n>', 'seed of the randomised repetition order')
    .option('--json', 'print the plan as JSON')
    .action(async (scenario: string | undefined, flags: { json?: boolean; seed?: string }) => {
      errorSource = scenario;
      exitCode = await planCommand(scenario, flags, ctx);
    });

  program
    .command('report')
    .description("render a run's report again from its results.json (no lab needed)")
    .argument('<dir>', 'results directory (or its results.json)')
    .option('-f, --format <format>', 'html, md, csv or json (default: from --out, else html)')
    .option(
      '-o, --out <file>',
      'write to this file (default stdout); md also writes <name>-charts/',
    )
    .option('--level <fraction>', 'confidence level of every interval (default 0.95)')
    .option('--iterations <n>', 'bootstrap resamples per figure (default 2000)')
    .action(async (dir: string, flags: ReportFlags) => {
      exitCode = await reportCommand(dir, flags, ctx);
    });

  program
    .command('compare')
    .description('changes from run A to run B per trial, with intervals and verdicts')
    .argument('<a>', 'results directory or results.json of the earlier run (the reference)')
    .argument('<b>', 'results directory or results.json of the later run')
    .option(
      '-t, --threshold <expr>',
      'fail (exit 5) when crossed, e.g. "change.p99 < 10%" (repeatable)',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option('--significant-only', 'a crossing fails only when the change is significant')
    .option('--level <fraction>', 'confidence level of every interval (default 0.95)')
    .option('--iterations <n>', 'bootstrap resamples per figure (default 2000)')
    .option('--json', 'print the comparison as JSON')
    .action(async (a: string, b: string, flags: CompareFlags) => {
      exitCode = await compareCommand(a, b, flags, ctx);
    });

  const lab = program.command('lab').description('build, inspect and clean up the embedded lab');
  lab
    .command('up')
    .description('build a lab with a client and a server pod and leave it running')
    .option('--datapath <name>', `${datapathNames.join(', ')} (default bridge)`)
    .option('--placement <where>', `${placementNames.join(', ')} (default same-node)`)
    .option('--services <count>', 'unrelated ClusterIP Services to program, e.g. 1k (default 0)')
    .option('--kube-proxy <mode>', `${kubeProxyModes.join(', ')} (default iptables)`)
    .option('--bandwidth <rate>', 'per-pod limit through the CNI bandwidth plugin, e.g. 100Mbit')
    .option('--json', 'print the lab as JSON')
    .action(async (flags: LabUpFlags) => {
      exitCode = await labUpCommand(flags, ctx, logger());
    });
  lab
    .command('down')
    .description('remove lab leftovers: every run whose netbench process is gone, or one run')
    .option('--run <id>', 'remove only this run')
    .option('--force', 'also remove runs whose netbench process is still running')
    .option('--json', 'print what was removed as JSON')
    .action(async (flags: { run?: string; force?: boolean; json?: boolean }) => {
      exitCode = await labDownCommand(flags, ctx);
    });
  lab
    .command('status')
    .description('list the lab runs, namespaces and processes that exist on this machine')
    .option('--json', 'print as JSON')
    .action(async (flags: { json?: boolean }) => {
      exitCode = await labStatusCommand(flags, ctx);
    });

  const policy = program
    .command('policy')
    .description('evaluate, lint and verify Kubernetes NetworkPolicies (see docs/policy.md)');
  policy
    .command('evaluate')
    .description(
      'decide every pod-to-pod connection of a model under NetworkPolicies (truth tables)',
    )
    .requiredOption(
      '--model <file>',
      'cluster model YAML: namespaces and pods with labels, ips, ports',
    )
    .requiredOption(
      '--policies <file>',
      'NetworkPolicy manifests: one or many documents, or a List',
    )
    .option(
      '--ports <list>',
      "probe these ports on every pod, e.g. 80,81 (default: each pod's declared ports)",
    )
    .option('--protocols <list>', 'only these protocols, e.g. TCP,UDP (default TCP,UDP,SCTP)')
    .option(
      '-n, --namespace <ns>',
      'namespace of policies without metadata.namespace (default "default")',
    )
    .option('--explain', 'print the reason of every verdict after the tables')
    .option('--json', 'print {"verdicts":[{from,to,port,protocol,allowed,self?,reason}]}')
    .action(async (flags: EvaluateFlags) => {
      errorSource = flags.policies;
      exitCode = await withInputSource(
        flags,
        (f) => (errorSource = f),
        () => policyEvaluateCommand(flags, ctx),
      );
    });
  policy
    .command('lint')
    .description(
      'find policies that are valid but probably wrong (missing default-deny, DNS, shadowed rules…)',
    )
    .requiredOption('--policies <file>', 'NetworkPolicy manifests')
    .option('--model <file>', 'cluster model YAML, for checks that need pods')
    .option(
      '--cni <name>',
      'the cluster CNI (e.g. flannel, calico): flags CNIs that ignore policies',
    )
    .option(
      '--pod-cidr <list>',
      'pod address ranges, e.g. 10.244.0.0/16: flags ipBlocks matching pods',
    )
    .option(
      '-n, --namespace <ns>',
      'namespace of policies without metadata.namespace (default "default")',
    )
    .option('--strict', 'fail (exit 5) on warnings too, not only on errors')
    .option('--json', 'print the findings as JSON')
    .action(async (flags: LintFlags) => {
      errorSource = flags.policies;
      exitCode = await withInputSource(
        flags,
        (f) => (errorSource = f),
        () => policyLintCommand(flags, ctx),
      );
    });
  policy
    .command('verify')
    .description(
      'build the model in the lab, enforce the policies, probe every pair and port, compare',
    )
    .requiredOption('--model <file>', 'cluster model YAML')
    .requiredOption('--policies <file>', 'NetworkPolicy manifests')
    .option(
      '--enforcer <name>',
      'iptables, nftables, or none to enforce nothing as a CNI without policy support (default iptables)',
    )
    .option('--datapath <name>', 'bridge (one node), vxlan or routed (default routed, two nodes)')
    .option('--ports <list>', "probe these ports on every pod (default: each pod's declared ports)")
    .option('--protocols <list>', 'only these protocols, e.g. TCP,UDP (default TCP,UDP,SCTP)')
    .option('--timeout <time>', 'how long a probe waits for an answer (default 1s)')
    .option(
      '-n, --namespace <ns>',
      'namespace of policies without metadata.namespace (default "default")',
    )
    .option('--json', 'print every probe with expected and observed as JSON')
    .action(async (flags: VerifyFlags) => {
      errorSource = flags.policies;
      exitCode = await withInputSource(
        flags,
        (f) => (errorSource = f),
        () => policyVerifyCommand(flags, ctx, logger()),
      );
    });

  program
    .command('agent', { hidden: true })
    .description('run a workload agent inside a pod (used by netbench itself)')
    .addArgument(new Command().createArgument('<command>', 'agent command').choices(agentCommands))
    .addOption(new Option('--config <json>', 'agent configuration as JSON').makeOptionMandatory())
    .action(async (command: AgentCommand, flags: { config: string }) => {
      try {
        await runAgent(command, flags.config, {
          stdout: ctx.stdout,
          stderr: ctx.stderr,
          stdin: process.stdin,
          signal: ctx.signal,
        });
      } catch (error) {
        const e = isNetbenchError(error)
          ? error
          : new NetbenchError('NB_WORKLOAD_FAILED', (error as Error).message);
        ctx.stderr.write(
          `${JSON.stringify({ event: 'error', code: e.code, message: e.message, ...(e.hint === undefined ? {} : { hint: e.hint }) })}\n`,
        );
        exitCode = e.exitCode;
      }
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
      ) {
        return exitCodes.ok;
      }
      return exitCodes.usage;
    }
    if (isNetbenchError(error)) {
      ctx.stderr.write(
        `${formatError(error, error.problems.length > 0 ? errorSource : undefined)}\n`,
      );
      if (verbose && error.cause instanceof Error) ctx.stderr.write(`${error.cause.stack ?? ''}\n`);
      return error.exitCode;
    }
    const e = error as Error;
    ctx.stderr.write(`internal error NB_INTERNAL: ${e.message}\n`);
    ctx.stderr.write(
      verbose
        ? `${e.stack ?? ''}\n`
        : '  hint: this is a netbench bug; rerun with --verbose and report the stack trace\n',
    );
    return exitCodes.internal;
  }
}
