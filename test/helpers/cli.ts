import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../../src/util/package-root.js';

const ROOT = packageRoot();

/** Arguments that run the CLI from source (through tsx), so tests need no build. */
export function cliArgs(args: readonly string[]): string[] {
  return ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts'), ...args];
}

export interface CliResult { code: number; stdout: string; stderr: string }

export function startCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, cliArgs(args), { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
}

export function runCli(args: readonly string[], opts: { env?: NodeJS.ProcessEnv; input?: Buffer } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = startCli(args, opts.env);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    if (opts.input) child.stdin?.end(opts.input);
    else child.stdin?.end();
  });
}
