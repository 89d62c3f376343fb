/**
 * A FlowFileReader (flows/reader.ts) for pcap and pcapng captures of flow-export datagrams
 * (gzip too): every UDP datagram, on any port, whose payload is recognised by its content as
 * NetFlow v5, v9, IPFIX or sFlow v5 (recognise-export.ts) goes to `opts.decodeDatagram` with its
 * source address, source port and capture time; other UDP payloads are counted as
 * `not-flow-export`. IP fragments are reassembled (pcap-reassembly.ts); one never completed is
 * counted as `datagram-truncated`. The files of one command are read one after another with the
 * same `decodeDatagram`, whose template cache makes them one stream.
 */
import { isSakimoriError } from '../../errors.js';
import { readCaptureFrames, type CaptureFramesSummary } from '../../sources/capture.js';
import type { FrameSink } from '../../sources/frame-sink.js';
import { u16be } from '../../sources/record-parser.js';
import { addressText } from '../flow-batch.js';
import { FLOW_SKIP } from '../flow-skips.js';
import type { FlowFileReader } from '../reader.js';
import { FragmentReassembly } from './pcap-reassembly.js';
import { FRAME, UdpFrame, udpOfFrame } from './pcap-udp.js';
import { recogniseExport } from './recognise-export.js';

/** Room kept in the batch for one more datagram's records (the batch grows if one has more). */
const HEADROOM = 512;

export const readPcapDatagrams: FlowFileReader = async (input, opts) => {
  const decode = opts.decodeDatagram;
  if (!decode) throw new Error('readPcapDatagrams needs opts.decodeDatagram'); // a caller's bug, never input
  const { batch, skips, name } = opts;
  batch.reset();
  const frame = new UdpFrame();
  const fragments = new FragmentReassembly();
  let units = 0;
  let records = 0;
  const headroom = Math.min(HEADROOM, batch.capacity >> 1);

  const datagram = (d: Uint8Array, start: number, end: number, sport: number, tsMicros: number): void => {
    units++;
    // A copy: the capture's bytes are reused after this call, and a decoder may hold records for later.
    const payload = d.slice(start, end);
    if (recogniseExport(payload) === null) {
      skips.add(FLOW_SKIP['not-flow-export']);
      return;
    }
    const exporter = addressText(frame.src16, 0);
    const summary = decode(payload, { exporter, port: sport, receivedAtMs: Math.floor(tsMicros / 1000) }, batch, skips);
    if (summary) opts.onDatagram?.(summary, exporter);
  };

  const sink: FrameSink = {
    get full() {
      return batch.length >= batch.capacity - headroom;
    },
    frame(d, off, caplen, linkType, tsMicros) {
      udpOfFrame(d, off, caplen, linkType, frame);
      if (frame.kind === FRAME.udp) datagram(frame.data, frame.start, frame.end, frame.sport, tsMicros);
      else if (frame.kind === FRAME.fragment) {
        const whole = fragments.add(frame);
        // The reassembled IP payload starts with the UDP header: source port, length.
        if (whole && whole.length >= 8) datagram(whole, 8, Math.min(whole.length, Math.max(8, u16be(whole, 4))), u16be(whole, 0), tsMicros);
      }
    },
  };

  const flush = async (progress: { bytes: number }): Promise<void> => {
    if (batch.length === 0) return;
    records += batch.length;
    await opts.onBatch(batch, { bytes: progress.bytes, records });
    batch.reset();
  };

  let read: CaptureFramesSummary;
  try {
    read = await readCaptureFrames(input, { name, sink, onFull: flush, signal: opts.signal });
  } catch (e) {
    // Not a capture at all (or unreadable before its first bytes): reported, not thrown.
    if (isSakimoriError(e) && (e.code === 'CAPTURE_BAD_MAGIC' || e.code === 'INPUT_READ_FAILED')) {
      return { name, format: 'pcap', units: 0, records: 0, bytes: 0, corrupt: { offset: 0, record: 0, message: e.message } };
    }
    throw e;
  }
  fragments.finish();
  if (fragments.incomplete > 0) skips.add(FLOW_SKIP['datagram-truncated'], fragments.incomplete);
  return {
    name, format: 'pcap', units, records, bytes: read.bytes,
    ...(read.truncated ? { truncated: read.truncated } : {}),
    ...(read.corrupt ? { corrupt: read.corrupt } : {}),
  };
};
