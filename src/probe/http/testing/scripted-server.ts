/**
 * Scripted HTTP servers for module tests: plain TCP or TLS on 127.0.0.1, each request head read
 * and handed to the script, which writes whatever bytes it likes (valid, malformed, nothing).
 */
import { createServer as createNetServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';

export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly raw: string;
}

export type Script = (req: SeenRequest, sock: Socket, index: number) => void;

export interface ScriptedServer {
  readonly port: number;
  readonly requests: SeenRequest[];
  /** Connections accepted. */
  connections: number;
  close(): Promise<void>;
}

export interface ScriptedOptions {
  readonly tls?: { key: Buffer; cert: Buffer | Buffer[] };
  /** Called on connect, before any request (for servers that speak first or stay silent). */
  readonly onConnect?: (sock: Socket) => void;
}

export async function startScripted(script: Script, opts: ScriptedOptions = {}): Promise<ScriptedServer> {
  const sockets = new Set<Socket>();
  const requests: SeenRequest[] = [];
  const state = { connections: 0 };
  const onSocket = (sock: Socket): void => {
    state.connections++;
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => undefined);
    opts.onConnect?.(sock);
    let buf = '';
    let handled = false;
    sock.on('data', (d: Buffer) => {
      if (handled) return;
      buf += d.toString('latin1');
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      handled = true;
      const lines = buf.slice(0, end).split('\r\n');
      const [method = '', path = ''] = (lines[0] ?? '').split(' ');
      const headers: Record<string, string> = {};
      for (const l of lines.slice(1)) {
        const i = l.indexOf(':');
        if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
      }
      const req = { method, path, headers, raw: buf.slice(0, end + 4) };
      requests.push(req);
      script(req, sock, requests.length - 1);
    });
  };
  const server: Server = opts.tls !== undefined
    ? createTlsServer({ key: opts.tls.key, cert: opts.tls.cert }, onSocket)
    : createNetServer(onSocket);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    requests,
    get connections() { return state.connections; },
    set connections(v: number) { state.connections = v; },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** A complete response with Content-Length. */
export function respond(status: string, headers: Record<string, string>, body: Buffer | string = ''): Buffer {
  const b = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const head = [`HTTP/1.1 ${status}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), `Content-Length: ${b.length}`, 'Connection: close', '', ''].join('\r\n');
  return Buffer.concat([Buffer.from(head, 'latin1'), b]);
}
