/**
 * What `netbench agent <command> --config <json>` is given to run with, wherever it runs: a
 * process in a pod (the lab, a cluster) or in-process (the fake platform).
 */
import type { Readable, Writable } from 'node:stream';

export interface AgentIo {
  stdout: Pick<Writable, 'write'>;
  stderr: Pick<Writable, 'write'>;
  /** Requests from the runner (policy-agent reads probe requests here). */
  stdin?: Readable;
  /** Aborted on SIGTERM/SIGINT. */
  signal: AbortSignal;
}

/** The agent's commands: servers, the load generator, the policy probe agent. */
export const agentCommands = ['http-server', 'tcp-server', 'load', 'policy-agent'] as const;
export type AgentCommand = (typeof agentCommands)[number];

/** Runs one agent command to its end (servers: until `io.signal` aborts). */
export type AgentMain = (command: AgentCommand, configJson: string, io: AgentIo) => Promise<void>;
