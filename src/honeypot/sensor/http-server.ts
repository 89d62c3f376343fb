/**
 * The HTTP listener: every request an `http.request` event (method and path, User-Agent, body
 * size) answered from http-pages.ts, and every URL found in it a `download` event. Header and body
 * sizes and the time to send a request are bounded; a request that is not HTTP is answered 400.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { ConnectionGate } from './connection-gate.js';
import { DEFAULT_SERVER, pageFor } from './http-pages.js';
import type { ListenAddress } from './listen-address.js';
import { SessionEvents, clientText, type EventSink } from './session-events.js';
import type { SensorLimits } from './sensor-limits.js';
import { urlsIn } from './url-scan.js';

export interface HttpCounters { requests: number; malformed: number; urls: number; bodiesCut: number }

export interface HttpListener {
  readonly port: number;
  readonly counters: HttpCounters;
  stop(): Promise<void>;
}

const eventsOf = new WeakMap<Socket, SessionEvents>();

export async function startHttp(at: ListenAddress, gate: ConnectionGate, sink: EventSink, sensor: string, limits: SensorLimits): Promise<HttpListener> {
  const counters: HttpCounters = { requests: 0, malformed: 0, urls: 0, bodiesCut: 0 };
  const events = (socket: Socket): SessionEvents => {
    let e = eventsOf.get(socket);
    if (!e) {
      e = new SessionEvents(sink, sensor, 'http', { src: socket.remoteAddress ?? '::', srcPort: socket.remotePort ?? 0, dst: socket.localAddress ?? at.host, dstPort: socket.localPort ?? at.port });
      eventsOf.set(socket, e);
    }
    return e;
  };
  const server: Server = createServer({
    maxHeaderSize: limits.httpHeaderBytes,
    requestTimeout: limits.httpRequestMs,
    headersTimeout: Math.min(limits.httpRequestMs, limits.lineMs),
    keepAliveTimeout: 5000,
    // Node checks those two timeouts every 30 s by default: a slowloris client would get that long.
    connectionsCheckingInterval: 1000,
  }, (req, res) => handle(req, res, events(req.socket), limits, counters));
  server.on('connection', (socket: Socket) => {
    const src = socket.remoteAddress;
    if (!src || !gate.admit(src)) { socket.destroy(); return; }
    socket.once('close', () => gate.release(src));
    // An idle keep-alive or a client that never finishes its request.
    socket.setTimeout(limits.idleMs, () => socket.destroy());
  });
  server.on('clientError', (err: Error & { code?: string }, socket: Socket) => {
    counters.malformed++;
    if (socket.remoteAddress) events(socket).emit('http.request', { success: 0, detail: JSON.stringify({ error: err.code ?? 'malformed' }) });
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
    if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    socket.destroy();
  });
  server.maxConnections = limits.maxSessions + 64;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: at.host, port: at.port, backlog: 1024 }, () => { server.off('error', reject); resolve(); });
  });
  const addr = server.address();
  return {
    port: typeof addr === 'object' && addr ? addr.port : at.port,
    counters,
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

function handle(req: IncomingMessage, res: ServerResponse, events: SessionEvents, limits: SensorLimits, counters: HttpCounters): void {
  const kept: Buffer[] = [];
  let keptBytes = 0;
  let size = 0;
  req.on('data', (b: Buffer) => {
    size += b.length;
    const room = limits.httpBodyBytes - keptBytes;
    if (room > 0) { kept.push(room >= b.length ? b : b.subarray(0, room)); keptBytes += Math.min(room, b.length); }
  });
  req.on('error', () => undefined);
  req.on('end', () => {
    counters.requests++;
    const body = Buffer.concat(kept).toString('latin1');
    const cut = size > keptBytes;
    if (cut) counters.bodiesCut++;
    const target = req.url ?? '';
    const path = target.split('?')[0] ?? '';
    const page = pageFor(path);
    const headerText = Object.entries(req.headers).filter(([k]) => k !== 'host').map(([, v]) => (Array.isArray(v) ? v.join(' ') : v ?? '')).join('\n');
    const input = clientText(`${req.method ?? ''} ${target}`, 2048);
    events.emit('http.request', {
      input,
      client: clientText(String(req.headers['user-agent'] ?? ''), 512),
      size,
      success: page.status < 400 ? 1 : 0,
      detail: JSON.stringify({ host: clientText(String(req.headers.host ?? ''), 256), ...(page.target ? { target: page.target } : {}), ...(cut ? { bodyCut: true } : {}) }),
    });
    for (const u of urlsIn(`${target}\n${body}\n${headerText}`)) {
      counters.urls++;
      events.emit('download', { input, url: clientText(u.url, 2048), url_host: clientText(u.host, 256), detail: JSON.stringify({ tool: 'http' }) });
    }
    res.writeHead(page.status, { 'Content-Type': page.type, Server: page.server ?? DEFAULT_SERVER, 'Content-Length': Buffer.byteLength(page.body) });
    res.end(page.body);
  });
}
