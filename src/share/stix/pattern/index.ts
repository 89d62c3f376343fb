/** STIX 2.1 patterns: parse (with error columns), evaluate against observations, extract lookup terms. */
export type { ComparisonExpression, Constant, ObjectPath, ObservationExpression, ParseResult, PatternError, Qualifier } from './ast.js';
export { parsePattern, MAX_NESTING } from './parse.js';
export { evaluate, notEvaluableReason, EVALUABLE_TYPES, MAX_BINDINGS, type Evaluation, type PatternObservation } from './evaluate.js';
export { matchTerms, type MatchTerm, type MatchTerms } from './match-terms.js';
