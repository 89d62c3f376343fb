/** What every line reader keeps: its counts, the watch over its sessions' clocks, the address check. */
import { AddressCheck } from './fields.js';
import { ReadCounts } from './read-counts.js';
import { SessionWatch } from './session-watch.js';

export abstract class LineReaderBase {
  readonly counts = new ReadCounts();
  protected readonly sessions: SessionWatch;
  protected readonly addresses = new AddressCheck();

  /** `nowMs`: the time against which future time stamps are judged (tests); default now. */
  constructor(nowMs?: number) {
    this.sessions = new SessionWatch(this.counts, nowMs);
  }
}
