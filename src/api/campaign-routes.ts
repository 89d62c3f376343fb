import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../app/context.js';
import { SakimoriError } from '../errors.js';
import { seesEverything } from '../auth/principal.js';
import { computeCampaigns } from '../correlate/campaigns/compute-campaigns.js';
import { campaignDetail, listCampaigns } from '../correlate/campaigns/campaign-store.js';
import { access } from './auth-plugin.js';
import { CAMPAIGNS } from './contract/campaigns.js';
import { serveRoute } from './serve-route.js';

/** Campaigns: read by everyone signed in through need-to-know; computed by those who see every address. */
export const campaignRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  serveRoute(app, CAMPAIGNS.list, async (req) => listCampaigns(ctx, access(req).restriction, req.query.limit ?? 100));

  serveRoute(app, CAMPAIGNS.detail, async (req) => campaignDetail(ctx, access(req).restriction, req.params.id));

  serveRoute(app, CAMPAIGNS.compute, async (req) => {
    const { principal } = access(req);
    if (!seesEverything(principal)) throw new SakimoriError('FORBIDDEN', 'computing campaigns reads every address: platform admins and analysts only', { role: principal.role });
    return computeCampaigns(ctx);
  }, { cost: 'heavy' });
};
