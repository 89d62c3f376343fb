/** NetFlow v5, v9 and IPFIX: the datagram decoders and the template cache they share (docs/flows.md). */
export { netflowDecoders, type NetflowDecoders } from './decoders.js';
export { decodeNetflow5 } from './netflow5.js';
export { decodeNetflow9 } from './netflow9.js';
export { decodeIpfix } from './ipfix.js';
export {
  TemplateCache, type SamplerSnapshotEntry, type TemplateCacheOptions, type TemplateCacheSnapshot, type TemplateListing, type TemplateSnapshotEntry,
} from './template-cache.js';
export type { TemplateField } from './template-plan.js';
