/**
 * A scripted MQTT broker for module tests: reads one CONNECT, answers a CONNACK as configured,
 * and logs everything the client sends (the CONNECT fields, and every packet type after the
 * CONNACK, which must be DISCONNECT only). Loopback only (see ../../ssh/testing/fake-ssh-server.ts).
 */
import type { Socket } from 'node:net';
import { decodePacket, decodeVarint, encodeVarint } from '../codec.js';

export interface DecodedConnect {
  readonly protocolName: string;
  readonly level: number;
  readonly flags: number;
  readonly keepAlive: number;
  readonly propertiesLength?: number;
  readonly clientId: string;
  readonly username?: string;
  readonly password?: string;
}

/** The test side's CONNECT decoder (no will message: the survey never sends one). */
export function decodeConnect(body: Buffer): DecodedConnect | null {
  let p = 0;
  const str = (): string | null => {
    if (p + 2 > body.length) return null;
    const n = body.readUInt16BE(p);
    if (p + 2 + n > body.length) return null;
    const s = body.toString('utf8', p + 2, p + 2 + n);
    p += 2 + n;
    return s;
  };
  const protocolName = str();
  if (protocolName === null || p + 4 > body.length) return null;
  const level = body[p] ?? 0;
  const flags = body[p + 1] ?? 0;
  const keepAlive = body.readUInt16BE(p + 2);
  p += 4;
  let propertiesLength: number | undefined;
  if (level === 5) {
    const v = decodeVarint(body, p);
    if (v.kind !== 'value') return null;
    propertiesLength = v.value;
    p += v.bytes + v.value;
  }
  const clientId = str();
  if (clientId === null) return null;
  const username = (flags & 0x80) !== 0 ? str() : undefined;
  const password = (flags & 0x40) !== 0 ? str() : undefined;
  if (username === null || password === null) return null;
  return {
    protocolName, level, flags, keepAlive, clientId,
    ...(propertiesLength !== undefined ? { propertiesLength } : {}),
    ...(username !== undefined ? { username } : {}),
    ...(password !== undefined ? { password } : {}),
  };
}

export interface FakeBrokerOptions {
  /** Levels spoken (default 4 and 5); others get code 1 (3.1.1 layout) / 0x84. */
  readonly levels?: readonly number[];
  readonly anonymous?: boolean;
  /** user name → password accepted. */
  readonly users?: Readonly<Record<string, string>>;
  /** Wrong credentials: a CONNACK (default) or the connection dropped without one. */
  readonly onBadAuth?: 'connack' | 'close' | 'silence';
  /** Refuse client ids outside [0-9a-zA-Z] with code 2 (3.1.1 §3.1.3.1). */
  readonly strictClientId?: boolean;
  /** Answer every CONNECT with this code (3.1.1 layout for level 4, 5.0 for 5). */
  readonly fixedCode?: number;
  /** MQTT 5 CONNACK properties (already encoded). */
  readonly v5Properties?: Buffer;
  /**
   * A protocol name not of a level spoken ("MQIsdp" for 3, "MQTT" for 4 and 5) closes the
   * connection without a CONNACK, as MQTT 3.1-only brokers (mosquitto before 1.3) do.
   */
  readonly closeOnOtherName?: boolean;
}

export interface BrokerConnection {
  connect?: DecodedConnect;
  /** Packet types the client sent after the CONNACK. */
  readonly after: number[];
  accepted: boolean;
}

function connack(level: number, code: number, props?: Buffer): Buffer {
  if (level !== 5) return Buffer.from([0x20, 0x02, 0x00, code]);
  const p = props ?? Buffer.alloc(0);
  const body = Buffer.concat([Buffer.from([0x00, code]), encodeVarint(p.length), p]);
  return Buffer.concat([Buffer.from([0x20]), encodeVarint(body.length), body]);
}

export function fakeBroker(o: FakeBrokerOptions, log: BrokerConnection[]): (s: Socket) => void {
  const levels = o.levels ?? [4, 5];
  return (s) => {
    const rec: BrokerConnection = { after: [], accepted: false };
    log.push(rec);
    let buf = Buffer.alloc(0);
    s.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      for (;;) {
        const r = decodePacket(buf);
        if (r.kind === 'incomplete') return;
        if (r.kind === 'malformed') { s.destroy(); return; }
        buf = buf.subarray(r.used);
        if (rec.connect !== undefined) { rec.after.push(r.packet.type); continue; }
        const c = decodeConnect(r.packet.body);
        if (r.packet.type !== 1 || c === null) { s.destroy(); return; }
        rec.connect = c;
        const lvl = c.level;
        if (o.closeOnOtherName === true && !levels.some((l) => c.protocolName === (l === 3 ? 'MQIsdp' : 'MQTT'))) { s.end(); return; }
        if (!levels.includes(lvl)) { s.write(lvl === 5 ? connack(5, 0x84) : connack(4, 1)); s.end(); return; }
        if (o.fixedCode !== undefined) { s.write(connack(lvl, o.fixedCode, o.v5Properties)); if (o.fixedCode !== 0) s.end(); else rec.accepted = true; continue; }
        if (o.strictClientId === true && !/^[0-9a-zA-Z]{1,23}$/.test(c.clientId)) { s.write(connack(lvl, lvl === 5 ? 0x85 : 2)); s.end(); return; }
        let ok: boolean;
        if (c.username === undefined) ok = o.anonymous === true;
        else ok = o.users !== undefined && Object.prototype.hasOwnProperty.call(o.users, c.username) && o.users[c.username] === (c.password ?? '');
        if (ok) {
          rec.accepted = true;
          s.write(connack(lvl, 0, o.v5Properties));
          continue;
        }
        if (c.username !== undefined && o.onBadAuth === 'close') { s.destroy(); return; }
        if (c.username !== undefined && o.onBadAuth === 'silence') return;
        s.write(connack(lvl, c.username === undefined ? (lvl === 5 ? 0x87 : 5) : (lvl === 5 ? 0x86 : 4), o.v5Properties));
        s.end();
        return;
      }
    });
  };
}
