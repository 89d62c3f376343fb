/** An authorised survey scope and its exclusions, as stored in `scopes` / `scope_exclusions`. */
export interface Scope {
  readonly id: string;
  readonly name: string;
  readonly owner: string;
  readonly legalBasis: string;
  readonly cidrs: readonly string[];
  readonly credentialChecks: boolean;
  readonly validFrom: Date;
  readonly validTo: Date;
  readonly createdAt?: Date;
  readonly note: string;
}

export interface Exclusion {
  readonly id?: number;
  /** null: a global exclusion, applied to every scope. */
  readonly scopeId: string | null;
  readonly cidr: string;
  readonly reason: string;
}
