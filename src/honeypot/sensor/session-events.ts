/** Events of one sensor session, in the harmonised schema (honeypot 'sakimori'), handed to the journal. */
import { randomBytes } from 'node:crypto';
import type { HoneypotEventKind, HoneypotEventRow } from '../../schema/honeypot-event.js';

export type EventSink = (row: HoneypotEventRow) => void;

export interface Peer {
  readonly src: string;
  readonly srcPort: number;
  readonly dst: string;
  readonly dstPort: number;
}

export type EventFields = Omit<Partial<HoneypotEventRow>, 'kind'>;

/**
 * Session ids: a random part per process and a counter, unique across runs and sensors. One
 * randomBytes call per session cost about 20 µs of a ramp's accept path (a CPU profile of
 * bench/honeypot-sensor.ts), for nothing a counter does not give.
 */
const ID_PREFIX = randomBytes(6).toString('hex');
let nextId = 0;

export class SessionEvents {
  readonly id = `${ID_PREFIX}${(nextId++).toString(16).padStart(6, '0')}`;

  constructor(private readonly sink: EventSink, private readonly sensor: string, private readonly proto: string, private readonly peer: Peer) {}

  get src(): string {
    return this.peer.src;
  }

  emit(kind: HoneypotEventKind, fields: EventFields = {}): void {
    this.sink({
      ts: new Date().toISOString(),
      honeypot: 'sakimori',
      sensor: this.sensor,
      session: this.id,
      kind,
      proto: this.proto,
      src: this.peer.src,
      src_port: this.peer.srcPort,
      dst: this.peer.dst,
      dst_port: this.peer.dstPort,
      ...fields,
    });
  }
}

/** Bytes from a client as event text: UTF-8 when it is, else each byte as its latin1 character, control bytes escaped. */
export function clientText(latin1: string, max = 4096): string {
  const bytes = Buffer.from(latin1.slice(0, max), 'latin1');
  const utf8 = bytes.toString('utf8');
  const text = utf8.includes('\ufffd') ? latin1.slice(0, max) : utf8;
  return text.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
