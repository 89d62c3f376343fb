/**
 * A decoding named by its module, so that a worker thread can make it (a function cannot be
 * posted to a thread): the module's URL and the name of its `MakeFlowDecoding` export.
 */
import type { MakeFlowDecoding } from '../flow-decoding.js';

export interface DecodingModule {
  /** The module's file URL (its compiled `.js` name; from source, the `.ts` beside it is loaded). */
  readonly url: string;
  /** The export that is a MakeFlowDecoding. */
  readonly name: string;
}

/** The real decoders (flows/decoders.ts). */
export const FLOW_DECODING_MODULE: DecodingModule = { url: new URL('../decoders.js', import.meta.url).href, name: 'makeFlowDecoding' };

/** Imports the module and returns its MakeFlowDecoding, or throws saying what is missing. */
export async function loadDecoding(ref: DecodingModule): Promise<MakeFlowDecoding> {
  const mod: Record<string, unknown> = await import(ref.url);
  const make = mod[ref.name];
  if (typeof make !== 'function') throw new Error(`${ref.url} has no function ${ref.name}`);
  return make as MakeFlowDecoding;
}
