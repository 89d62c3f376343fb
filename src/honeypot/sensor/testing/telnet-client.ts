/** A scripted telnet client for tests and the load generator: answers negotiation as Mirai does (WONT/DONT to everything), collects the text, waits for prompts. */
import { connect, type Socket } from 'node:net';

const IAC = 255;

export class TelnetClient {
  text = '';
  readonly socket: Socket;
  private waiters: { needle: string; from: number; resolve: (at: number) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }[] = [];
  closed = false;

  private constructor(socket: Socket, private readonly replyNegotiation: boolean) {
    this.socket = socket;
    socket.on('data', (b: Buffer) => this.data(b));
    socket.on('close', () => {
      this.closed = true;
      for (const w of this.waiters.splice(0)) { clearTimeout(w.timer); w.reject(new Error(`closed while waiting for ${JSON.stringify(w.needle)}; got ${JSON.stringify(this.text.slice(-200))}`)); }
    });
    socket.on('error', () => undefined);
  }

  static open(port: number, host = '127.0.0.1', replyNegotiation = true): Promise<TelnetClient> {
    return new Promise((resolve, reject) => {
      const s = connect({ port, host, noDelay: true }, () => { s.off('error', reject); resolve(new TelnetClient(s, replyNegotiation)); });
      s.once('error', reject);
    });
  }

  /** Opens a session and logs in with a pair the sensor accepts (the caller's sensor must not refuse it: `--reject-valid 0`); resolves at the shell prompt. */
  static async loggedIn(port: number, username: string, password: string): Promise<TelnetClient> {
    const c = await TelnetClient.open(port);
    let at = await c.waitFor('login: ', 5000, 0);
    c.send(`${username}\r\n`);
    at = await c.waitFor('Password: ', 5000, at);
    c.send(`${password}\r\n`);
    await c.waitFor('# ', 5000, at);
    return c;
  }

  private data(b: Buffer): void {
    let plain = '';
    for (let i = 0; i < b.length; i++) {
      if (b[i] === IAC && i + 2 < b.length + 1) {
        const verb = b[i + 1] as number;
        if (verb >= 251 && verb <= 254) {
          const opt = b[i + 2] as number;
          if (this.replyNegotiation) this.socket.write(Buffer.from([IAC, verb === 253 ? 252 : 254, opt]));
          i += 2;
          continue;
        }
        if (verb === 250) { const se = b.indexOf(240, i); i = se < 0 ? b.length : se; continue; }
        i += 1;
        continue;
      }
      plain += String.fromCharCode(b[i] as number);
    }
    this.text += plain;
    for (const w of [...this.waiters]) {
      const at = this.text.indexOf(w.needle, w.from);
      if (at >= 0) { clearTimeout(w.timer); this.waiters.splice(this.waiters.indexOf(w), 1); w.resolve(at + w.needle.length); }
    }
  }

  /** Resolves when `needle` appears after position `from` (default: anything after what is already here). */
  waitFor(needle: string, timeoutMs = 5000, from = this.text.length): Promise<number> {
    const at = this.text.indexOf(needle, from);
    if (at >= 0) return Promise.resolve(at + needle.length);
    if (this.closed) return Promise.reject(new Error(`closed; waiting for ${JSON.stringify(needle)}`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.timer !== timer);
        reject(new Error(`timed out waiting for ${JSON.stringify(needle)}; got ${JSON.stringify(this.text.slice(-300))}`));
      }, timeoutMs);
      this.waiters.push({ needle, from, resolve, reject, timer });
    });
  }

  /** Sends a line and waits for the next prompt; returns what came in between. */
  async command(line: string, prompt = '# '): Promise<string> {
    const from = this.text.length;
    this.socket.write(`${line}\r\n`);
    const end = await this.waitFor(`\r\n${prompt}`, 5000, from);
    return this.text.slice(from, end - prompt.length);
  }

  send(data: string | Uint8Array): void {
    this.socket.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  }

  close(): void {
    this.socket.end();
  }
}
