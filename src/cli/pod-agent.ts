/**
 * The entry of the agent bundle shipped to pods: `node agent.js agent COMMAND --config JSON`.
 * Unlike the lab, closing an exec session does not kill the process it started, so the agent
 * stops when its stdin ends (the runner ends it to stop the agent) as well as on SIGTERM.
 */
import { isNetbenchError, NetbenchError } from '../core/errors.js';
import { agentCommands, type AgentCommand } from '../agent/agent-io.js';
import { runAgent } from './commands/agent.js';

async function main(argv: readonly string[]): Promise<number> {
  const [verb, command, flag, config] = argv;
  if (
    verb !== 'agent' ||
    !agentCommands.includes(command as AgentCommand) ||
    flag !== '--config' ||
    config === undefined
  ) {
    process.stderr.write(`usage: agent {${agentCommands.join('|')}} --config JSON\n`);
    return 2;
  }
  const abort = new AbortController();
  for (const s of ['SIGTERM', 'SIGINT'] as const) process.on(s, () => abort.abort());
  process.stdin.on('end', () => abort.abort());
  process.stdin.on('error', () => abort.abort());
  // The policy agent reads its requests from stdin; the others only watch for its end.
  if (command !== 'policy-agent') process.stdin.resume();
  try {
    await runAgent(command as AgentCommand, config, {
      stdout: process.stdout,
      stderr: process.stderr,
      stdin: process.stdin,
      signal: abort.signal,
    });
    return 0;
  } catch (error) {
    const e = isNetbenchError(error)
      ? error
      : new NetbenchError('NB_WORKLOAD_FAILED', (error as Error).message);
    process.stderr.write(
      `${JSON.stringify({ event: 'error', code: e.code, message: e.message, ...(e.hint === undefined ? {} : { hint: e.hint }) })}\n`,
    );
    return e.exitCode;
  }
}

const code = await main(process.argv.slice(2));
// Flush stdout before exiting: the exec stream carries the last result line.
// eslint-disable-next-line no-restricted-properties -- the bundle's entry is a program's main, as cli/main is
process.stdout.write('', () => process.exit(code));
