import { spawn } from 'node:child_process';
import { packageRoot } from '../../src/util/package-root.js';
import { CLI } from './serve.js';

/**
 * A data directory as `npm run demo` leaves it (darknet day, survey demo, organisations, cases):
 * the compiled CLI's `demo` runs on it until it serves, then stops, so a test serves the same
 * data itself. `packets`: the synthetic day's size (small keeps the test quick).
 */
export function prepareDemoData(dataDir: string, opts: { packets: number; date: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, [CLI, 'demo', '--data', dataDir, '--packets', String(opts.packets), '--date', opts.date, '--port', '0'], {
      cwd: packageRoot(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let served = false;
    const timer = setTimeout(() => { c.kill('SIGKILL'); reject(new Error(`demo did not serve within 240 s: ${out}`)); }, 240_000);
    const onData = (d: Buffer): void => {
      out += d.toString();
      if (!served && /api\/v1\/auth\/link\?token=/.test(out)) {
        served = true;
        c.kill('SIGTERM');
      }
    };
    c.stdout?.on('data', onData);
    c.stderr?.on('data', (d: Buffer) => { out += d.toString(); });
    c.on('error', (e) => { clearTimeout(timer); reject(e); });
    c.on('exit', (code) => {
      clearTimeout(timer);
      if (served) resolve();
      else reject(new Error(`demo exited with ${code} before serving: ${out}`));
    });
  });
}
