/**
 * A one-line progress bar on stderr when it is a terminal; silent otherwise (logs, pipes, CI).
 */
export class ProgressBar {
  private last = 0;
  private readonly tty = Boolean(process.stderr.isTTY);
  private readonly started = Date.now();

  /** `unit`: what is counted, as shown ('pkt' for packets, 'rec' for flow records). */
  constructor(private readonly unit = 'pkt') {}

  update(label: string, done: number, total: number | undefined, packets: number): void {
    if (!this.tty) return;
    const now = Date.now();
    if (now - this.last < 100) return;
    this.last = now;
    const secs = (now - this.started) / 1000;
    const rate = secs > 0 ? packets / secs : 0;
    const width = 28;
    const frac = total ? Math.min(1, done / total) : 0;
    const bar = total ? `[${'#'.repeat(Math.round(frac * width)).padEnd(width, '.')}] ${(frac * 100).toFixed(0).padStart(3)}%` : `${(done / 1e6).toFixed(1)} MB`;
    process.stderr.write(`\r${label.slice(-30).padEnd(30)} ${bar} ${(packets / 1e6).toFixed(2)}M ${this.unit}s ${(rate / 1e6).toFixed(2)}M ${this.unit}/s  `);
  }

  done(): void {
    if (this.tty) process.stderr.write('\r\x1b[K');
  }
}

/**
 * Stages of a long command (the demo): each stage prints a line when it ends, with its time. On
 * a terminal the running stage is one updating line; elsewhere (logs, CI) a line when it starts
 * and, for a counted stage, at most one line per 25 %.
 */
export class StageProgress {
  private readonly tty: boolean;
  private label = '';
  private t0 = 0;
  private lastQuarter = -1;
  private lastDraw = 0;

  constructor(private readonly out: NodeJS.WriteStream = process.stdout) {
    this.tty = Boolean(out.isTTY);
  }

  start(label: string): void {
    this.label = label;
    this.t0 = Date.now();
    this.lastQuarter = -1;
    this.out.write(this.tty ? `\r\x1b[K${label} …` : `${label} …\n`);
  }

  /** `done` of `total` (total unknown: 0); `unit` names what is counted. */
  tick(done: number, total: number, unit: string): void {
    const now = Date.now();
    const pct = total > 0 ? Math.min(100, Math.floor((done / total) * 100)) : -1;
    const secs = ((now - this.t0) / 1000).toFixed(0);
    if (this.tty) {
      if (now - this.lastDraw < 100) return;
      this.lastDraw = now;
      this.out.write(`\r\x1b[K${this.label} … ${pct >= 0 ? `${pct}% ` : ''}${done.toLocaleString('en-US')} ${unit} (${secs} s)`);
      return;
    }
    const quarter = pct >= 0 ? Math.floor(pct / 25) : -1;
    if (quarter <= this.lastQuarter || quarter >= 4) return;
    this.lastQuarter = quarter;
    if (quarter > 0) this.out.write(`  ${pct}% ${done.toLocaleString('en-US')} ${unit} (${secs} s)\n`);
  }

  /** What the running stage is doing now (a step without a count). */
  note(what: string): void {
    this.out.write(this.tty ? `\r\x1b[K${this.label} … ${what} (${((Date.now() - this.t0) / 1000).toFixed(0)} s)` : `  ${what}\n`);
  }

  /** Ends the stage with what it did. */
  end(summary: string): void {
    const secs = ((Date.now() - this.t0) / 1000).toFixed(1);
    this.out.write(`${this.tty ? '\r\x1b[K' : ''}${summary} (${secs} s)\n`);
  }
}
