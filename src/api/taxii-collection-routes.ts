import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../app/context.js';
import { access } from './auth-plugin.js';
import { TAXII_COLLECTIONS } from './contract/taxii-collections.js';
import { serveRoute } from './serve-route.js';
import { addCollection, collectionViews } from '../share/taxii/collection-views.js';

/** TAXII collections over REST: members list those they may read or write; platform admins create. */
export const taxiiCollectionRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  serveRoute(app, TAXII_COLLECTIONS.list, async (req) => collectionViews(ctx.state, access(req).principal));
  serveRoute(app, TAXII_COLLECTIONS.create, async (req, reply) => {
    const b = req.body;
    const created = await addCollection(ctx.state, access(req).principal, {
      title: b.title, ...(b.description !== undefined ? { description: b.description } : {}), ...(b.alias !== undefined ? { alias: b.alias } : {}),
      read: b.read ?? [], write: b.write ?? [],
    });
    return reply.status(201).send(created);
  });
};
