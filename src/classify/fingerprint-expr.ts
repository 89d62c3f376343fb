import type { PacketBatch } from '../decode/packet-batch.js';

/**
 * A small expression language for packet fingerprints, so that new ones are data, not code:
 *   proto == TCP && (tcp.flags & (SYN|ACK)) == SYN && tcp.seq == ip.dst
 * It is parsed into a tree and compiled once into a JS function over the columnar batch; only
 * the identifiers below can appear, so the generated source cannot do anything else.
 * All arithmetic is on unsigned 32-bit integers.
 */
export type PacketTest = (batch: PacketBatch, i: number) => boolean;

const FIELDS: Record<string, string> = {
  'ip.src': 'b.src4[i]',
  'ip.dst': 'b.dst4[i]',
  'ip.id': 'b.ipId[i]',
  'ip.ttl': 'b.ttl[i]',
  'ip.len': 'b.ipLen[i]',
  'ip.family': 'b.family[i]',
  proto: 'b.proto[i]',
  'tcp.flags': 'b.tcpFlags[i]',
  'tcp.seq': 'b.tcpSeq[i]',
  'tcp.ack': 'b.tcpAck[i]',
  'tcp.window': 'b.tcpWindow[i]',
  sport: 'b.sport[i]',
  dport: 'b.dport[i]',
  'tcp.sport': 'b.sport[i]',
  'tcp.dport': 'b.dport[i]',
  'udp.sport': 'b.sport[i]',
  'udp.dport': 'b.dport[i]',
  'icmp.type': 'b.icmpType[i]',
  'icmp.code': 'b.icmpCode[i]',
};

const CONSTANTS: Record<string, number> = {
  TCP: 6, UDP: 17, ICMP: 1, ICMPV6: 58,
  FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10, URG: 0x20, ECE: 0x40, CWR: 0x80,
};

type Node =
  | { k: 'num'; v: number }
  | { k: 'field'; js: string }
  | { k: 'not'; e: Node }
  | { k: 'bin'; op: string; l: Node; r: Node };

// Binding strength, lowest first (as in C).
const LEVELS: readonly (readonly string[])[] = [
  ['||'], ['&&'], ['|'], ['^'], ['&'], ['==', '!='], ['<', '<=', '>', '>='], ['+', '-'],
];

export class FingerprintSyntaxError extends Error {
  constructor(message: string, readonly position: number) {
    super(`${message} at position ${position}`);
  }
}

function tokenize(src: string): { t: string; pos: number }[] {
  const out: { t: string; pos: number }[] = [];
  const re = /\s*(0x[0-9a-fA-F]+|\d+|[A-Za-z_][A-Za-z0-9_.]*|\|\||&&|==|!=|<=|>=|[()!&|^<>+-])/y;
  let pos = 0;
  while (pos < src.length) {
    if (/^\s*$/.test(src.slice(pos))) break;
    re.lastIndex = pos;
    const m = re.exec(src);
    if (!m || m[1] === undefined) throw new FingerprintSyntaxError(`unexpected character '${src[pos + (src.slice(pos).length - src.slice(pos).trimStart().length)]}'`, pos);
    out.push({ t: m[1], pos: m.index + m[0].length - m[1].length });
    pos = re.lastIndex;
  }
  return out;
}

export function parseFingerprint(src: string): Node {
  const toks = tokenize(src);
  let p = 0;
  const peek = (): string | undefined => toks[p]?.t;
  const posOf = (): number => toks[p]?.pos ?? src.length;

  const primary = (): Node => {
    const tok = toks[p];
    if (!tok) throw new FingerprintSyntaxError('unexpected end of expression', src.length);
    p++;
    if (tok.t === '(') {
      const e = level(0);
      if (peek() !== ')') throw new FingerprintSyntaxError("expected ')'", posOf());
      p++;
      return e;
    }
    if (tok.t === '!') return { k: 'not', e: primary() };
    if (/^(0x[0-9a-fA-F]+|\d+)$/.test(tok.t)) return { k: 'num', v: Number(tok.t) >>> 0 };
    const field = FIELDS[tok.t];
    if (field) return { k: 'field', js: field };
    const c = CONSTANTS[tok.t];
    if (c !== undefined) return { k: 'num', v: c };
    throw new FingerprintSyntaxError(`unknown name '${tok.t}'`, tok.pos);
  };

  const level = (n: number): Node => {
    if (n >= LEVELS.length) return primary();
    let left = level(n + 1);
    for (;;) {
      const op = peek();
      if (op === undefined || !(LEVELS[n] ?? []).includes(op)) return left;
      p++;
      left = { k: 'bin', op, l: left, r: level(n + 1) };
    }
  };

  const tree = level(0);
  if (p < toks.length) throw new FingerprintSyntaxError(`unexpected '${toks[p]?.t}'`, posOf());
  return tree;
}

function emit(n: Node): string {
  switch (n.k) {
    case 'num':
      return String(n.v);
    case 'field':
      return n.js;
    case 'not':
      return `(${emit(n.e)} ? 0 : 1)`;
    case 'bin': {
      const l = emit(n.l);
      const r = emit(n.r);
      switch (n.op) {
        case '||': return `((${l}) || (${r}) ? 1 : 0)`;
        case '&&': return `((${l}) && (${r}) ? 1 : 0)`;
        case '==': return `((${l}) === (${r}) ? 1 : 0)`;
        case '!=': return `((${l}) !== (${r}) ? 1 : 0)`;
        case '<': case '<=': case '>': case '>=': return `((${l}) ${n.op} (${r}) ? 1 : 0)`;
        case '+': case '-': return `(((${l}) ${n.op} (${r})) >>> 0)`;
        default: return `(((${l}) ${n.op} (${r})) >>> 0)`; // & | ^ on unsigned 32 bits
      }
    }
  }
}

export function compileFingerprint(src: string): PacketTest {
  const body = emit(parseFingerprint(src));
  // Safe: `body` consists only of numbers, whitelisted field accesses and operators.
  const fn = new Function('b', 'i', `return (${body}) !== 0;`) as PacketTest;
  return fn;
}
