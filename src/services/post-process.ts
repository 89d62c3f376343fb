/**
 * What happens to a service row between the probe (or the import parser) and the store:
 * fingerprint rules fill in vendor, product, version, device type, CPE names and tags, then the
 * CVE matcher attaches the CVEs those CPE names imply (`inferred`) and the KEV tags. Built once
 * per process (rules compiled, CPE match table loaded from the state store) and handed to
 * `writeServices` (`postProcessors` option) or a survey run (`postProcessors`); each processor
 * is synchronous and takes microseconds per row.
 *
 *   const post = await buildServicePostProcessors(ctx.state);
 *   await writeServices(ctx.events, ctx.enricher, rows, { dedupToken, postProcessors: post });
 *
 * Processors never overwrite what a module already set and may run twice on a row.
 */
import type { ServiceFinding } from '../schema/service-observation.js';
import type { StateStore } from '../store/types.js';
import { FingerprintRules } from './device-rules.js';
import { CveMatcher } from '../vulns/cve-matcher.js';

/** Takes full rows (a survey's) and sparse findings (an import's) alike. */
export type ServicePostProcessor = (row: ServiceFinding) => void;

export interface PostProcessOptions {
  /** Rule files, in order (default: data/fingerprints/starter.json). */
  readonly ruleFiles?: readonly string[];
  /** Already compiled rules (instead of ruleFiles). */
  readonly rules?: FingerprintRules;
  /** Already loaded matcher (instead of loading it from the state store). */
  readonly matcher?: CveMatcher;
}

export interface ServicePostProcessing {
  readonly processors: readonly ServicePostProcessor[];
  readonly rules: FingerprintRules;
  /** Undefined when no state store was given or no feed has been imported. */
  readonly matcher: CveMatcher | undefined;
}

/** Compiles the rules and loads the CVE matcher (when `state` has imported feeds). */
export async function loadServicePostProcessing(state: Pick<StateStore, 'query'> | undefined, opts: PostProcessOptions = {}): Promise<ServicePostProcessing> {
  const rules = opts.rules ?? (await FingerprintRules.load(opts.ruleFiles));
  const loaded = opts.matcher ?? (state ? await CveMatcher.load(state) : undefined);
  const matcher = loaded && !loaded.empty ? loaded : undefined;
  const processors: ServicePostProcessor[] = [(row) => void rules.apply(row)];
  if (matcher) processors.push((row) => matcher.apply(row));
  return { processors, rules, matcher };
}

export async function buildServicePostProcessors(state: Pick<StateStore, 'query'> | undefined, opts: PostProcessOptions = {}): Promise<readonly ServicePostProcessor[]> {
  return (await loadServicePostProcessing(state, opts)).processors;
}
