/**
 * The sets of NetFlow v9 (RFC 3954 §5) and IPFIX (RFC 7011 §3.3) messages: template and options
 * template records into the cache (refused and counted when they cannot describe a record: no
 * fields, a fixed field of length 0, records longer than the datagram or than 65535 bytes), data
 * sets decoded with their template or held until it comes.
 */
import type { FlowBatch } from '../flow-batch.js';
import { FLOW_SKIP, type FlowSkipCounters } from '../flow-skips.js';
import { u16be, u32be } from '../../sources/record-parser.js';
import type { DomainState, TimeBase } from './domain-state.js';
import { decodeFlowRecords, decodeOptionsRecords, type SetTally } from './data-set.js';
import type { TemplateCache } from './template-cache.js';
import { VARIABLE_LENGTH, type TemplateField } from './template-plan.js';

const MAX_RECORD = 65535;

/** Everything a set needs besides its bytes. */
export interface SetContext {
  readonly cache: TemplateCache;
  readonly state: DomainState;
  readonly time: TimeBase;
  readonly nowMs: number;
  /** The whole datagram's length: no record can be longer. */
  readonly datagramLength: number;
  readonly out: FlowBatch;
  readonly skips: FlowSkipCounters;
  readonly tally: SetTally;
}

/** Whether a template can describe records; counts why not. */
function acceptable(fields: readonly TemplateField[], c: SetContext): boolean {
  let min = 0;
  for (const f of fields) {
    if (f.length === 0) {
      c.skips.add(FLOW_SKIP['template-invalid']);
      return false;
    }
    min += f.length === VARIABLE_LENGTH ? 1 : f.length;
  }
  if (min > c.datagramLength || min > MAX_RECORD) {
    c.skips.add(FLOW_SKIP['template-too-large']);
    return false;
  }
  return true;
}

function define(c: SetContext, id: number, fields: readonly TemplateField[], scopeCount: number, options: boolean): void {
  if (id < 256) {
    c.skips.add(FLOW_SKIP[options ? 'options-template-invalid' : 'template-invalid']);
    return;
  }
  if (!acceptable(fields, c)) return;
  const released = c.cache.define(c.state, id, fields, scopeCount, options, c.nowMs, c.out, c.skips, c.tally);
  c.tally.records += released;
  c.tally.released += released;
}

/** A data set (id ≥ 256): decoded, or held for its template. */
export function dataSet(c: SetContext, id: number, d: Uint8Array, start: number, end: number): void {
  const t = c.cache.lookup(c.state, id, c.nowMs);
  if (t === undefined) {
    c.cache.hold(c.state, id, d, start, end, c.time, c.nowMs, c.skips, c.tally);
  } else if (t.options) {
    c.tally.optionsRecords += decodeOptionsRecords(d, start, end, t, c.state, c.nowMs, c.out, c.skips);
  } else {
    c.tally.records += decodeFlowRecords(d, start, end, t, c.state, c.time, c.out, c.skips, c.tally.rates);
  }
}

/** v9 template flowset (id 0): template id, field count, (type, length) pairs. */
export function v9Templates(c: SetContext, d: Uint8Array, start: number, end: number): void {
  let p = start;
  while (end - p >= 4) {
    const id = u16be(d, p);
    const count = u16be(d, p + 2);
    if (id === 0 && count === 0) return; // padding
    p += 4;
    if (count === 0) {
      c.skips.add(FLOW_SKIP['template-zero-fields']);
      continue;
    }
    if (p + count * 4 > end) {
      c.skips.add(FLOW_SKIP['template-invalid']);
      return;
    }
    const fields: TemplateField[] = [];
    for (let k = 0; k < count; k++, p += 4) fields.push({ id: u16be(d, p), enterprise: 0, length: u16be(d, p + 2) });
    define(c, id, fields, 0, false);
  }
}

/** v9 options template flowset (id 1): template id, scope and option lengths in bytes, then the fields. */
export function v9OptionsTemplates(c: SetContext, d: Uint8Array, start: number, end: number): void {
  let p = start;
  while (end - p >= 6) {
    const id = u16be(d, p);
    const scopeBytes = u16be(d, p + 2);
    const optionBytes = u16be(d, p + 4);
    if (id === 0 && scopeBytes === 0 && optionBytes === 0) return; // padding
    p += 6;
    if (scopeBytes % 4 !== 0 || optionBytes % 4 !== 0 || p + scopeBytes + optionBytes > end) {
      c.skips.add(FLOW_SKIP['options-template-invalid']);
      return;
    }
    if (scopeBytes + optionBytes === 0) {
      c.skips.add(FLOW_SKIP['template-zero-fields']);
      continue;
    }
    const fields: TemplateField[] = [];
    const stop = p + scopeBytes + optionBytes;
    for (; p < stop; p += 4) fields.push({ id: u16be(d, p), enterprise: 0, length: u16be(d, p + 2) });
    define(c, id, fields, scopeBytes / 4, true);
  }
}

/**
 * IPFIX template set (2) or options template set (3). A record with field count 0 withdraws its
 * template; template id 2 (3) withdraws all the domain's templates (options templates).
 */
export function ipfixTemplates(c: SetContext, setId: number, d: Uint8Array, start: number, end: number): void {
  const options = setId === 3;
  let p = start;
  while (end - p >= 4) {
    const id = u16be(d, p);
    const count = u16be(d, p + 2);
    if (id === 0 && count === 0) return; // padding
    p += 4;
    if (count === 0) {
      if (id === setId) c.cache.withdrawAll(c.state, options);
      else if (id >= 256) c.cache.withdraw(c.state, id);
      else c.skips.add(FLOW_SKIP['template-invalid']);
      continue;
    }
    let scopeCount = 0;
    if (options) {
      if (end - p < 2) {
        c.skips.add(FLOW_SKIP['options-template-invalid']);
        return;
      }
      scopeCount = u16be(d, p);
      p += 2;
      if (scopeCount === 0 || scopeCount > count) {
        c.skips.add(FLOW_SKIP['options-template-invalid']);
        return;
      }
    }
    const fields: TemplateField[] = [];
    for (let k = 0; k < count; k++) {
      if (end - p < 4) {
        c.skips.add(FLOW_SKIP[options ? 'options-template-invalid' : 'template-invalid']);
        return;
      }
      const type = u16be(d, p);
      const length = u16be(d, p + 2);
      p += 4;
      let enterprise = 0;
      if (type & 0x8000) {
        if (end - p < 4) {
          c.skips.add(FLOW_SKIP[options ? 'options-template-invalid' : 'template-invalid']);
          return;
        }
        enterprise = u32be(d, p);
        p += 4;
      }
      fields.push({ id: type & 0x7fff, enterprise, length });
    }
    define(c, id, fields, scopeCount, options);
  }
}
