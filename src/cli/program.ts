/**
 * The command line: every command declared once here (commander), its flags picked from the flag
 * table (./flags.ts), each delegating to a function in ./commands. `runCli` never exits the process; it returns the exit code, so tests
 * call it in-process with a captured context.
 */
import { Command, CommanderError } from 'commander';
import { exitCodes, formatError, isNetbenchError, NetbenchError } from '../core/errors.js';
import { createLogger, type Logger } from '../core/logger.js';
import { toolVersion } from '../core/version.js';
import { agentCommands, type AgentCommand } from '../agent/agent-io.js';
import { runAgent } from './commands/agent.js';
import { adviseCommand } from './commands/advise.js';
import { clusterDownCommand, clusterStatusCommand } from './commands/cluster.js';
import { dashboardsCommand } from './commands/dashboards.js';
import { exportCommand } from './commands/export.js';
import { imagesCommand } from './commands/images.js';
import { compareCommand } from './commands/compare.js';
import { labDownCommand, labStatusCommand, labUpCommand } from './commands/lab.js';
import { planCommand } from './commands/plan.js';
import {
  policyEvaluateCommand,
  policyLintCommand,
  policyVerifyCommand,
  withInputSource,
} from './commands/policy.js';
import { reportCommand } from './commands/report.js';
import { runCommand } from './commands/run.js';
import { scenarioSchemaPath } from '../spec/json-schema.js';
import { schemaCommand } from './commands/schema.js';
import { doctorCommand } from './commands/doctor.js';
import { createDoctorPort } from './doctor/doctor-port.js';
import { validateCommand } from './commands/validate.js';
import type { CliContext } from './context.js';
import { FlagCommand } from './flag-command.js';
import { policyDiffCommand } from './commands/policy-diff.js';
import { commandFlags, flags as flagTable, helpText } from './flags.js';

export async function runCli(argv: readonly string[], ctx: CliContext): Promise<number> {
  let exitCode = 0;
  let verbose = ctx.env.NETBENCH_LOG_LEVEL === 'debug';
  let errorSource: string | undefined;
  const logger = (): Logger => createLogger(ctx.stderr, verbose ? 'debug' : 'info');
  const program = new FlagCommand('netbench')
    .description(
      'Measure how Kubernetes networking choices change latency, throughput and CPU, on an embedded lab of kernel namespaces.',
    )
    .version(toolVersion(), '-V, --version', 'print the netbench version')
    .option(flagTable.verbose.syntax, helpText(flagTable.verbose))
    .exitOverride()
    .configureOutput({
      writeOut: (s) => ctx.stdout.write(s),
      writeErr: (s) => ctx.stderr.write(s),
      // Usage errors become NB_USAGE_* errors (flag-command.ts), printed below with a hint.
      outputError: () => undefined,
      // Help wraps to the terminal it goes to, else to 80 columns (docs/cli.md is generated so).
      getOutHelpWidth: () => ctx.stdout.columns ?? 80,
      getErrHelpWidth: () => ctx.stderr.columns ?? 80,
    })
    .hook('preAction', (cmd) => {
      verbose ||= cmd.optsWithGlobals<{ verbose?: boolean }>().verbose === true;
    });

  program
    .command('run')
    .description('run a scenario (the built-in default when none is given) and write results')
    .argument('[scenario]', 'scenario YAML file')
    .with(commandFlags.run, async ([scenario], flags) => {
      errorSource = scenario;
      exitCode = await runCommand(scenario, flags, ctx, logger());
    });

  program
    .command('validate')
    .description('check a scenario file and list every problem with its line')
    .argument('<file>', 'scenario YAML file')
    .with(commandFlags.validate, async ([file], flags) => {
      errorSource = file;
      exitCode = await validateCommand(file!, flags, ctx);
    });

  program
    .command('plan')
    .description('list the trials and their order without creating anything')
    .argument('[scenario]', 'scenario YAML file')
    .with(commandFlags.plan, async ([scenario], flags) => {
      errorSource = scenario;
      exitCode = await planCommand(scenario, flags, ctx);
    });

  program
    .command('report')
    .description("render a run's report again from its results.json (no lab needed)")
    .argument('<dir>', 'results directory (or its results.json)')
    .with(commandFlags.report, async ([dir], flags) => {
      exitCode = await reportCommand(dir!, flags, ctx);
    });

  program
    .command('compare')
    .description('changes from run A to run B per trial, with intervals and verdicts')
    .argument('<a>', 'results directory or results.json of the earlier run (the reference)')
    .argument('<b>', 'results directory or results.json of the later run')
    .with(commandFlags.compare, async ([a, b], flags) => {
      exitCode = await compareCommand(a!, b!, flags, ctx);
    });

  program
    .command('schema')
    .description(
      `print the JSON Schema of scenario files (shipped as ${scenarioSchemaPath}), for editors`,
    )
    .with(commandFlags.schema, () => {
      exitCode = schemaCommand(ctx);
      return Promise.resolve();
    });

  program
    .command('doctor')
    .description(
      'what this machine has and lacks for each platform, datapath and workload, with install commands',
    )
    .with(commandFlags.doctor, async (_, flags) => {
      exitCode = await doctorCommand(flags, createDoctorPort(ctx.runner, ctx.env), ctx);
    });

  const lab = program.command('lab').description('build, inspect and clean up the embedded lab');
  lab
    .command('up')
    .description('build a lab with a client and a server pod and leave it running')
    .with(commandFlags.labUp, async (_, flags) => {
      exitCode = await labUpCommand(flags, ctx, logger());
    });
  lab
    .command('down')
    .description('remove lab leftovers: every run whose netbench process is gone, or one run')
    .with(commandFlags.labDown, async (_, flags) => {
      exitCode = await labDownCommand(flags, ctx);
    });
  lab
    .command('status')
    .description('list the lab runs, namespaces and processes that exist on this machine')
    .with(commandFlags.labStatus, async (_, flags) => {
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
    .with(commandFlags.policyEvaluate, async (_, flags) => {
      errorSource = flags.policies ?? flags.fromFile;
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
    .with(commandFlags.policyLint, async (_, flags) => {
      errorSource = flags.policies ?? flags.fromFile;
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
    .with(commandFlags.policyVerify, async (_, flags) => {
      errorSource = flags.policies;
      exitCode = await withInputSource(
        flags,
        (f) => (errorSource = f),
        () => policyVerifyCommand(flags, ctx, logger()),
      );
    });
  policy
    .command('diff')
    .description(
      'which connections a policy change opens and closes (exit 5 when it opens any, for CI)',
    )
    .with(commandFlags.policyDiff, async (_, flags) => {
      errorSource = flags.policiesNew ?? flags.policies ?? flags.fromFile;
      exitCode = await withInputSource(
        flags,
        (f) => (errorSource = f),
        () => policyDiffCommand(flags, ctx),
      );
    });

  program
    .command('advise')
    .description(
      'recommend a CNI, mesh, kube-proxy mode and observability from requirements and measured runs',
    )
    .argument('[runs...]', 'results directories or results.json files to use as evidence')
    .with(commandFlags.advise, async ([runs], flags) => {
      errorSource = flags.requirements;
      // A variadic argument arrives as one list (commander), not as separate strings.
      const evidence = (runs as unknown as string[] | undefined) ?? [];
      exitCode = await adviseCommand(evidence, flags, ctx);
    });

  program
    .command('export')
    .description(
      "a run's figures as OpenMetrics for Prometheus: to stdout, a file, or a Pushgateway",
    )
    .argument('<dir>', 'results directory (or its results.json)')
    .with(commandFlags.export, async ([dir], flags) => {
      exitCode = await exportCommand(dir!, flags, ctx);
    });

  program
    .command('dashboards')
    .description(
      "write Grafana dashboards: netbench's runs and live runs, and the four cluster dashboards over Hubble/Istio metrics",
    )
    .with(commandFlags.dashboards, async (_, flags) => {
      exitCode = await dashboardsCommand(flags, ctx);
    });

  const cluster = program
    .command('cluster')
    .description('inspect and clean up what netbench left on a Kubernetes cluster');
  cluster
    .command('status')
    .description('list the netbench namespaces on the cluster and whether their run still runs')
    .with(commandFlags.clusterStatus, async (_, flags) => {
      exitCode = await clusterStatusCommand(flags, ctx);
    });
  cluster
    .command('down')
    .description(
      'delete the namespaces of crashed runs (or of one run) and wait until they are gone',
    )
    .with(commandFlags.clusterDown, async (_, flags) => {
      exitCode = await clusterDownCommand(flags, ctx);
    });

  program
    .command('images')
    .description(
      'print every container image a kubernetes run of the scenario needs (for mirroring)',
    )
    .argument('[scenario]', 'scenario YAML file')
    .with(commandFlags.images, async ([scenario], flags) => {
      errorSource = scenario;
      exitCode = await imagesCommand(scenario, flags, ctx);
    });

  program
    .command('agent', { hidden: true })
    .description('run a workload agent inside a pod (used by netbench itself)')
    .addArgument(new Command().createArgument('<command>', 'agent command').choices(agentCommands))
    .with(commandFlags.agent, async ([command], flags) => {
      try {
        await runAgent(command as AgentCommand, flags.config, {
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
