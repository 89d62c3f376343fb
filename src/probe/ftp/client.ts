/**
 * A minimal FTP control connection for the survey: the greeting, then one command at a time
 * with its reply. Reads are bounded (64 KiB per connection, 16 KiB per reply) and each reply
 * waits at most the read timeout. Only the commands the survey needs are sent (FEAT, SYST, USER,
 * PASS, QUIT); nothing that lists, reads or writes files.
 */
import type { Socket } from 'node:net';
import { ByteStream } from '../ssh/byte-stream.js';
import { takeReply, type FtpReply } from './reply.js';

export const MAX_FTP_BYTES = 64 * 1024;

export type FtpCommand = 'FEAT' | 'SYST' | 'USER' | 'PASS' | 'QUIT';

export class FtpConnection {
  private readonly stream: ByteStream;

  constructor(private readonly sock: Socket, private readonly readTimeoutMs: number, signal: AbortSignal) {
    this.stream = new ByteStream(sock, MAX_FTP_BYTES, signal);
  }

  get bytesReceived(): number { return this.stream.received; }
  /** Unparsed bytes received (for the banner when the greeting is not an FTP reply). */
  get pending(): Buffer { return this.stream.pending; }

  /** The next reply (the greeting first). Throws on timeout, close, or bytes that are not FTP. */
  async reply(what: string, timeoutMs = this.readTimeoutMs): Promise<FtpReply> {
    return this.stream.read((buf) => takeReply(buf), timeoutMs, what);
  }

  /**
   * Sends one command and reads its reply. The argument must not contain CR or LF (the caller
   * checks credential entries); what is sent is never part of an error message.
   */
  async command(cmd: FtpCommand, arg?: string, timeoutMs = this.readTimeoutMs): Promise<FtpReply> {
    if (arg !== undefined && /[\r\n\0]/.test(arg)) throw new Error(`${cmd}: argument with a line break refused`);
    if (this.sock.destroyed || !this.sock.writable) throw new Error(`${cmd}: connection closed`);
    this.sock.write(`${cmd}${arg !== undefined ? ` ${arg}` : ''}\r\n`);
    return this.reply(cmd, timeoutMs);
  }

  /** QUIT, waiting briefly for 221, then close. Never throws. */
  async quit(): Promise<void> {
    try {
      await this.command('QUIT', undefined, Math.min(this.readTimeoutMs, 1000));
    } catch { /* closing anyway */ }
    this.destroy();
  }

  destroy(): void {
    this.sock.destroy();
  }
}
