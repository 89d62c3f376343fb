export { synthDarknet } from './synth-darknet.js';
export { synthDarknetToFile } from './synth-to-file.js';
export { synthEnrichmentCsv, synthEnrichmentRows, type EnrichmentCsv } from './enrichment-csv.js';
export { resolveOptions, CORSARO_DOS_THRESHOLDS, type SynthOptions, type DosThresholds } from './options.js';
export type { GroundTruth, TruthDosAttack, TruthNearMiss, TruthPort, TruthSource, Count } from './ground-truth.js';
export { KIND_NAMES, type TrafficKind } from './traffic-kinds.js';
export { parseSurgeSpec, type SurgeSpec, type TruthSurge } from './surge-injection.js';
