import { execFileSync } from 'node:child_process';

/** Whether `command args` runs here (for tests that use a tool such as openssl or jq when it is installed). */
export function hasCommand(command: string, args: readonly string[] = ['--version']): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
