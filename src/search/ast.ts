/**
 * The parsed query. Every node keeps where it came from (`pos`/`end`, UTF-16 offsets into the
 * query text) so that a value the compiler rejects is reported at its place.
 */
import type { SearchField } from './fields.js';

/** A value as written: its literal text and which characters were unescaped `*`/`?` wildcards. */
export interface Value {
  /** The text with escapes and quotes removed (wildcard characters left in place). */
  readonly text: string;
  /** Offsets into `text` of the characters that are wildcards (never inside quotes or escaped). */
  readonly wildcards: readonly number[];
  readonly quoted: boolean;
  readonly pos: number;
  readonly end: number;
}

export type CompareOp = 'eq' | 'gt' | 'ge' | 'lt' | 'le';

export type Node =
  | { readonly kind: 'all'; readonly pos: number; readonly end: number }
  | { readonly kind: 'and' | 'or'; readonly children: readonly Node[]; readonly pos: number; readonly end: number }
  | { readonly kind: 'not'; readonly child: Node; readonly pos: number; readonly end: number }
  /** `field` null: free text over the banner-like columns. */
  | { readonly kind: 'term'; readonly field: SearchField | null; readonly op: CompareOp; readonly value: Value; readonly pos: number; readonly end: number }
  /** `[lo TO hi]` (inclusive) or `{lo TO hi}` (exclusive), either bound `*` (open) → null. */
  | {
    readonly kind: 'range'; readonly field: SearchField;
    readonly lo: Value | null; readonly hi: Value | null; readonly loInclusive: boolean; readonly hiInclusive: boolean;
    readonly pos: number; readonly end: number;
  };
