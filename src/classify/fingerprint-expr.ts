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

/** A node of the parsed expression; `from`/`to` is the source text it came from. */
type Node = { from: number; to: number } & (
  | { k: 'num'; v: number }
  | { k: 'field'; name: string; js: string }
  | { k: 'not'; e: Node }
  | { k: 'bin'; op: string; l: Node; r: Node });

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
    const span = { from: tok.pos, to: tok.pos + tok.t.length };
    if (tok.t === '(') {
      const e = level(0);
      const close = toks[p];
      if (close?.t !== ')') throw new FingerprintSyntaxError("expected ')'", posOf());
      p++;
      return { ...e, from: tok.pos, to: close.pos + 1 };
    }
    if (tok.t === '!') {
      const e = primary();
      return { k: 'not', e, from: tok.pos, to: e.to };
    }
    if (/^(0x[0-9a-fA-F]+|\d+)$/.test(tok.t)) return { k: 'num', v: Number(tok.t) >>> 0, ...span };
    const field = FIELDS[tok.t];
    if (field) return { k: 'field', name: tok.t, js: field, ...span };
    const c = CONSTANTS[tok.t];
    if (c !== undefined) return { k: 'num', v: c, ...span };
    throw new FingerprintSyntaxError(`unknown name '${tok.t}'`, tok.pos);
  };

  const level = (n: number): Node => {
    if (n >= LEVELS.length) return primary();
    let left = level(n + 1);
    for (;;) {
      const op = peek();
      if (op === undefined || !(LEVELS[n] ?? []).includes(op)) return left;
      p++;
      const right = level(n + 1);
      left = { k: 'bin', op, l: left, r: right, from: left.from, to: right.to };
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

function compileNode(n: Node): PacketTest {
  const body = emit(n);
  // Safe: `body` consists only of numbers, whitelisted field accesses and operators.
  const fn = new Function('b', 'i', `return (${body}) !== 0;`) as PacketTest;
  return fn;
}

export function compileFingerprint(src: string): PacketTest {
  return compileNode(parseFingerprint(src));
}

/**
 * Fields that say what kind of packet it is (family, protocol, TCP flags, ICMP type and code),
 * as opposed to values a sender chooses (addresses, ports, sequence numbers, IP ID, TTL …).
 */
const KIND_FIELDS: ReadonlySet<string> = new Set(['ip.family', 'proto', 'tcp.flags', 'icmp.type', 'icmp.code']);

function conjuncts(n: Node): Node[] {
  return n.k === 'bin' && n.op === '&&' ? [...conjuncts(n.l), ...conjuncts(n.r)] : [n];
}

function fieldsOf(n: Node): string[] {
  switch (n.k) {
    case 'num': return [];
    case 'field': return [n.name];
    case 'not': return fieldsOf(n.e);
    case 'bin': return [...fieldsOf(n.l), ...fieldsOf(n.r)];
  }
}

function isKindTest(n: Node): boolean {
  const fields = fieldsOf(n);
  return fields.length > 0 && fields.every((f) => KIND_FIELDS.has(f));
}

/** A fingerprint split in the packets its test is about and the test proper. */
export interface FingerprintParts {
  /** The expression choosing the packets the test applies to ('' for every packet). */
  appliesTo: string;
  applies: PacketTest;
  /** The test, evaluated only on packets it applies to (a derived guard is not tested again). */
  matches: PacketTest;
}

const EVERY_PACKET: PacketTest = () => true;

/** The conjuncts that choose the packets (guard) and the others; both empty: every packet, the whole test. */
function split(test: string): { tree: Node; guard: Node[]; rest: Node[] } {
  const tree = parseFingerprint(test);
  const terms = conjuncts(tree);
  const guard = terms.filter(isKindTest);
  if (guard.length === 0 || guard.length === terms.length) return { tree, guard: [], rest: [] };
  return { tree, guard, rest: terms.filter((n) => !isKindTest(n)) };
}

/**
 * The expression choosing the packets a fingerprint's test applies to: `appliesTo` when it is
 * declared, else the conjuncts of the test (its top-level `&&` terms) that only look at the kind
 * of packet — for `ip.family == 4 && proto == TCP && (tcp.flags & (SYN|ACK|RST)) == SYN &&
 * ip.id == 54321` the first three, IPv4 TCP SYNs. '' (every packet) for a test that only looks
 * at the kind of packet, or not at all.
 */
export function appliesToText(test: string, appliesTo?: string): string {
  if (appliesTo !== undefined) return appliesTo.trim();
  return split(test).guard.map((n) => test.slice(n.from, n.to).trim()).join(' && ');
}

/** The fingerprint compiled in its two parts (see `appliesToText`). */
export function compileFingerprintParts(test: string, appliesTo?: string): FingerprintParts {
  if (appliesTo !== undefined) {
    return { appliesTo: appliesTo.trim(), applies: compileFingerprint(appliesTo), matches: compileFingerprint(test) };
  }
  const { tree, guard, rest } = split(test);
  if (guard.length === 0) return { appliesTo: '', applies: EVERY_PACKET, matches: compileNode(tree) };
  const text = appliesToText(test);
  const restTree = rest.reduce((l, r): Node => ({ k: 'bin', op: '&&', l, r, from: l.from, to: r.to }));
  return { appliesTo: text, applies: compileFingerprint(text), matches: compileNode(restTree) };
}
