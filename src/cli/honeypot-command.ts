/** The `honeypot` command group; each subcommand registers itself from its own module. */
import type { Command } from 'commander';
import { registerHoneypotRun } from './honeypot-run-command.js';

export function registerHoneypot(program: Command): void {
  const honeypot = program.command('honeypot').description('honeypots: run our own IoT telnet/HTTP sensor');
  registerHoneypotRun(honeypot);
}
