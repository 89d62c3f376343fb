import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../util/seeded-random.js';
import { DO, IAC, OPT_NAWS, OPT_TTYPE, SB, SE, TelnetDecoder, WILL } from './telnet-codec.js';

describe('TelnetDecoder', () => {
  it('takes negotiation out of the data, reads TERMINAL-TYPE IS and NAWS, and unescapes IAC IAC', () => {
    const seen: string[] = [];
    const d = new TelnetDecoder({ willTtype: () => seen.push('will-ttype'), terminalType: (t) => seen.push(`ttype:${t}`), windowSize: (w, h) => seen.push(`naws:${w}x${h}`) });
    const input = Buffer.concat([
      Buffer.from('ro'), Buffer.from([IAC, WILL, OPT_TTYPE, IAC, DO, 1]), Buffer.from('ot'),
      Buffer.from([IAC, SB, OPT_TTYPE, 0]), Buffer.from('XTERM'), Buffer.from([IAC, SE]),
      Buffer.from([IAC, SB, OPT_NAWS, 0, 80, 0, 24, IAC, SE]), Buffer.from([IAC, IAC]), Buffer.from('\r\n'),
    ]);
    expect([...d.decode(input)]).toEqual([...Buffer.from('root'), IAC, 13, 10]);
    expect(seen).toEqual(['will-ttype', 'ttype:XTERM', 'naws:80x24']);
  });

  it('continues a sequence cut between chunks, byte by byte', () => {
    const types: string[] = [];
    const d = new TelnetDecoder({ terminalType: (t) => types.push(t) });
    const input = Buffer.concat([Buffer.from('a'), Buffer.from([IAC, SB, OPT_TTYPE, 0]), Buffer.from('vt100'), Buffer.from([IAC, SE]), Buffer.from('b')]);
    const out: number[] = [];
    for (const b of input) out.push(...d.decode(Buffer.from([b])));
    expect(Buffer.from(out).toString()).toBe('ab');
    expect(types).toEqual(['vt100']);
  });

  it('cuts an endless subnegotiation and survives any byte soup (fixed seed)', () => {
    const d = new TelnetDecoder();
    const endless = Buffer.concat([Buffer.from([IAC, SB, OPT_TTYPE, 0]), Buffer.alloc(100_000, 0x41), Buffer.from([IAC, SE]), Buffer.from('ok')]);
    expect(d.decode(endless).toString()).toBe('ok');
    expect(d.oversizedSubnegotiations).toBe(1);
    const rand = seededRandom(18);
    for (let n = 0; n < 2000; n++) {
      const b = Buffer.alloc(1 + Math.floor(rand() * 64));
      for (let i = 0; i < b.length; i++) b[i] = rand() < 0.3 ? [IAC, SB, SE, WILL, DO, 0][Math.floor(rand() * 6)] as number : Math.floor(rand() * 256);
      expect(d.decode(b).length).toBeLessThanOrEqual(b.length);
    }
  });
});
