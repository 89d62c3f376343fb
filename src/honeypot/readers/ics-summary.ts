/**
 * A short, readable summary of an ICS request as Conpot logged it (hex of the bytes, written by
 * Python as "b'…'"): the Modbus function, the S7comm PDU and function, or the first words of the
 * request for the text protocols. What the `input` column holds for `ics` events.
 */

const MODBUS_FUNCTIONS: Record<number, string> = {
  1: 'read coils', 2: 'read discrete inputs', 3: 'read holding registers', 4: 'read input registers',
  5: 'write single coil', 6: 'write single register', 7: 'read exception status', 8: 'diagnostics',
  11: 'get comm event counter', 12: 'get comm event log', 15: 'write multiple coils', 16: 'write multiple registers',
  17: 'report server id', 20: 'read file record', 21: 'write file record', 22: 'mask write register',
  23: 'read/write multiple registers', 24: 'read fifo queue', 43: 'read device identification',
};

const S7_FUNCTIONS: Record<number, string> = {
  0x00: 'cpu services', 0x04: 'read var', 0x05: 'write var', 0x1a: 'request download', 0x1b: 'download block',
  0x1c: 'download ended', 0x1d: 'start upload', 0x1e: 'upload', 0x1f: 'end upload', 0x28: 'plc control',
  0x29: 'plc stop', 0xf0: 'setup communication',
};

const S7_ROSCTR: Record<number, string> = { 1: 'job', 2: 'ack', 3: 'ack-data', 7: 'userdata' };

/** The bytes of Python's repr of bytes holding hex text (b'0a0b…'), or of bare hex; undefined otherwise. */
export function hexBytes(s: string): Uint8Array | undefined {
  const m = /^b?'?([0-9a-fA-F]*)'?$/.exec(s.trim());
  const hex = m?.[1];
  if (!hex || hex.length % 2 !== 0) return undefined;
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

export function modbusSummary(b: Uint8Array): string | undefined {
  // MBAP: transaction (2), protocol (2), length (2), unit (1); then the function code.
  if (b.length < 8) return undefined;
  const fc = b[7] as number;
  const code = fc & 0x7f;
  return `fc ${code} ${MODBUS_FUNCTIONS[code] ?? 'unknown'}${fc & 0x80 ? ' (exception)' : ''} unit ${b[6] as number}`;
}

export function s7Summary(b: Uint8Array): string | undefined {
  // TPKT (version 3, reserved, length 2), COTP (length indicator, PDU type…).
  if (b.length < 6 || b[0] !== 3) return undefined;
  const li = b[4] as number;
  const tpdu = (b[5] as number) & 0xf0;
  if (tpdu === 0xe0) return 'cotp connection request';
  if (tpdu !== 0xf0) return `cotp pdu 0x${tpdu.toString(16)}`;
  const s7 = 5 + li;
  if (b[s7] !== 0x32) return 'cotp data';
  const rosctr = b[s7 + 1] as number;
  const header = rosctr === 2 || rosctr === 3 ? 12 : 10;
  const fn = b[s7 + header];
  const name = fn === undefined ? '' : ` ${S7_FUNCTIONS[fn] ?? `function 0x${fn.toString(16)}`}`;
  return `s7 ${S7_ROSCTR[rosctr] ?? `rosctr ${rosctr}`}${rosctr === 7 ? '' : name}`;
}

/** The summary of a request of `proto`; the text cut to 200 characters when no decoder fits. */
export function icsSummary(proto: string, request: string): string {
  const b = proto === 'modbus' || proto === 's7comm' ? hexBytes(request) : undefined;
  const decoded = b ? (proto === 'modbus' ? modbusSummary(b) : s7Summary(b)) : undefined;
  if (decoded) return decoded;
  const first = request.split(/\r?\n/, 1)[0] ?? '';
  return first.length > 200 ? first.slice(0, 200) : first;
}
