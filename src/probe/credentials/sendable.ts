/**
 * Entries that can be typed at a prompt: a user name or password with CR, LF or NUL would end
 * the line early and send the rest as a second line (a command, on FTP). Lists loaded through
 * credential-lists.ts never hold such entries; lists given at run time are filtered here too.
 */
import type { CredentialEntry } from '../module.js';

const LINE_BREAK = /[\r\n\0]/;

export function isSendable(e: CredentialEntry): boolean {
  return !LINE_BREAK.test(e.username) && !LINE_BREAK.test(e.password);
}

export function sendableEntries(entries: readonly CredentialEntry[]): CredentialEntry[] {
  return entries.filter(isSendable);
}
