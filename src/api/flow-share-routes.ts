/**
 * Corroboration of C&C candidates over the API (contract/flow-share.ts): a carrier's members
 * submit and read for their own organisation only (need-to-know in flows/share/corroboration-store.ts);
 * the community key is served to nobody but the data directory's owner.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../app/context.js';
import { SakimoriError } from '../errors.js';
import { access } from './auth-plugin.js';
import { serveRoute } from './serve-route.js';
import { FLOW_SHARE } from './contract/flow-share.js';
import { corroborationFor, corroborationOrg, submitCorroboration } from '../flows/share/corroboration-store.js';
import { ensureCommunityKey, importCommunityKey } from '../flows/share/community-key.js';
import { DEFAULT_MIN_SCORE, publishCandidates } from '../flows/share/publish-candidates.js';
import { parseCandidates } from '../flows/share/candidates-file.js';

export const flowShareRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  serveRoute(app, FLOW_SHARE.publish, async (req) => {
    const b = req.body;
    return publishCandidates(ctx.state, access(req).principal, {
      collection: b.collection, tlp: b.tlp ?? 'amber', minScore: b.minScore ?? DEFAULT_MIN_SCORE, dryRun: b.dryRun ?? false,
      candidates: parseCandidates(b.candidates), corroborate: b.corroborate ?? false,
      ...(b.org !== undefined ? { org: b.org } : {}), ...(b.internal ? { internal: b.internal } : {}),
    });
  }, { cost: 'heavy' });

  serveRoute(app, FLOW_SHARE.submit, async (req) => {
    const { principal } = access(req);
    const orgId = await corroborationOrg(ctx.state, principal, req.body.org);
    return submitCorroboration(ctx.state, orgId, principal.userId, { keyId: req.body.keyId, entries: req.body.entries });
  });

  serveRoute(app, FLOW_SHARE.corroboration, async (req) => {
    const { principal } = access(req);
    const orgId = await corroborationOrg(ctx.state, principal, req.query.org);
    return corroborationFor(ctx.state, orgId, req.query.days === undefined ? {} : { days: req.query.days });
  });

  serveRoute(app, FLOW_SHARE.key, async (req) => {
    // The key lets its holder hash every address: only the installation's owner handles it.
    if (access(req).principal.via !== 'peer') throw new SakimoriError('FORBIDDEN', 'the community key is handled only by the data directory\'s owner (sakimori cnc share key)');
    const b = req.body;
    const k = b.import !== undefined ? await importCommunityKey(ctx.state, b.import, { replace: b.replace ?? false }) : await ensureCommunityKey(ctx.state);
    return { keyId: k.keyId, created: k.created, ...(b.reveal ? { key: Buffer.from(k.key).toString('hex') } : {}) };
  });
};
