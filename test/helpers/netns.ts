/**
 * Network namespaces for tests that probe: a namespace joined to the host by a veth pair, with
 * addresses on both ends, created with iproute2 and removed afterwards (also on process exit).
 * Probing tests target only these namespaces (and loopback), never the host's real networks.
 *
 *   host  <hostIf> 10.213.X.1/24  ───veth───  <nsIf> 10.213.X.2/24 (+ extra addresses)  namespace
 *
 * `anyIp` (a CIDR) makes the namespace answer for a whole range: a local route on its loopback
 * (every address is "ours" there), reached from the host through a route via 10.213.X.2, so a
 * /25 of responders costs no ARP and no per-address setup.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Netns {
  readonly name: string;
  readonly hostIf: string;
  readonly nsIf: string;
  /** The /24 of the link, e.g. 10.213.7 (no trailing dot). */
  readonly prefix: string;
  readonly hostIp: string;
  readonly nsIp: string;
  /** The range the namespace answers for entirely, when asked for (10.214.X.0/24). */
  readonly anyIp: string | undefined;
  /** Runs a command inside the namespace to completion. */
  exec(cmd: string, args: readonly string[]): Promise<{ stdout: string; stderr: string }>;
  /** Starts a long-running command inside the namespace (killed by close()). */
  spawn(cmd: string, args: readonly string[]): ChildProcess;
  close(): Promise<void>;
}

export interface NetnsOptions {
  /** Extra host numbers on the namespace side of the link (e.g. [3, 4, 9] → 10.213.X.3 …). */
  readonly extraHosts?: readonly number[];
  /** The namespace answers for every address of 10.214.X.0/24 (see above; `Netns.anyIp`). */
  readonly anyIp?: boolean;
}

let counter = 0;
const open = new Set<Netns>();
process.once('exit', () => {
  // Last resort: synchronous cleanup of what a failed test left behind.
  for (const n of open) {
    try {
      execFileSync('ip', ['netns', 'del', n.name], { stdio: 'ignore' });
    } catch { /* already gone */ }
  }
});

/** Why namespaces cannot be used here, or undefined when they can (root and iproute2). */
export async function netnsUnavailable(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'network namespaces need root';
  try {
    await run('ip', ['-V']);
  } catch {
    return 'iproute2 (`ip`) is not installed: apt-get install -y iproute2';
  }
  return undefined;
}

export async function createNetns(opts: NetnsOptions = {}): Promise<Netns> {
  // Names: at most 15 characters for interfaces; pid and a counter keep parallel runs apart.
  const id = `${process.pid % 100_000}${(counter++).toString(36)}`;
  const name = `sknet${id}`;
  const hostIf = `skh${id}`;
  const nsIf = `skn${id}`;
  // The third octet from the pid and counter (1–250), so concurrent suites rarely meet.
  const third = ((process.pid * 7 + counter * 13) % 250) + 1;
  const prefix = `10.213.${third}`;
  const hostIp = `${prefix}.1`;
  const nsIp = `${prefix}.2`;
  const anyIp = opts.anyIp ? `10.214.${third}.0/24` : undefined;
  const inNs = (args: string[]): Promise<unknown> => run('ip', ['netns', 'exec', name, ...args]);
  const created: Netns = {
    name, hostIf, nsIf, prefix, hostIp, nsIp, anyIp,
    exec: (cmd, args) => run('ip', ['netns', 'exec', name, cmd, ...args], { maxBuffer: 64 * 1024 * 1024 }),
    spawn: (cmd, args) => {
      const c = spawn('ip', ['netns', 'exec', name, cmd, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      children.add(c);
      c.once('exit', () => children.delete(c));
      return c;
    },
    close: async () => {
      for (const c of children) c.kill('SIGKILL');
      await run('ip', ['netns', 'del', name]).catch(() => undefined);
      // Deleting the namespace removes the pair, asynchronously; make sure of it.
      await run('ip', ['link', 'del', hostIf]).catch(() => undefined);
      if (anyIp) await run('ip', ['route', 'del', anyIp]).catch(() => undefined);
      open.delete(created);
    },
  };
  const children = new Set<ChildProcess>();
  open.add(created);
  try {
    await run('ip', ['netns', 'add', name]);
    await run('ip', ['link', 'add', hostIf, 'type', 'veth', 'peer', 'name', nsIf]);
    await run('ip', ['link', 'set', nsIf, 'netns', name]);
    await run('ip', ['addr', 'add', `${hostIp}/24`, 'dev', hostIf]);
    await run('ip', ['link', 'set', hostIf, 'up']);
    await inNs(['ip', 'link', 'set', 'lo', 'up']);
    await inNs(['ip', 'addr', 'add', `${nsIp}/24`, 'dev', nsIf]);
    for (const h of opts.extraHosts ?? []) await inNs(['ip', 'addr', 'add', `${prefix}.${h}/24`, 'dev', nsIf]);
    await inNs(['ip', 'link', 'set', nsIf, 'up']);
    if (anyIp) {
      await inNs(['ip', 'route', 'add', 'local', anyIp, 'dev', 'lo']);
      await run('ip', ['route', 'add', anyIp, 'via', nsIp, 'dev', hostIf]);
    }
  } catch (e) {
    await created.close();
    throw e;
  }
  return created;
}

/**
 * Makes `ip` (in the link's /24, not one of the namespace's addresses) a silent host: the host
 * routes it to the namespace, which does not forward and drops it without a reply, so probes
 * time out. (tc drop actions need kernel modules that containers often lack.)
 */
export async function silentHost(ns: Netns, ip: string): Promise<void> {
  await run('ip', ['route', 'add', `${ip}/32`, 'via', ns.nsIp, 'dev', ns.hostIf]);
  await ns.exec('sysctl', ['-qw', 'net.ipv4.ip_forward=0']);
}

export interface Capture {
  /** Stops the capture and returns the SYNs seen: destination address and port, time in seconds. */
  stop(): Promise<{ dst: string; port: number; t: number }[]>;
}

/** Captures outgoing SYNs (no ACK) on a host interface with tcpdump; resolves once it listens. */
export async function captureSyns(iface: string): Promise<Capture> {
  const c = spawn('tcpdump', ['-i', iface, '-n', '-l', '-tt', '-B', '16384', 'tcp[tcpflags] & tcp-syn != 0 and tcp[tcpflags] & tcp-ack == 0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  c.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  await new Promise<void>((resolve, reject) => {
    let err = '';
    const onErr = (d: Buffer): void => {
      err += d.toString();
      if (err.includes('listening on')) resolve();
    };
    c.stderr.on('data', onErr);
    c.once('error', reject);
    c.once('exit', (code) => reject(new Error(`tcpdump exited with ${code}: ${err}`)));
  });
  return {
    stop: async () => {
      // Let the last packets through the capture buffer, then stop it cleanly.
      await new Promise((r) => setTimeout(r, 300));
      const exited = new Promise<void>((r) => c.once('exit', () => r()));
      c.kill('SIGINT');
      await exited;
      const syns: { dst: string; port: number; t: number }[] = [];
      for (const line of out.split('\n')) {
        // 1732291200.123456 IP 10.213.7.1.45678 > 10.213.7.2.23: Flags [S], …
        const m = /^(\d+\.\d+) IP \S+ > (\d+\.\d+\.\d+\.\d+)\.(\d+): Flags \[S\]/.exec(line);
        if (m) syns.push({ t: Number(m[1]), dst: m[2] as string, port: Number(m[3]) });
      }
      return syns;
    },
  };
}
