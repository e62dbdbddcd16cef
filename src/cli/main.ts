#!/usr/bin/env node
/**
 * The process entry: wires the real world into a CliContext, turns SIGINT/SIGTERM into an abort
 * (tear down, keep results, exit 130), and is the only place that exits.
 */
import { systemClock } from '../core/clock.js';
import { createProcessRunner } from '../core/process-runner.js';
import { runCli } from './program.js';
import { tearsDown } from './signals.js';

const controller = new AbortController();
let signals = 0;
const onSignal = (signal: NodeJS.Signals): void => {
  signals += 1;
  if (signals === 1) {
    if (process.argv[2] !== 'agent') {
      process.stderr.write(
        `\n${signal}: stopping the load and tearing down (press Ctrl-C again to force)\n`,
      );
    }
    controller.abort(new Error(`received ${signal}`));
    return;
  }
  process.stderr.write('forced exit: run `netbench lab down` to remove what is left\n');
  process.exit(130);
};
// Only commands that build something catch the signal, to tear down first. The others (validate,
// plan, report, compare, policy evaluate|lint, schema, doctor) keep the default action, so Ctrl-C
// and `timeout` stop them at once even in the middle of CPU-bound work, which never lets a
// JavaScript handler run.
if (tearsDown(process.argv.slice(2))) {
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

// A reader that goes away (`netbench run | head`) must not kill the run before it tears the lab
// down: drop further output instead. Writes after the close fail with ERR_STREAM_DESTROYED.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return;
    throw error;
  });
}

// A bug that escapes every handler still gets the lab torn down: abort the run (its finally
// blocks remove what it built), then exit 1 once that had a fair chance.
process.on('uncaughtException', (error) => {
  process.stderr.write(`internal error NB_INTERNAL: ${error.stack ?? error.message}\n`);
  controller.abort(error);
  process.exitCode = 1;
  setTimeout(() => process.exit(1), 30_000).unref();
});

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  runner: createProcessRunner(),
  clock: systemClock,
  signal: controller.signal,
});
process.exitCode = code;
// Leave once output is flushed, even if a library left a handle open.
setTimeout(() => process.exit(code), 50).unref();
