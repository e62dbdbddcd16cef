/**
 * Run ids: short, lowercase, unique enough to tell concurrent runs apart, and short enough to fit
 * in Linux interface names (15 bytes) with a prefix: every lab object is named `nb-<id>-…`.
 */
import { randomBytes } from 'node:crypto';

export type RunId = string;

const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
export const runIdLength = 5;

export function createRunId(): RunId {
  const bytes = randomBytes(runIdLength);
  let id = alphabet[bytes[0]! % 26]!; // start with a letter: valid in every name we build
  for (let i = 1; i < runIdLength; i++) id += alphabet[bytes[i]! % alphabet.length];
  return id;
}

export function isRunId(value: string): boolean {
  return new RegExp(`^[a-z][a-z0-9]{${runIdLength - 1}}$`).test(value);
}
