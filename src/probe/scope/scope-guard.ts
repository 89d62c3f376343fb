/**
 * The scope guard: decides, before any packet, whether a target may be probed. Pure and fast
 * (binary search over merged ranges). Exclusions always win over the scope's CIDRs; the
 * validity window is checked on every call, so a run that outlives its scope stops probing.
 * A guard is immutable: a running survey swaps in a new one when the store changes
 * (live-guard.ts).
 */
import { SakimoriError } from '../../errors.js';
import { parseCidr, type CidrRange } from '../../net/cidr.js';
import { formatIp, parseIpUnmapped, type ParsedIp } from '../../net/ip.js';
import { CidrSet } from '../../net/cidr-set.js';
import type { Exclusion, Scope } from './scope.js';

/**
 * SCOPE_DENIED because an exclusion covers the target. Kept apart from the other refusals: a
 * target excluded while a run goes on is skipped, while any other refusal stops the run.
 */
export class ExcludedTargetError extends SakimoriError {
  constructor(detail: string, where: Record<string, string | number>, readonly exclusion: Exclusion | undefined) {
    super('SCOPE_DENIED', detail, where);
  }
}

export class ScopeGuard {
  readonly allowed: CidrSet;
  readonly excluded: CidrSet;
  /** The exclusions that apply to this scope (its own and the global ones). */
  readonly exclusions: readonly Exclusion[];
  private readonly exclusionRanges: readonly { range: CidrRange; rule: Exclusion }[];

  /** `ended`: the scope is gone from the store; every check refuses with it. */
  constructor(readonly scope: Scope, exclusions: readonly Exclusion[], readonly ended?: SakimoriError) {
    this.allowed = new CidrSet(scope.cidrs);
    this.exclusions = exclusions.filter((e) => e.scopeId === null || e.scopeId === scope.id);
    this.exclusionRanges = this.exclusions.map((rule) => ({ range: parseCidr(rule.cidr), rule }));
    this.excluded = new CidrSet(this.exclusionRanges.map((e) => e.range));
  }

  /** Fast path for the scanner: inside the CIDRs and not excluded (validity checked separately). */
  permits4(ip: number): boolean {
    return this.allowed.has4(ip) && !this.excluded.has4(ip);
  }

  permits(a: ParsedIp): boolean {
    return this.allowed.has(a) && !this.excluded.has(a);
  }

  /** SCOPE_EXPIRED when `now` is outside [validFrom, validTo), else undefined. */
  checkTime(now: number = Date.now()): SakimoriError | undefined {
    const { scope } = this;
    if (this.ended) return this.ended;
    if (now < scope.validFrom.getTime()) {
      return new SakimoriError('SCOPE_EXPIRED', `scope "${scope.name}" is not valid yet (from ${scope.validFrom.toISOString()})`, { scope: scope.name });
    }
    if (now >= scope.validTo.getTime()) {
      return new SakimoriError('SCOPE_EXPIRED', `scope "${scope.name}" is no longer valid (ended ${scope.validTo.toISOString()})`, { scope: scope.name });
    }
    return undefined;
  }

  /** undefined when `ip` may be probed now; otherwise the error saying which target and why. */
  checkTarget(ip: string, now: number = Date.now()): SakimoriError | undefined {
    const a = parseIpUnmapped(ip);
    const { scope } = this;
    if (!a) return new SakimoriError('SCOPE_DENIED', `"${ip}" is not an IP address`, { target: ip, scope: scope.name });
    const time = this.checkTime(now);
    if (time) return new SakimoriError('SCOPE_EXPIRED', `${time.message.replace(/^[^:]*: /, '')}; target ${ip} refused`, { target: ip, scope: scope.name });
    if (this.excluded.has(a)) {
      const hit = this.exclusionRanges.find((e) => inRange(e.range, a));
      const rule = hit?.rule;
      const which = rule ? `${rule.scopeId === null ? 'global' : 'scope'} exclusion ${rule.id !== undefined ? `${rule.id} ` : ''}${rule.cidr} (${rule.reason})` : 'an exclusion';
      return new ExcludedTargetError(`target ${formatIp(a)} is excluded by ${which}`, { target: ip, scope: scope.name }, rule);
    }
    if (!this.allowed.has(a)) {
      return new SakimoriError('SCOPE_DENIED', `target ${formatIp(a)} is outside the CIDRs of scope "${scope.name}" (${scope.cidrs.join(', ')})`, { target: ip, scope: scope.name });
    }
    return undefined;
  }

  /** Throws the error of `checkTarget`. */
  assertTarget(ip: string, now: number = Date.now()): void {
    const e = this.checkTarget(ip, now);
    if (e) throw e;
  }
}

function inRange(r: CidrRange, a: ParsedIp): boolean {
  if (r.family === 4 && a.family === 4) return a.value >= r.lo && a.value <= r.hi;
  if (r.family === 6 && a.family === 6) return a.value >= r.lo && a.value <= r.hi;
  return false;
}
