/**
 * Telnet (RFC 854) option negotiation, the server's side, as a byte-at-a-time state machine: the
 * data bytes come out, IAC sequences are taken away. What the client negotiates is ignored except
 * two subnegotiations that say who it is: TERMINAL-TYPE IS (RFC 1091) and NAWS (RFC 1073).
 * Subnegotiations are bounded (a longer one is cut and counted), and a sequence cut by the end of
 * a chunk continues with the next, so no input can make it buffer without end or throw.
 */

export const IAC = 255;
export const DONT = 254;
export const DO = 253;
export const WONT = 252;
export const WILL = 251;
export const SB = 250;
export const SE = 240;
export const OPT_ECHO = 1;
export const OPT_SGA = 3;
export const OPT_TTYPE = 24;
export const OPT_NAWS = 31;

/** What BusyBox telnetd sends first: DO ECHO, DO NAWS, WILL ECHO, WILL SGA; we also ask for the terminal type. */
export const SERVER_HELLO = Buffer.from([IAC, DO, OPT_ECHO, IAC, DO, OPT_NAWS, IAC, WILL, OPT_ECHO, IAC, WILL, OPT_SGA, IAC, DO, OPT_TTYPE]);
/** SB TERMINAL-TYPE SEND: asked once the client says WILL TERMINAL-TYPE. */
export const ASK_TTYPE = Buffer.from([IAC, SB, OPT_TTYPE, 1, IAC, SE]);

/** Longest subnegotiation kept; real ones are a few bytes (NAWS 4, a terminal type < 41). */
const MAX_SB = 64;

const enum St { Data, Iac, Opt, Sb, SbIac }

export interface TelnetEvents {
  /** The client will send its terminal type: ask for it (once). */
  willTtype?: () => void;
  terminalType?: (name: string) => void;
  windowSize?: (width: number, height: number) => void;
}

export class TelnetDecoder {
  private st: St = St.Data;
  private verb = 0;
  private readonly sb = Buffer.alloc(MAX_SB);
  private sbLen = 0;
  /** Subnegotiations longer than MAX_SB (cut), and commands we do not know (ignored). */
  oversizedSubnegotiations = 0;
  private askedTtype = false;

  constructor(private readonly on: TelnetEvents = {}) {}

  /** The data bytes of `chunk`, negotiation removed. */
  decode(chunk: Uint8Array): Buffer {
    const out = Buffer.allocUnsafe(chunk.length);
    let n = 0;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i] as number;
      switch (this.st) {
        case St.Data:
          if (b === IAC) this.st = St.Iac;
          else out[n++] = b;
          break;
        case St.Iac:
          if (b === IAC) { out[n++] = IAC; this.st = St.Data; }
          else if (b >= WILL && b <= DONT) { this.verb = b; this.st = St.Opt; }
          else if (b === SB) { this.sbLen = 0; this.st = St.Sb; }
          else this.st = St.Data; // NOP, GA, AYT, BRK, a stray SE…: nothing to do
          break;
        case St.Opt:
          if (this.verb === WILL && b === OPT_TTYPE && !this.askedTtype) { this.askedTtype = true; this.on.willTtype?.(); }
          this.st = St.Data;
          break;
        case St.Sb:
          if (b === IAC) this.st = St.SbIac;
          else this.sbByte(b);
          break;
        case St.SbIac:
          if (b === SE) { this.subnegotiation(); this.st = St.Data; }
          else if (b === IAC) { this.sbByte(IAC); this.st = St.Sb; }
          else { this.st = St.Sb; } // malformed: IAC x inside SB; ignore x
          break;
      }
    }
    return out.subarray(0, n);
  }

  private sbByte(b: number): void {
    if (this.sbLen < MAX_SB) this.sb[this.sbLen++] = b;
    else if (this.sbLen === MAX_SB) { this.oversizedSubnegotiations++; this.sbLen++; }
  }

  private subnegotiation(): void {
    const len = Math.min(this.sbLen, MAX_SB);
    if (len < 1) return;
    const opt = this.sb[0];
    if (opt === OPT_TTYPE && len >= 2 && this.sb[1] === 0) {
      const name = this.sb.subarray(2, len).toString('latin1').replace(/[^\x20-\x7e]/g, '');
      if (name) this.on.terminalType?.(name);
    } else if (opt === OPT_NAWS && len >= 5) {
      this.on.windowSize?.(this.sb.readUInt16BE(1), this.sb.readUInt16BE(3));
    }
  }
}
