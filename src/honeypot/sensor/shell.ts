/**
 * The sensor's shell: answers what bots type after a telnet login, from the fake file system and
 * files pushed in the session, and says what happened as events (URLs named, files pushed). It
 * runs nothing, opens nothing on the host and connects nowhere: every command is a function that
 * returns text. Text is latin1 (one char per byte) so pushed binaries hash as sent.
 */
import { posix } from 'node:path';
import { decodeEchoEscapes } from './echo-escapes.js';
import { isWritable, resolvePath, systemDir, systemFile } from './fake-fs.js';
import { PushedFile } from './pushed-file.js';
import { parseLine, type SimpleCommand } from './shell-parse.js';
import { ftpUrl, namedUrl, tftpUrl, type NamedUrl } from './url-of.js';

export interface ShellLimits {
  /** Bytes of a pushed file a session keeps to show with `cat` (its hash covers all of it). */
  readonly keepBytes: number;
  /** Bytes a pushed file may grow to; more is refused ("No space left on device"). */
  readonly maxFileBytes: number;
  /** Files a session may create. */
  readonly maxFiles: number;
}

export const DEFAULT_SHELL_LIMITS = { keepBytes: 4096, maxFileBytes: 8 * 1024 * 1024, maxFiles: 64 } as const satisfies ShellLimits;

/** What a line made happen, besides its output. */
export interface ShellEvent {
  readonly kind: 'download' | 'upload';
  readonly input: string;
  readonly url?: string;
  readonly url_host?: string;
  readonly sha256?: string;
  readonly size?: number;
  readonly detail: string;
}

export interface LineResult {
  /** What the shell prints (latin1, `\n` line ends). */
  readonly output: string;
  /** False when a command was not found (the line's command event has success 0). */
  readonly known: boolean;
  readonly events: ShellEvent[];
  /** `exit`/`logout`: the session ends. */
  readonly exit: boolean;
}

/** `err` is what a real tool writes to stderr, which `>` does not take. */
interface Run { out: string; err: string; status: number; known: boolean }

const NOT_FOUND_STATUS = 127;
const APPLETS = new Set([
  'busybox', 'echo', 'cat', 'ls', 'cd', 'pwd', 'uname', 'ps', 'wget', 'tftp', 'curl', 'ftpget', 'chmod', 'rm', 'cp', 'mv',
  'mkdir', 'touch', 'enable', 'system', 'shell', 'sh', 'linuxshell', 'exit', 'logout', 'id', 'whoami', 'kill', 'killall',
  'free', 'df', 'which', 'true', 'false', ':', 'sleep', 'export', 'history', 'reboot', 'ifconfig', 'uptime', 'hostname', 'mount', 'dd',
]);
/** Bots call these through busybox only to see whether it answers; "not found" there is how a honeypot gives itself away, so they exist. */
const SILENT = new Set(['enable', 'system', 'shell', 'sh', 'linuxshell', 'true', ':', 'sleep', 'export', 'history', 'kill', 'killall', 'touch', 'reboot']);

const PS = [
  '  PID USER       VSZ STAT COMMAND',
  '    1 root      1516 S    init',
  '    2 root         0 SW   [kthreadd]',
  '    3 root         0 SW   [ksoftirqd/0]',
  '  412 root      1520 S    /sbin/syslogd -n',
  '  498 root      2340 S    /usr/sbin/telnetd',
  '  503 root      5412 S    /usr/sbin/httpd',
  '  611 root      1524 S    -sh',
  '  640 root      1520 R    ps',
  '',
].join('\n');

export class Shell {
  cwd = '/';
  private readonly files = new Map<string, PushedFile>();
  private readonly dirs = new Set<string>();

  constructor(private readonly limits: ShellLimits = DEFAULT_SHELL_LIMITS, private readonly hostname = 'router') {}

  run(line: string): LineResult {
    const events: ShellEvent[] = [];
    let output = '';
    let known = true;
    let exit = false;
    let status = 0;
    let skip = false;
    for (const cmd of parseLine(line)) {
      if (!skip) {
        const name = cmd.argv[0] ?? '';
        if (name === 'exit' || name === 'logout') { exit = true; break; }
        const r = this.simple(cmd, events);
        output += r.out + r.err;
        status = r.status;
        if (!r.known) known = false;
      }
      // `a && b`: b when a succeeded; `a || b`: b when it failed; ; | & always.
      skip = cmd.next === '&&' ? status !== 0 : cmd.next === '||' ? status === 0 : false;
    }
    return { output, known, events, exit };
  }

  /** Files pushed and not yet recorded: the session is ending. */
  finish(): ShellEvent[] {
    const events: ShellEvent[] = [];
    for (const [path] of this.files) this.recordUpload(path, '', 'close', events);
    return events;
  }

  private simple(cmd: SimpleCommand, events: ShellEvent[]): Run {
    const input = [...cmd.argv, ...cmd.redirects.map((r) => `${r.fd === 1 || r.fd === 0 ? '' : r.fd}${r.op}${r.target}`)].join(' ');
    const r: Run = cmd.argv.length ? this.command(cmd.argv, input, events) : { out: '', err: '', status: 0, known: true };
    let { out, err, status } = r;
    for (const red of cmd.redirects) {
      if (red.op === '<' || red.op === '>&' || (red.fd !== 1 && red.fd !== 2)) continue;
      const w = this.writeTo(red.target, red.fd === 1 ? out : err, red.op === '>>');
      if (red.fd === 1) out = ''; else err = '';
      if (w.error) { err += w.error; status = 1; }
    }
    return { out, err, status, known: r.known };
  }

  private command(argv: string[], input: string, events: ShellEvent[]): Run {
    let [name = '', ...args] = argv;
    let viaBusybox = false;
    if (posix.basename(name) === 'busybox' && name.includes('busybox')) {
      if (args.length === 0) return ok('BusyBox v1.19.4 (2013-11-08 17:21:04 CST) multi-call binary.\n');
      viaBusybox = true;
      name = args[0] as string;
      args = args.slice(1);
    }
    if (name.includes('/') && !viaBusybox) {
      const path = resolvePath(this.cwd, name);
      if (this.files.has(path)) { this.recordUpload(path, input, 'exec', events); return ok(''); }
      const base = posix.basename(path);
      if (systemFile(path) !== undefined && APPLETS.has(base)) name = base;
      else return { out: '', err: `sh: ${name}: not found\n`, status: NOT_FOUND_STATUS, known: false };
    }
    if (!APPLETS.has(name)) {
      return viaBusybox
        ? { out: '', err: `${name}: applet not found\n`, status: NOT_FOUND_STATUS, known: false }
        : { out: '', err: `sh: ${name}: not found\n`, status: NOT_FOUND_STATUS, known: false };
    }
    if (SILENT.has(name)) {
      if ((name === 'sh' || name === 'linuxshell') && args[0] && !args[0].startsWith('-')) {
        const path = resolvePath(this.cwd, args[0]);
        if (this.files.has(path)) { this.recordUpload(path, input, 'exec', events); return ok(''); }
        return fail(`sh: can't open '${args[0]}': No such file or directory\n`, 2);
      }
      return ok('');
    }
    switch (name) {
      case 'echo': return ok(this.echo(args));
      case 'cat': return this.cat(args);
      case 'ls': return this.ls(args);
      case 'cd': return this.cd(args[0] ?? '/root');
      case 'pwd': return ok(`${this.cwd}\n`);
      case 'uname': return ok(this.uname(args));
      case 'ps': return ok(PS);
      case 'id': return ok('uid=0(root) gid=0(root)\n');
      case 'whoami': return ok('root\n');
      case 'hostname': return ok(`${this.hostname}\n`);
      case 'uptime': return ok(' 03:14:07 up 41 days,  2:17,  load average: 0.08, 0.03, 0.01\n');
      case 'free': return ok('              total         used         free       shared      buffers\nMem:         61384        48632        12752            0         1544\n');
      case 'df': return ok('Filesystem           1K-blocks      Used Available Use% Mounted on\n/dev/root                 5632      5632         0 100% /\ntmpfs                    30692        24     30668   0% /tmp\n');
      case 'mount': return ok(systemFile('/proc/mounts') ?? '');
      case 'ifconfig': return ok('eth0      Link encap:Ethernet  HWaddr 00:12:16:4B:2A:91\n          inet addr:192.168.1.10  Bcast:192.168.1.255  Mask:255.255.255.0\n');
      case 'false': return { out: '', err: '', status: 1, known: true };
      case 'which': return ok(args.filter((a) => APPLETS.has(a)).map((a) => `/bin/${a}\n`).join(''));
      case 'chmod': return this.chmod(args, input, events);
      case 'rm': return this.rm(args);
      case 'cp': case 'mv': return this.copy(name, args);
      case 'mkdir': return this.mkdir(args);
      case 'dd': return this.dd(args);
      case 'wget': return this.wget(args, input, events);
      case 'tftp': return this.tftp(args, input, events);
      case 'curl': return this.curl(args, input, events);
      case 'ftpget': return this.ftpget(args, input, events);
      default: return ok('');
    }
  }

  private echo(args: string[]): string {
    let newline = true;
    let escapes = false;
    let i = 0;
    for (; i < args.length && /^-[neE]+$/.test(args[i] as string); i++) {
      const o = args[i] as string;
      if (o.includes('n')) newline = false;
      if (o.includes('e')) escapes = true;
      if (o.includes('E')) escapes = false;
    }
    const text = args.slice(i).join(' ');
    if (!escapes) return newline ? `${text}\n` : text;
    const d = decodeEchoEscapes(text);
    return d.stop || !newline ? d.text : `${d.text}\n`;
  }

  private read(path: string): string | undefined {
    return this.files.get(path)?.kept ?? systemFile(path);
  }

  private isDir(path: string): boolean {
    return systemDir(path) !== undefined || this.dirs.has(path);
  }

  private cat(args: string[]): Run {
    let out = '';
    let err = '';
    let status = 0;
    for (const a of args.filter((x) => !x.startsWith('-'))) {
      const path = resolvePath(this.cwd, a);
      const text = this.read(path);
      if (text !== undefined) out += text;
      else if (this.isDir(path)) { err += 'cat: read error: Is a directory\n'; status = 1; }
      else { err += `cat: can't open '${a}': No such file or directory\n`; status = 1; }
    }
    return { out, err, status, known: true };
  }

  private dd(args: string[]): Run {
    const opt = (k: string): string | undefined => args.find((a) => a.startsWith(`${k}=`))?.slice(k.length + 1);
    const src = opt('if');
    const text = src ? this.read(resolvePath(this.cwd, src)) : '';
    if (text === undefined) return fail(`dd: can't open '${src ?? ''}': No such file or directory\n`, 1);
    const bs = Number(opt('bs') ?? 512) || 512;
    const count = opt('count') === undefined ? Infinity : Number(opt('count')) || 0;
    const out = text.slice(0, Math.min(text.length, bs * count));
    const blocks = Math.ceil(out.length / bs);
    return ok(`${out}${blocks}+0 records in\n${blocks}+0 records out\n`);
  }

  private ls(args: string[]): Run {
    const targets = args.filter((a) => !a.startsWith('-'));
    const path = resolvePath(this.cwd, targets[0] ?? '.');
    if (this.files.has(path) || systemFile(path) !== undefined) return ok(`${targets[0]}\n`);
    if (!this.isDir(path)) return fail(`ls: ${targets[0]}: No such file or directory\n`, 1);
    const names = new Set(systemDir(path) ?? []);
    for (const p of [...this.files.keys(), ...this.dirs]) if (posix.dirname(p) === path) names.add(posix.basename(p));
    return ok([...names].sort().map((n) => `${n}\n`).join(''));
  }

  private cd(dir: string): Run {
    const path = resolvePath(this.cwd, dir);
    if (!this.isDir(path)) return fail(`sh: cd: can't cd to ${dir}\n`, 2);
    this.cwd = path;
    return ok('');
  }

  private uname(args: string[]): string {
    const flags = args.join('');
    const parts: Record<string, string> = { s: 'Linux', n: this.hostname, r: '3.0.8', v: '#1 Fri Nov 8 17:32:43 CST 2013', m: 'armv7l' };
    if (flags.includes('a')) return `Linux ${this.hostname} 3.0.8 #1 Fri Nov 8 17:32:43 CST 2013 armv7l GNU/Linux\n`;
    const picked = 'snrvm'.split('').filter((f) => flags.includes(f)).map((f) => parts[f]);
    return `${(picked.length ? picked : ['Linux']).join(' ')}\n`;
  }

  private chmod(args: string[], input: string, events: ShellEvent[]): Run {
    const files = args.filter((a) => !a.startsWith('-')).slice(1);
    let out = '';
    for (const f of files) {
      const path = resolvePath(this.cwd, f);
      if (this.files.has(path)) this.recordUpload(path, input, 'chmod', events);
      else if (systemFile(path) === undefined && !this.isDir(path)) out += `chmod: ${f}: No such file or directory\n`;
    }
    return { out: '', err: out, status: out ? 1 : 0, known: true };
  }

  private rm(args: string[]): Run {
    const force = args.some((a) => /^-[a-z]*f/.test(a));
    let out = '';
    for (const f of args.filter((a) => !a.startsWith('-'))) {
      const path = resolvePath(this.cwd, f);
      if (this.files.delete(path) || this.dirs.delete(path)) continue;
      if (systemFile(path) !== undefined || systemDir(path) !== undefined) out += `rm: can't remove '${f}': Read-only file system\n`;
      else if (!force) out += `rm: can't remove '${f}': No such file or directory\n`;
    }
    return { out: '', err: out, status: out ? 1 : 0, known: true };
  }

  private copy(name: string, args: string[]): Run {
    const [from, to] = args.filter((a) => !a.startsWith('-'));
    if (!from || !to) return fail(`${name}: missing file operand\n`, 1);
    const src = resolvePath(this.cwd, from);
    let dst = resolvePath(this.cwd, to);
    if (this.isDir(dst)) dst = posix.join(dst, posix.basename(src));
    const pushed = this.files.get(src);
    const text = pushed ? undefined : systemFile(src);
    if (!pushed && text === undefined) return fail(`${name}: can't stat '${from}': No such file or directory\n`, 1);
    if (!isWritable(dst)) return fail(`${name}: can't create '${to}': Read-only file system\n`, 1);
    if (!this.files.has(dst) && this.files.size >= this.limits.maxFiles) return fail(`${name}: write error: No space left on device\n`, 1);
    let copy: PushedFile;
    if (pushed) copy = pushed.copy();
    else { copy = new PushedFile(this.limits.keepBytes, this.limits.maxFileBytes); copy.write(text ?? ''); }
    copy.recorded = '';
    this.files.set(dst, copy);
    if (name === 'mv' && pushed) this.files.delete(src);
    return ok('');
  }

  private mkdir(args: string[]): Run {
    let out = '';
    for (const d of args.filter((a) => !a.startsWith('-'))) {
      const path = resolvePath(this.cwd, d);
      if (this.isDir(path)) continue;
      if (!isWritable(path)) out += `mkdir: can't create directory '${d}': Read-only file system\n`;
      else if (this.dirs.size < this.limits.maxFiles) this.dirs.add(path);
    }
    return { out: '', err: out, status: out ? 1 : 0, known: true };
  }

  /** A redirect: `error` is what the shell says instead of the output ('' when written). */
  private writeTo(target: string, text: string, append: boolean): { error: string } {
    if (target === '/dev/null' || target === '') return { error: '' };
    const path = resolvePath(this.cwd, target);
    if (this.isDir(path)) return { error: `sh: can't create ${target}: Is a directory\n` };
    if (!isWritable(path) || systemFile(path) !== undefined) return { error: `sh: can't create ${target}: Read-only file system\n` };
    let f = this.files.get(path);
    if (!f) {
      if (this.files.size >= this.limits.maxFiles) return { error: `sh: can't create ${target}: No space left on device\n` };
      f = new PushedFile(this.limits.keepBytes, this.limits.maxFileBytes);
      this.files.set(path, f);
    } else if (!append) {
      f.truncate();
    }
    if (text.length) f.pushed = true;
    return f.write(text) ? { error: '' } : { error: 'sh: write error: No space left on device\n' };
  }

  private recordUpload(path: string, input: string, trigger: 'chmod' | 'exec' | 'close', events: ShellEvent[]): void {
    const f = this.files.get(path);
    if (!f || !f.pushed || f.size === 0) return;
    const sha256 = f.digest();
    const id = `${sha256}:${f.size}`;
    if (f.recorded === id) return;
    f.recorded = id;
    events.push({ kind: 'upload', input, sha256, size: f.size, detail: JSON.stringify({ path, trigger, ...(f.refused ? { refusedBytes: f.refused } : {}) }) });
  }

  private download(tool: string, u: NamedUrl | undefined, input: string, events: ShellEvent[]): void {
    if (u) events.push({ kind: 'download', input, url: u.url, url_host: u.host, detail: JSON.stringify({ tool }) });
  }

  private wget(args: string[], input: string, events: ShellEvent[]): Run {
    const valued = new Set(['-O', '-o', '-P', '-U', '-T', '-Y', '-l', '-r', '-g', '--header', '--user-agent', '--post-data']);
    const opts = new Map<string, string>();
    const plain: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i] as string;
      if (valued.has(a)) opts.set(a, args[++i] ?? '');
      else if (!a.startsWith('-')) plain.push(a);
    }
    // `wget -g HOST -l LOCAL -r REMOTE` (tftp's flags, as some loaders send them)
    const g = opts.get('-g');
    const remote = opts.get('-r');
    const u = g && remote ? tftpUrl(g, remote) : plain[0] ? namedUrl(plain[0]) : undefined;
    if (!u) return fail('BusyBox v1.19.4 (2013-11-08 17:21:04 CST) multi-call binary.\n\nUsage: wget [-c|--continue] [-s|--spider] [-q|--quiet] [-O|--output-document FILE] URL...\n', 1);
    this.download('wget', u, input, events);
    const port = portOf(u.url) ?? '80';
    return fail(`Connecting to ${u.host} (${u.host}:${port})\nwget: can't connect to remote host (${u.host}): Connection timed out\n`, 1);
  }

  private tftp(args: string[], input: string, events: ShellEvent[]): Run {
    const opts = new Map<string, string>();
    const plain: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i] as string;
      if (a === '-l' || a === '-r' || a === '-b') opts.set(a, args[++i] ?? '');
      else if (!a.startsWith('-')) plain.push(a);
    }
    const [host, port] = plain;
    const file = opts.get('-r') ?? opts.get('-l');
    if (!host || !file) return fail('BusyBox v1.19.4 (2013-11-08 17:21:04 CST) multi-call binary.\n\nUsage: tftp [OPTIONS] HOST [PORT]\n', 1);
    this.download('tftp', tftpUrl(host, file, port), input, events);
    return fail('tftp: timeout\n', 1);
  }

  private curl(args: string[], input: string, events: ShellEvent[]): Run {
    const valued = new Set(['-o', '-A', '-H', '-d', '-X', '-u', '-e', '--output', '--user-agent', '--data']);
    const plain: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i] as string;
      if (valued.has(a)) i++;
      else if (!a.startsWith('-')) plain.push(a);
    }
    const u = plain[0] ? namedUrl(plain[0]) : undefined;
    if (!u) return fail("curl: try 'curl --help' for more information\n", 2);
    this.download('curl', u, input, events);
    return fail(`curl: (7) Failed to connect to ${u.host} port ${portOf(u.url) ?? '80'}: Connection refused\n`, 7);
  }

  private ftpget(args: string[], input: string, events: ShellEvent[]): Run {
    let port: string | undefined;
    const plain: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i] as string;
      if (a === '-u' || a === '-p') i++;
      else if (a === '-P') port = args[++i];
      else if (!a.startsWith('-')) plain.push(a);
    }
    const [host, local, remote] = plain;
    if (!host || !local) return fail('BusyBox v1.19.4 (2013-11-08 17:21:04 CST) multi-call binary.\n\nUsage: ftpget [OPTIONS] HOST [LOCAL_FILE] REMOTE_FILE\n', 1);
    this.download('ftpget', ftpUrl(host, remote ?? local, port), input, events);
    return fail(`ftpget: can't connect to remote host (${host}): Connection refused\n`, 1);
  }
}

function ok(out: string): Run {
  return { out, err: '', status: 0, known: true };
}

function fail(err: string, status: number): Run {
  return { out: '', err, status, known: true };
}

function portOf(url: string): string | undefined {
  try {
    return new URL(url).port || undefined;
  } catch {
    return undefined;
  }
}
