/**
 * A one-line progress bar on stderr when it is a terminal; silent otherwise (logs, pipes, CI).
 */
export class ProgressBar {
  private last = 0;
  private readonly tty = Boolean(process.stderr.isTTY);
  private readonly started = Date.now();

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
    process.stderr.write(`\r${label.slice(-30).padEnd(30)} ${bar} ${(packets / 1e6).toFixed(2)}M pkts ${(rate / 1e6).toFixed(2)}M pkt/s  `);
  }

  done(): void {
    if (this.tty) process.stderr.write('\r\x1b[K');
  }
}
