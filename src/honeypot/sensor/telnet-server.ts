/** The telnet listener: admits connections through the gate, runs a session each, and sweeps their time bounds once a second. */
import { createServer, type Server, type Socket } from 'node:net';
import type { ConnectionGate } from './connection-gate.js';
import type { ListenAddress } from './listen-address.js';
import { SessionEvents, type EventSink } from './session-events.js';
import { TelnetSession, type TelnetCounters, type TelnetSessionDeps } from './telnet-session.js';

export interface TelnetListener {
  readonly port: number;
  readonly counters: TelnetCounters;
  readonly open: () => number;
  stop(): Promise<void>;
}

export async function startTelnet(at: ListenAddress, gate: ConnectionGate, sink: EventSink, sensor: string, deps: Omit<TelnetSessionDeps, 'counters'>): Promise<TelnetListener> {
  const counters: TelnetCounters = { sessions: 0, logins: 0, loginsAccepted: 0, loginsValidRefused: 0, commands: 0, linesCut: 0, closed: {} };
  const sessions = new Set<TelnetSession>();
  const wildcard = at.host === '' || at.host === '0.0.0.0' || at.host === '::';
  let port = at.port;
  const server: Server = createServer({ noDelay: true }, (socket: Socket) => {
    const src = socket.remoteAddress;
    if (!src || !gate.admit(src)) { socket.destroy(); return; }
    let released = false;
    const release = (): void => { if (!released) { released = true; gate.release(src); } };
    socket.once('close', release);
    // Listening on one address, that is the destination: no getsockname per connection.
    const dst = wildcard ? { dst: socket.localAddress ?? at.host, dstPort: socket.localPort ?? port } : { dst: at.host, dstPort: port };
    const events = new SessionEvents(sink, sensor, 'telnet', { src, srcPort: socket.remotePort ?? 0, ...dst });
    const s = new TelnetSession(socket, events, { ...deps, counters }, (done) => { sessions.delete(done); release(); });
    sessions.add(s);
  });
  server.maxConnections = deps.limits.maxSessions + 64; // the gate refuses first, with a count
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: at.host, port: at.port, backlog: 4096 }, () => { server.off('error', reject); resolve(); });
  });
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const s of sessions) s.sweep(now);
  }, Math.min(1000, Math.max(50, Math.floor(deps.limits.lineMs / 4))));
  sweep.unref();
  const addr = server.address();
  port = typeof addr === 'object' && addr ? addr.port : at.port;
  return {
    port,
    counters,
    open: () => sessions.size,
    async stop() {
      clearInterval(sweep);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of [...sessions]) s.close('shutdown');
      await closed;
    },
  };
}
