/**
 * Candidates as `cnc candidates --json` writes them (a list of `CncCandidate`, bare or as
 * `{ candidates: [...] }`), checked: the first problem is reported with its path and nothing
 * is published from a file that does not parse.
 */
import { z } from 'zod';
import { SakimoriError } from '../../errors.js';
import type { CncCandidate } from '../detect/candidate.js';

const IsoTime = z.string().refine((s) => Number.isFinite(Date.parse(s)), 'an ISO 8601 time');

const Evidence = z.object({ client: z.string(), start: z.string(), octets: z.number(), packets: z.number(), note: z.string() });

export const CandidateSchema = z.object({
  server: z.string().min(1).max(64),
  port: z.number().int().min(0).max(65535),
  proto: z.number().int().min(0).max(255),
  score: z.number().min(0).max(1),
  parts: z.record(z.string(), z.number()),
  clients: z.number().int().min(0),
  firstSeen: IsoTime,
  lastSeen: IsoTime,
  evidence: z.array(Evidence).optional(),
});

const CandidateList = z.union([z.array(CandidateSchema), z.object({ candidates: z.array(CandidateSchema) }).transform((x) => x.candidates)]);

export function parseCandidates(json: unknown): CncCandidate[] {
  const p = CandidateList.safeParse(json);
  if (p.success) return p.data;
  // The union's issues: report the one deepest into the data (the list's, not the wrapper's).
  const issues = p.error.issues.flatMap((i) => (i.code === 'invalid_union' ? i.errors.flat() : [i]));
  const i = issues.sort((a, b) => b.path.length - a.path.length)[0];
  const field = ['candidates', ...(i?.path ?? []).map(String)].join('.');
  throw new SakimoriError('BAD_REQUEST', i ? `${field}: ${i.message}` : 'not a list of candidates', { field });
}

export function parseCandidatesText(text: string, file = 'candidates'): CncCandidate[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new SakimoriError('BAD_REQUEST', `${file}: not JSON (${e instanceof Error ? e.message : String(e)})`, { file });
  }
  return parseCandidates(json);
}
