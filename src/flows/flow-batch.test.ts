/** A FlowBatch crossing threads by its buffers (transferred, not copied) and merged with others. */
import { describe, expect, it } from 'vitest';
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { FLOW_KIND, FlowBatch } from './flow-batch.js';

function filled(n: number, offset: number): FlowBatch {
  const b = new FlowBatch(4);
  for (let k = 0; k < n; k++) {
    const i = b.begin();
    b.kind[i] = FLOW_KIND.ipfix;
    FlowBatch.setV4(b.src16, i, 0x0a000000 + offset + k);
    FlowBatch.setV4(b.dst16, i, 0xc0000201);
    b.family[i] = 4;
    b.sport[i] = 40000 + k;
    b.dport[i] = 443;
    b.octets[i] = 2 ** 40 + offset + k;
    b.startMs[i] = 1_700_000_000_000 + k;
    b.sampling[i] = 100;
    b.commit();
  }
  return b;
}

describe('FlowBatch across threads', () => {
  it('crosses a message port by transferring its buffers: the records arrive, the sender keeps nothing', () => {
    const b = filled(7, 0); // grown from 4 to 8
    const want = b.views();
    const { port1, port2 } = new MessageChannel();
    const buffers = b.buffers();
    port1.postMessage({ buffers, length: b.length }, buffers);
    const got = receiveMessageOnPort(port2)?.message as { buffers: ArrayBuffer[]; length: number };
    port1.close();
    expect(b.kind.byteLength).toBe(0); // detached: transferred, not copied
    const c = FlowBatch.over(got.buffers, got.length);
    expect(c.capacity).toBe(8);
    expect(c.views()).toEqual(want);
  });

  it('refuses buffers that do not make a batch', () => {
    const buffers = filled(3, 0).buffers();
    expect(() => FlowBatch.over(buffers.slice(0, 20), 3)).toThrow(/column 20 missing/);
    const wrong = [...buffers];
    wrong[3] = new ArrayBuffer(8);
    expect(() => FlowBatch.over(wrong, 3)).toThrow(/column 3 holds 8 bytes/);
    expect(() => FlowBatch.over(buffers, 5)).toThrow(/5 records do not fit 4/);
  });

  it('appends batches in order, growing as needed', () => {
    const a = filled(3, 0);
    const b = filled(6, 100);
    const m = new FlowBatch(2);
    m.append(a);
    m.append(new FlowBatch(1));
    m.append(b);
    expect(m.length).toBe(9);
    expect(m.views()).toEqual([...a.views(), ...b.views()]);
  });
});
