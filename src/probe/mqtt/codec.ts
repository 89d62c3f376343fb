/**
 * The few MQTT control packets the survey needs, for MQTT 3.1.1 (OASIS 2014, protocol level 4),
 * MQTT 5.0 (OASIS 2019, level 5) and MQTT 3.1 (IBM 2010, name "MQIsdp", level 3, still the only
 * version of some embedded and older brokers): CONNECT and DISCONNECT out, CONNACK in. Encoders take our
 * own values; decoders take the peer's bytes and never throw: they answer `incomplete` (wait for
 * more), `malformed` (not MQTT, or broken) or the packet. Nothing here opens a socket.
 */

/** Largest value of a Variable Byte Integer (four bytes: 0xFF 0xFF 0xFF 0x7F). */
export const MAX_VARINT = 268_435_455;

/** Fixed-header packet types (high nibble of the first byte). */
export const PacketType = { CONNECT: 1, CONNACK: 2, DISCONNECT: 14 } as const;

/** The Remaining Length / Variable Byte Integer (3.1.1 §2.2.3, 5.0 §1.5.5). Throws for our own out-of-range value. */
export function encodeVarint(n: number): Buffer {
  if (!Number.isInteger(n) || n < 0 || n > MAX_VARINT) throw new RangeError(`varint out of range: ${n}`);
  const out: number[] = [];
  let x = n;
  do {
    let b = x % 128;
    x = Math.floor(x / 128);
    if (x > 0) b |= 0x80;
    out.push(b);
  } while (x > 0);
  return Buffer.from(out);
}

export type VarintResult =
  | { readonly kind: 'value'; readonly value: number; readonly bytes: number }
  | { readonly kind: 'incomplete' }
  | { readonly kind: 'malformed'; readonly reason: string };

/** Reads a Variable Byte Integer at `offset`: at most four bytes; a fifth is malformed. */
export function decodeVarint(buf: Buffer, offset = 0): VarintResult {
  let value = 0;
  let mult = 1;
  for (let i = 0; i < 4; i++) {
    const b = buf[offset + i];
    if (b === undefined) return { kind: 'incomplete' };
    value += (b & 0x7f) * mult;
    if ((b & 0x80) === 0) return { kind: 'value', value, bytes: i + 1 };
    mult *= 128;
  }
  return { kind: 'malformed', reason: 'variable byte integer longer than 4 bytes' };
}

function utf8(s: string): Buffer {
  const b = Buffer.from(s, 'utf8');
  if (b.length > 0xffff) throw new RangeError('MQTT string longer than 65535 bytes');
  const len = Buffer.alloc(2);
  len.writeUInt16BE(b.length, 0);
  return Buffer.concat([len, b]);
}

export interface ConnectOptions {
  /** 3 = MQTT 3.1 ("MQIsdp"), 4 = MQTT 3.1.1, 5 = MQTT 5.0. */
  readonly level: 3 | 4 | 5;
  readonly clientId: string;
  /** Seconds. */
  readonly keepAlive: number;
  /** Clean Session (3.1.1) / Clean Start (5.0). */
  readonly cleanSession: boolean;
  readonly username?: string;
  readonly password?: string;
}

/**
 * CONNECT (3.1.1 §3.1, 5.0 §3.1): protocol name "MQTT", level, flags, keep alive, (5.0: an empty
 * property list), then the payload: client id, user name, password. No will message.
 */
export function encodeConnect(o: ConnectOptions): Buffer {
  if (o.password !== undefined && o.username === undefined && o.level !== 5) {
    throw new RangeError('MQTT 3.1.1 allows a password only with a user name');
  }
  let flags = 0;
  if (o.cleanSession) flags |= 0x02;
  if (o.password !== undefined) flags |= 0x40;
  if (o.username !== undefined) flags |= 0x80;
  const keep = Buffer.alloc(2);
  keep.writeUInt16BE(o.keepAlive, 0);
  const parts: Buffer[] = [utf8(o.level === 3 ? 'MQIsdp' : 'MQTT'), Buffer.from([o.level, flags]), keep];
  if (o.level === 5) parts.push(encodeVarint(0));
  parts.push(utf8(o.clientId));
  if (o.username !== undefined) parts.push(utf8(o.username));
  if (o.password !== undefined) parts.push(utf8(o.password)); // binary data: 2-byte length + bytes
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([PacketType.CONNECT << 4]), encodeVarint(body.length), body]);
}

/** DISCONNECT with no variable header: 3.1.1, and 5.0 with reason 0x00 (normal) and no properties. */
export const DISCONNECT = Buffer.from([PacketType.DISCONNECT << 4, 0x00]);

export interface RawPacket {
  readonly type: number;
  readonly flags: number;
  readonly body: Buffer;
}

export type PacketResult =
  | { readonly kind: 'packet'; readonly packet: RawPacket; readonly used: number }
  | { readonly kind: 'incomplete' }
  | { readonly kind: 'malformed'; readonly reason: string };

/** Default bound on a packet from the peer: a CONNACK is a few bytes (5.0: plus properties). */
export const MAX_PACKET_BODY = 16 * 1024;

/** One control packet from the start of `buf`; a body over `maxBody` bytes is malformed (not waited for). */
export function decodePacket(buf: Buffer, maxBody = MAX_PACKET_BODY): PacketResult {
  const first = buf[0];
  if (first === undefined) return { kind: 'incomplete' };
  const type = first >> 4;
  if (type === 0) return { kind: 'malformed', reason: 'packet type 0 is reserved' };
  const len = decodeVarint(buf, 1);
  if (len.kind !== 'value') return len;
  if (len.value > maxBody) return { kind: 'malformed', reason: `remaining length ${len.value} over the ${maxBody}-byte bound` };
  const start = 1 + len.bytes;
  if (buf.length < start + len.value) return { kind: 'incomplete' };
  return { kind: 'packet', packet: { type, flags: first & 0x0f, body: buf.subarray(start, start + len.value) }, used: start + len.value };
}

/** MQTT 3.1.1 CONNACK return codes (§3.2.2.3). */
export const CONNACK_V4: Readonly<Record<number, string>> = {
  0: 'Connection Accepted',
  1: 'unacceptable protocol version',
  2: 'identifier rejected',
  3: 'server unavailable',
  4: 'bad user name or password',
  5: 'not authorized',
};

/** MQTT 5.0 CONNACK reason codes (§3.2.2.2). */
export const CONNACK_V5: Readonly<Record<number, string>> = {
  0x00: 'Success', 0x80: 'Unspecified error', 0x81: 'Malformed Packet', 0x82: 'Protocol Error',
  0x83: 'Implementation specific error', 0x84: 'Unsupported Protocol Version', 0x85: 'Client Identifier not valid',
  0x86: 'Bad User Name or Password', 0x87: 'Not authorized', 0x88: 'Server unavailable', 0x89: 'Server busy',
  0x8a: 'Banned', 0x8c: 'Bad authentication method', 0x90: 'Topic Name invalid', 0x95: 'Packet too large',
  0x97: 'Quota exceeded', 0x99: 'Payload format invalid', 0x9a: 'Retain not supported', 0x9b: 'QoS not supported',
  0x9c: 'Use another server', 0x9d: 'Server moved', 0x9f: 'Connection rate exceeded',
};

/** CONNACK properties worth keeping (5.0 §3.2.2.3); user properties are only counted. */
export interface ConnackProperties {
  session_expiry_interval?: number;
  receive_maximum?: number;
  maximum_qos?: number;
  retain_available?: number;
  maximum_packet_size?: number;
  topic_alias_maximum?: number;
  reason_string?: string;
  wildcard_subscription_available?: number;
  subscription_identifiers_available?: number;
  shared_subscription_available?: number;
  server_keep_alive?: number;
  response_information?: string;
  server_reference?: string;
  authentication_method?: string;
  assigned_client_identifier?: boolean;
  user_properties?: number;
}

export interface Connack {
  /** The level whose layout the body followed (a 2-byte body to a 5.0 CONNECT is read as 3.1.1; 3.1 has the 3.1.1 layout). */
  readonly level: 3 | 4 | 5;
  readonly sessionPresent: boolean;
  /** 3.1.1 return code or 5.0 reason code. */
  readonly code: number;
  readonly codeName: string;
  readonly accepted: boolean;
  /** The server wants credentials: 3.1.1 codes 4/5, 5.0 0x86/0x87/0x8C. */
  readonly authRequired: boolean;
  /** The server refused the protocol level: 3.1.1 code 1, 5.0 0x84. */
  readonly versionRefused: boolean;
  readonly properties?: ConnackProperties;
}

export type ConnackResult = { readonly kind: 'connack'; readonly connack: Connack } | { readonly kind: 'malformed'; readonly reason: string };

const MAX_TEXT = 200;

type PropType = 'byte' | 'u16' | 'u32' | 'varint' | 'utf8' | 'binary' | 'pair';
const PROPS: Readonly<Record<number, readonly [PropType, keyof ConnackProperties | null]>> = {
  0x01: ['byte', null], 0x02: ['u32', null], 0x03: ['utf8', null], 0x08: ['utf8', null], 0x09: ['binary', null],
  0x0b: ['varint', null], 0x11: ['u32', 'session_expiry_interval'], 0x12: ['utf8', 'assigned_client_identifier'],
  0x13: ['u16', 'server_keep_alive'], 0x15: ['utf8', 'authentication_method'], 0x16: ['binary', null],
  0x17: ['byte', null], 0x18: ['u32', null], 0x19: ['byte', null], 0x1a: ['utf8', 'response_information'],
  0x1c: ['utf8', 'server_reference'], 0x1f: ['utf8', 'reason_string'], 0x21: ['u16', 'receive_maximum'],
  0x22: ['u16', 'topic_alias_maximum'], 0x23: ['u16', null], 0x24: ['byte', 'maximum_qos'], 0x25: ['byte', 'retain_available'],
  0x26: ['pair', 'user_properties'], 0x27: ['u32', 'maximum_packet_size'], 0x28: ['byte', 'wildcard_subscription_available'],
  0x29: ['byte', 'subscription_identifiers_available'], 0x2a: ['byte', 'shared_subscription_available'],
};

type Cursor = { pos: number };

function readLenPrefixed(b: Buffer, c: Cursor): Buffer | null {
  if (c.pos + 2 > b.length) return null;
  const n = b.readUInt16BE(c.pos);
  if (c.pos + 2 + n > b.length) return null;
  const v = b.subarray(c.pos + 2, c.pos + 2 + n);
  c.pos += 2 + n;
  return v;
}

/** MQTT 5.0 properties (§2.2.2) of a CONNACK; unknown identifiers are malformed (their length is unknown). */
export function decodeConnackProperties(b: Buffer): { kind: 'ok'; props: ConnackProperties } | { kind: 'malformed'; reason: string } {
  const props: ConnackProperties = {};
  const rec = props as Record<string, number | string | boolean | undefined>;
  const c: Cursor = { pos: 0 };
  while (c.pos < b.length) {
    const id = b[c.pos] ?? 0;
    c.pos += 1;
    const spec = PROPS[id];
    if (spec === undefined) return { kind: 'malformed', reason: `unknown property 0x${id.toString(16).padStart(2, '0')}` };
    const [type, name] = spec;
    let value: number | string | undefined;
    switch (type) {
      case 'byte':
        if (c.pos + 1 > b.length) return { kind: 'malformed', reason: 'property cut short' };
        value = b[c.pos] ?? 0; c.pos += 1; break;
      case 'u16':
        if (c.pos + 2 > b.length) return { kind: 'malformed', reason: 'property cut short' };
        value = b.readUInt16BE(c.pos); c.pos += 2; break;
      case 'u32':
        if (c.pos + 4 > b.length) return { kind: 'malformed', reason: 'property cut short' };
        value = b.readUInt32BE(c.pos); c.pos += 4; break;
      case 'varint': {
        const v = decodeVarint(b, c.pos);
        if (v.kind !== 'value') return { kind: 'malformed', reason: 'property cut short' };
        value = v.value; c.pos += v.bytes; break;
      }
      case 'utf8': case 'binary': {
        const s = readLenPrefixed(b, c);
        if (s === null) return { kind: 'malformed', reason: 'property cut short' };
        value = type === 'utf8' ? s.toString('utf8').replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, MAX_TEXT) : s.length;
        break;
      }
      case 'pair': {
        if (readLenPrefixed(b, c) === null || readLenPrefixed(b, c) === null) return { kind: 'malformed', reason: 'property cut short' };
        value = 1;
        break;
      }
    }
    if (name === null) continue;
    if (name === 'user_properties') props.user_properties = (props.user_properties ?? 0) + 1;
    else if (name === 'assigned_client_identifier') props.assigned_client_identifier = true;
    else rec[name] = value;
  }
  return { kind: 'ok', props };
}

/**
 * A CONNACK body. 3.1.1: exactly two bytes (acknowledge flags, return code). 5.0: flags, reason
 * code, properties; a two-byte body is accepted (servers that only speak 3.1.1 answer a 5.0
 * CONNECT with the 3.1.1 layout and return code 1) and read as 3.1.1 unless its code is a 5.0
 * reason code (0x80 and up), which some servers send without the property length.
 */
export function decodeConnack(p: RawPacket, requested: 3 | 4 | 5): ConnackResult {
  if (p.type !== PacketType.CONNACK) return { kind: 'malformed', reason: `packet type ${p.type}, not CONNACK` };
  if (p.flags !== 0) return { kind: 'malformed', reason: `CONNACK with flags ${p.flags}` };
  const b = p.body;
  if (b.length < 2) return { kind: 'malformed', reason: `CONNACK of ${b.length} bytes` };
  // MQTT 3.1 calls the first byte "reserved, not used": whatever its value, and no session-present bit.
  const ackFlags = requested === 3 ? 0 : b[0] ?? 0;
  if ((ackFlags & 0xfe) !== 0) return { kind: 'malformed', reason: `CONNACK acknowledge flags 0x${ackFlags.toString(16)}` };
  const code = b[1] ?? 0;
  // A 2-byte answer to a 5.0 CONNECT with a 5.0 reason code (>= 0x80): 5.0 without the property length.
  const level: 3 | 4 | 5 = requested === 5 && (b.length > 2 || code >= 0x80) ? 5 : requested === 3 ? 3 : 4;
  if (level !== 5) {
    if (b.length !== 2) return { kind: 'malformed', reason: `MQTT 3.1.1 CONNACK of ${b.length} bytes` };
    if (code > 5) return { kind: 'malformed', reason: `CONNACK return code ${code}` };
    return {
      kind: 'connack',
      connack: {
        level, sessionPresent: (ackFlags & 1) === 1, code, codeName: CONNACK_V4[code] ?? 'unknown',
        accepted: code === 0, authRequired: code === 4 || code === 5, versionRefused: code === 1,
      },
    };
  }
  const name = CONNACK_V5[code];
  if (name === undefined) return { kind: 'malformed', reason: `CONNACK reason code 0x${code.toString(16)}` };
  if (b.length === 2) {
    return { kind: 'connack', connack: { level, sessionPresent: (ackFlags & 1) === 1, code, codeName: name, accepted: false, authRequired: code === 0x86 || code === 0x87 || code === 0x8c, versionRefused: code === 0x84 } };
  }
  const plen = decodeVarint(b, 2);
  if (plen.kind !== 'value') return { kind: 'malformed', reason: 'CONNACK property length cut short or malformed' };
  const pstart = 2 + plen.bytes;
  if (pstart + plen.value !== b.length) return { kind: 'malformed', reason: `CONNACK property length ${plen.value} does not fit the ${b.length}-byte body` };
  const props = decodeConnackProperties(b.subarray(pstart));
  if (props.kind === 'malformed') return props;
  return {
    kind: 'connack',
    connack: {
      level, sessionPresent: (ackFlags & 1) === 1, code, codeName: name,
      accepted: code === 0, authRequired: code === 0x86 || code === 0x87 || code === 0x8c, versionRefused: code === 0x84,
      properties: props.props,
    },
  };
}
