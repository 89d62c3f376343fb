/**
 * The syntax tree of a STIX 2.1 pattern (section 9). Every node keeps the 1-based column where
 * it starts, so that a later check (e.g. evaluation) can still point at the text.
 */
export type Constant =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'bool'; readonly value: boolean }
  /** b'…' (base64) and h'…' (hex): the octets. */
  | { readonly kind: 'binary'; readonly value: Uint8Array }
  | { readonly kind: 'hex'; readonly value: Uint8Array }
  /** t'…': the timestamp text as written. */
  | { readonly kind: 'timestamp'; readonly value: string };

export type PathStep =
  | { readonly kind: 'property'; readonly name: string }
  | { readonly kind: 'index'; readonly index: number }
  /** `[*]`: every item of the list. */
  | { readonly kind: 'every' };

export interface ObjectPath {
  readonly objectType: string;
  /** The first step is always a property of the object itself. */
  readonly steps: readonly PathStep[];
  readonly column: number;
}

export type ComparisonOperator = '=' | '!=' | '>' | '<' | '>=' | '<=' | 'IN' | 'LIKE' | 'MATCHES' | 'ISSUBSET' | 'ISSUPERSET';

export type ComparisonExpression =
  | {
    readonly kind: 'compare';
    readonly path: ObjectPath;
    readonly operator: ComparisonOperator;
    readonly negated: boolean;
    /** One constant, or the set of IN. */
    readonly value: Constant | readonly Constant[];
    readonly column: number;
  }
  | { readonly kind: 'exists'; readonly path: ObjectPath; readonly column: number }
  | { readonly kind: 'and' | 'or'; readonly left: ComparisonExpression; readonly right: ComparisonExpression; readonly column: number };

export type Qualifier =
  | { readonly kind: 'within'; readonly seconds: number; readonly column: number }
  | { readonly kind: 'repeats'; readonly times: number; readonly column: number }
  | { readonly kind: 'startstop'; readonly start: string; readonly stop: string; readonly column: number };

export type ObservationExpression =
  | { readonly kind: 'observation'; readonly comparison: ComparisonExpression; readonly column: number }
  | { readonly kind: 'and' | 'or' | 'followedby'; readonly left: ObservationExpression; readonly right: ObservationExpression; readonly column: number }
  | { readonly kind: 'qualified'; readonly expression: ObservationExpression; readonly qualifier: Qualifier; readonly column: number };

export interface PatternError {
  readonly message: string;
  /** 1-based, in Unicode code points from the start of the pattern. */
  readonly column: number;
}

export type ParseResult = { readonly ok: true; readonly pattern: ObservationExpression } | { readonly ok: false; readonly error: PatternError };
