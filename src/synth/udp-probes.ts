import type { PacketContext } from './packet-context.js';

const ascii = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'latin1'));
const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));

/** Small probe payloads as the usual scanners send them, by destination port. */
export const UDP_PROBES: ReadonlyMap<number, Uint8Array> = new Map([
  // DNS: query for version.bind TXT CH
  [53, hex('34ef 0100 0001 0000 0000 0000 0776657273696f6e 0462696e64 00 0010 0003')],
  // NTP: mode 7 monlist request
  [123, hex('1700032a00000000')],
  // SNMP v2c get-request sysDescr, community "public"
  [161, hex('302602010104067075626c6963a019020400000000020100020100300b300906052b060102010500')],
  [1900, ascii('M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: "ssdp:discover"\r\nMX: 1\r\nST: ssdp:all\r\n\r\n')],
  [5060, ascii('OPTIONS sip:nm SIP/2.0\r\nVia: SIP/2.0/UDP nm;branch=foo\r\nFrom: <sip:nm@nm>;tag=root\r\nTo: <sip:nm2@nm2>\r\nCall-ID: 50000\r\nCSeq: 42 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n')],
  // memcached UDP frame header + "stats"
  [11211, hex('000000000001000073746174730d0a')],
  // DVR/NVR discovery broadcast
  [37810, hex('4448495000000000000000000000000000000000')],
  // NetBIOS name query for *
  [137, hex('e5d80000000100000000000020434b4141414141414141414141414141414141414141414141414141414141410000210001')],
  // CoAP GET .well-known/core
  [5683, hex('40017d70bb2e77656c6c2d6b6e6f776e04636f7265')],
  // WS-Discovery probe (shortened)
  [3702, ascii('<?xml version="1.0"?><Probe/>')],
  // CLDAP rootDSE
  [389, hex('30250201016320040000a01000a010002010002010001010087 0b 6f626a656374636c617373 3000')],
  // TFTP read request for /etc/passwd
  [69, hex('0001 2f6574632f706173737764 00 6f63746574 00')],
]);
export const UDP_PROBE_PORTS = [...UDP_PROBES.keys()];
/** Ports without a known probe (injected surges may use any) get an empty datagram. */
const NO_PAYLOAD = new Uint8Array(0);

/**
 * UDP probes to well-known services from an ephemeral source port (32768–60999): never from a
 * port the classifier reads as a reply (53, 123, 137, 161 …).
 */
export function writeUdpProbe(c: PacketContext, b: Uint8Array, o: number, s: number): number {
  const { rng, st } = c;
  const dst = c.darknet.dst4(rng);
  const dport = c.nextPort(s, c.anyPick(s));
  const payload = UDP_PROBES.get(dport) ?? NO_PAYLOAD;
  return c.udp4(b, o, st.src4[s] as number, dst, rng.u32() & 0xffff, st.ttl[s] as number, rng.range(32768, 60999), dport, payload);
}
