import { readFileSync } from 'node:fs';
import { sharedData } from '../../../../test/fixtures/shared-data.js';

export const SFLOW_PCAP = sharedData('flows/akvorado-sflow-data-1140.pcap');
/** pcap file header, record header, Ethernet, IPv4 and UDP headers before the datagram. */
const PAYLOAD_AT = 24 + 16 + 14 + 20 + 8;

/** The one sFlow datagram of akvorado's data-1140.pcap (1208 bytes, as tshark shows). */
export function realSflowDatagram(): Uint8Array {
  const file = readFileSync(SFLOW_PCAP);
  return new Uint8Array(file.buffer, file.byteOffset + PAYLOAD_AT, file.length - PAYLOAD_AT);
}

/** Its capture time: 2022-09-09 09:26:38.886994 UTC, in ms as the pcap reader gives it. */
export const REAL_RECEIVED_AT_MS = 1662715598886;
