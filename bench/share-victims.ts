/**
 * Victim reports and MISP (issue 16, items 8–9): Crypto-PAn pseudonyms per second for IPv4 and
 * IPv6 (a release pseudonymises every address of a victim), and MISP events converted to STIX
 * and back per second (one event of `--attributes N` attributes). JSON lines.
 */
import { randomBytes } from 'node:crypto';
import { cryptoPan } from '../src/share/victims/cryptopan.js';
import { mispToStix } from '../src/share/misp/misp-to-stix.js';
import { stixToMisp } from '../src/share/misp/stix-to-misp.js';
import { seededRandom } from '../src/util/seeded-random.js';
import { argValue, emit } from './lib.js';

const n = Number(argValue('addresses', '100000'));
const attributes = Number(argValue('attributes', '10000'));
const pan = cryptoPan(randomBytes(32));
const rnd = seededRandom(1);

const v4 = Array.from({ length: n }, () => Math.floor(rnd() * 2 ** 32));
let t = performance.now();
let sink = 0;
for (const a of v4) sink ^= pan.anonymizeV4(a);
let s = (performance.now() - t) / 1000;
emit({ bench: 'cryptopan-ipv4', addresses: n, seconds: +s.toFixed(3), perSecond: Math.round(n / s), sink });

const v6 = Array.from({ length: Math.ceil(n / 4) }, () => (BigInt(Math.floor(rnd() * 2 ** 32)) << 96n) | BigInt(Math.floor(rnd() * 2 ** 32)));
t = performance.now();
for (const a of v6) sink ^= Number(pan.anonymizeV6(a) & 1n);
s = (performance.now() - t) / 1000;
emit({ bench: 'cryptopan-ipv6', addresses: v6.length, seconds: +s.toFixed(3), perSecond: Math.round(v6.length / s), sink });

const types = ['ip-dst', 'domain', 'sha256', 'url'];
const event = {
  Event: {
    uuid: '5a3c2e1f-0b4d-4c8e-9f10-2a3b4c5d6e7f', info: 'bench', date: '2026-11-02', distribution: '1', Tag: [{ name: 'tlp:green' }],
    Attribute: Array.from({ length: attributes }, (_, i) => {
      const type = types[i % 4] as string;
      const value = type === 'ip-dst' ? `198.51.${(i >> 8) & 255}.${i & 255}` : type === 'domain' ? `h${i}.example` : type === 'url' ? `http://h${i}.example/x` : i.toString(16).padStart(64, '0');
      return { type, value, to_ids: i % 3 !== 0, category: 'Network activity' };
    }),
  },
};
const text = JSON.stringify(event);
t = performance.now();
const r = mispToStix(text);
const toStix = (performance.now() - t) / 1000;
t = performance.now();
const back = stixToMisp(r.objects);
const toMisp = (performance.now() - t) / 1000;
emit({ bench: 'misp-to-stix', attributes, objects: r.objects.length, issues: r.issues.length, seconds: +toStix.toFixed(3), attributesPerSecond: Math.round(attributes / toStix) });
emit({ bench: 'stix-to-misp', attributes: back.event.Event.Attribute.length, seconds: +toMisp.toFixed(3), attributesPerSecond: Math.round(attributes / toMisp) });
