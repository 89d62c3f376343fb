/**
 * Telnet option negotiation (RFC 854/855), pure: an incremental parser that splits what the
 * server sends into text and commands (IAC sequences may be cut anywhere between two reads),
 * and a negotiator that answers like a cautious client: we refuse every option the server asks
 * us to enable (DO → WONT) and every option it offers (WILL → DONT), except that we accept the
 * server's ECHO and SUPPRESS-GO-AHEAD (WILL ECHO → DO, WILL/DO SGA → DO/WILL), which BusyBox and
 * inetutils telnetd expect before they show the login prompt. Each option state changes at most
 * once per direction and already-held states are not acknowledged again, so no negotiation loop
 * can start (RFC 854, "Telnet option negotiation", rule 2 and 3).
 */

export const IAC = 255;
export const DONT = 254;
export const DO = 253;
export const WONT = 252;
export const WILL = 251;
export const SB = 250;
export const GA = 249;
export const SE = 240;

export const OPT_ECHO = 1;
export const OPT_SGA = 3;

const OPTION_NAMES: Readonly<Record<number, string>> = {
  0: 'BINARY', 1: 'ECHO', 2: 'RCP', 3: 'SGA', 4: 'NAMS', 5: 'STATUS', 6: 'TM', 7: 'RCTE', 8: 'NAOL', 9: 'NAOP',
  10: 'NAOCRD', 11: 'NAOHTS', 12: 'NAOHTD', 13: 'NAOFFD', 14: 'NAOVTS', 15: 'NAOVTD', 16: 'NAOLFD', 17: 'XASCII',
  18: 'LOGOUT', 19: 'BM', 20: 'DET', 21: 'SUPDUP', 22: 'SUPDUPOUTPUT', 23: 'SNDLOC', 24: 'TTYPE', 25: 'EOR',
  26: 'TUID', 27: 'OUTMRK', 28: 'TTYLOC', 29: '3270REGIME', 30: 'X3PAD', 31: 'NAWS', 32: 'TSPEED', 33: 'LFLOW',
  34: 'LINEMODE', 35: 'XDISPLOC', 36: 'OLD-ENVIRON', 37: 'AUTHENTICATION', 38: 'ENCRYPT', 39: 'NEW-ENVIRON',
  40: 'TN3270E', 42: 'CHARSET', 44: 'COM-PORT', 47: 'KERMIT', 255: 'EXOPL',
};

/** `ECHO`, `NAWS`, … or the number for options without a name. */
export function optionName(opt: number): string {
  return OPTION_NAMES[opt] ?? String(opt);
}

export type Verb = 'WILL' | 'WONT' | 'DO' | 'DONT';

export type TelnetEvent =
  | { readonly kind: 'negotiate'; readonly verb: Verb; readonly option: number }
  | { readonly kind: 'subnegotiation'; readonly option: number; readonly data: Buffer; readonly truncated: boolean }
  | { readonly kind: 'command'; readonly code: number };

export interface ParseOutput {
  /** Data bytes (IAC IAC unescaped), in order. */
  readonly text: Buffer;
  readonly events: TelnetEvent[];
}

const VERBS: Readonly<Record<number, Verb>> = { [WILL]: 'WILL', [WONT]: 'WONT', [DO]: 'DO', [DONT]: 'DONT' };
/** Subnegotiation payload kept at most (the rest is dropped; the event says truncated). */
export const MAX_SB_BYTES = 512;

type State = 'data' | 'iac' | 'verb' | 'sb-option' | 'sb' | 'sb-iac';

/**
 * Incremental IAC parser: feed() any slice of the stream; sequences cut between two feeds are
 * completed by the next one. Never throws: unknown commands become `command` events, a stray
 * byte after IAC inside SB ends the subnegotiation (as most servers and clients do).
 */
export class TelnetParser {
  private state: State = 'data';
  private verb: Verb = 'WILL';
  private sbOption = 0;
  private sbData: number[] = [];
  private sbTruncated = false;

  feed(chunk: Uint8Array): ParseOutput {
    const text: number[] = [];
    const events: TelnetEvent[] = [];
    for (const b of chunk) {
      switch (this.state) {
        case 'data':
          if (b === IAC) this.state = 'iac';
          else text.push(b);
          break;
        case 'iac': {
          const v = VERBS[b];
          if (b === IAC) { text.push(IAC); this.state = 'data'; }
          else if (v !== undefined) { this.verb = v; this.state = 'verb'; }
          else if (b === SB) this.state = 'sb-option';
          else { events.push({ kind: 'command', code: b }); this.state = 'data'; }
          break;
        }
        case 'verb':
          events.push({ kind: 'negotiate', verb: this.verb, option: b });
          this.state = 'data';
          break;
        case 'sb-option':
          this.sbOption = b;
          this.sbData = [];
          this.sbTruncated = false;
          this.state = 'sb';
          break;
        case 'sb':
          if (b === IAC) this.state = 'sb-iac';
          else this.pushSb(b);
          break;
        case 'sb-iac':
          if (b === IAC) { this.pushSb(IAC); this.state = 'sb'; }
          else {
            // IAC SE ends it; anything else is malformed and ends it too (the byte is dropped).
            events.push({ kind: 'subnegotiation', option: this.sbOption, data: Buffer.from(this.sbData), truncated: this.sbTruncated || b !== SE });
            this.sbData = [];
            this.state = 'data';
          }
          break;
      }
    }
    return { text: Buffer.from(text), events };
  }

  /** True while a sequence is open (IAC, verb, or a subnegotiation without its IAC SE yet). */
  get midSequence(): boolean { return this.state !== 'data'; }

  private pushSb(b: number): void {
    if (this.sbData.length < MAX_SB_BYTES) this.sbData.push(b);
    else this.sbTruncated = true;
  }
}

/** What the server asked and offered, in the order first seen (names), for `details`. */
export interface OptionsSeen {
  readonly will: string[];
  readonly wont: string[];
  readonly do: string[];
  readonly dont: string[];
  readonly sb: string[];
  /** Bare commands (GA, NOP, AYT …) by number. */
  readonly commands: number[];
  /** Our answers, e.g. "DO ECHO", "WONT TTYPE", in order. */
  readonly replies: string[];
}

export function emptyOptionsSeen(): OptionsSeen {
  return { will: [], wont: [], do: [], dont: [], sb: [], commands: [], replies: [] };
}

const MAX_RECORDED = 64;

function remember<T>(list: T[], v: T): void {
  if (list.length < MAX_RECORDED && !list.includes(v)) list.push(v);
}

/**
 * Our side of the option state machine. `answer(event)` returns the bytes to send back (possibly
 * empty) and records what was seen. Options we accept: the server's ECHO and SGA (it does them),
 * and our SGA (we do it). Everything else is refused exactly once per request that would change
 * a state; requests for the state already in force are not answered.
 */
export class Negotiator {
  /** Options the server does (its side enabled, agreed by our DO). */
  private readonly his = new Set<number>();
  /** Options we do (our side enabled, agreed by our WILL). */
  private readonly mine = new Set<number>();
  /** Refusals already sent, so a repeated request is not answered again (no loops). */
  private readonly refused = new Set<string>();
  readonly seen: OptionsSeen = emptyOptionsSeen();

  constructor(
    private readonly acceptHis: ReadonlySet<number> = new Set([OPT_ECHO, OPT_SGA]),
    private readonly acceptMine: ReadonlySet<number> = new Set([OPT_SGA]),
  ) {}

  /** Bytes to send for one event (empty when nothing is owed). */
  answer(e: TelnetEvent): Buffer {
    if (e.kind === 'command') { remember(this.seen.commands, e.code); return Buffer.alloc(0); }
    if (e.kind === 'subnegotiation') { remember(this.seen.sb, optionName(e.option)); return Buffer.alloc(0); }
    const name = optionName(e.option);
    const o = e.option;
    switch (e.verb) {
      case 'WILL':
        remember(this.seen.will, name);
        if (this.his.has(o)) return Buffer.alloc(0);
        if (this.acceptHis.has(o)) { this.his.add(o); return this.reply(DO, o); }
        return this.refuse(DONT, o);
      case 'WONT':
        remember(this.seen.wont, name);
        // Acknowledge only a change: the server turns off something it did.
        if (this.his.delete(o)) return this.reply(DONT, o);
        return Buffer.alloc(0);
      case 'DO':
        remember(this.seen.do, name);
        if (this.mine.has(o)) return Buffer.alloc(0);
        if (this.acceptMine.has(o)) { this.mine.add(o); return this.reply(WILL, o); }
        return this.refuse(WONT, o);
      case 'DONT':
        remember(this.seen.dont, name);
        if (this.mine.delete(o)) return this.reply(WONT, o);
        return Buffer.alloc(0);
    }
  }

  /** The server echoes what we type (it said WILL ECHO and we agreed). */
  get serverEchoes(): boolean { return this.his.has(OPT_ECHO); }

  private refuse(verb: number, o: number): Buffer {
    const key = `${verb}:${o}`;
    if (this.refused.has(key)) return Buffer.alloc(0);
    this.refused.add(key);
    return this.reply(verb, o);
  }

  private reply(verb: number, o: number): Buffer {
    const v = verb === DO ? 'DO' : verb === DONT ? 'DONT' : verb === WILL ? 'WILL' : 'WONT';
    if (this.seen.replies.length < MAX_RECORDED) this.seen.replies.push(`${v} ${optionName(o)}`);
    return Buffer.from([IAC, verb, o]);
  }
}

/** Text as it goes on the wire: IAC doubled, lines ended with CR LF (RFC 854 NVT). */
export function encodeLine(text: string): Buffer {
  const raw = Buffer.from(text, 'utf8');
  const out: number[] = [];
  for (const b of raw) {
    out.push(b);
    if (b === IAC) out.push(IAC);
  }
  out.push(13, 10);
  return Buffer.from(out);
}
