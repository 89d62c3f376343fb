import type { FastifyPluginAsync } from 'fastify';
import { isAbsolute } from 'node:path';
import type { AppContext } from '../app/context.js';
import { SakimoriError } from '../errors.js';
import { importContacts } from '../notify/contacts/import-contacts.js';
import { access, requirePeer } from './auth-plugin.js';
import { seesEverything } from '../auth/principal.js';
import { lookupAbuseContact } from '../notify/contacts/lookup-contact.js';
import { CONTACTS } from './contract/contacts.js';
import { serveRoute } from './serve-route.js';

/** Abuse contacts looked up, and imported from files on the server's machine (its owner only): `sakimori contacts` beside a running server. */
export const contactRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  serveRoute(app, CONTACTS.lookup, async (req) => {
    const { principal } = access(req);
    // Contacts of every network: for those who see every organisation.
    if (!seesEverything(principal)) throw new SakimoriError('FORBIDDEN', 'abuse contacts are looked up by platform admins and analysts', { role: principal.role });
    return lookupAbuseContact(ctx.state, req.query.what);
  });
  serveRoute(app, CONTACTS.importFiles, async (req) => {
    requirePeer(req, 'contact imports');
    const relative = req.body.files.find((f) => !isAbsolute(f));
    if (relative) throw new SakimoriError('BAD_REQUEST', `files: not an absolute path: ${relative}`, { field: 'files' });
    return importContacts(ctx.state, req.body.files, { ...(req.body.format ? { format: req.body.format } : {}), ...(req.body.source ? { source: req.body.source } : {}) });
  });
};
