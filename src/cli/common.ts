import type { Command } from 'commander';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { isSakimoriError, messageOf } from '../errors.js';

export interface GlobalFlags {
  data?: string;
  config?: string;
  clickhouseUrl?: string;
  postgresUrl?: string;
  sensor?: string;
  logLevel?: string;
}

/** The configuration for a command: defaults < file < env < global flags < command flags. */
export function configFrom(cmd: Command, extra: Record<string, unknown> = {}): Config {
  const g = cmd.optsWithGlobals<GlobalFlags>();
  const flags: Record<string, unknown> = { ...extra };
  if (g.data) flags['dataDir'] = g.data;
  if (g.clickhouseUrl) flags['clickhouseUrl'] = g.clickhouseUrl;
  if (g.postgresUrl) flags['postgresUrl'] = g.postgresUrl;
  if (g.sensor) flags['sensor'] = g.sensor;
  if (g.logLevel) flags['log'] = { level: g.logLevel };
  return loadConfig({ file: g.config, flags });
}

/** Prints an error the way an operator wants to read it: code, message, where. */
export function printError(e: unknown): void {
  if (isSakimoriError(e)) process.stderr.write(`error ${e.code}: ${e.message}\n`);
  else process.stderr.write(`error: ${messageOf(e)}\n`);
}

export function fmtInt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function pad(s: string, n: number, right = false): string {
  return right ? s.padStart(n) : s.padEnd(n);
}

/** Query parameters of the options that were given. */
export function definedParams(o: Record<string, string | undefined>): URLSearchParams {
  return new URLSearchParams(Object.entries(o).filter((e): e is [string, string] => e[1] !== undefined));
}
