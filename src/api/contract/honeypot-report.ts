/** The honeypot report's route (issue 18): GET /honeypot/report, the remote half of `sakimori report honeypot`. */
import { defineRoute } from './define.js';
import { WindowQuery } from './common.js';
import { HoneypotReport } from './honeypot.js';

export const HONEYPOT_REPORT = {
  report: defineRoute({
    method: 'GET', url: '/honeypot/report', errors: ['BAD_TIME', 'QUERY_LIMIT_EXCEEDED'],
    schema: {
      tags: ['honeypot'], summary: 'What attackers did on our honeypots in a window: sessions, logins and the credentials tried, commands, proxy requests, URLs and file hashes, sources, per honeypot, protocol and hour',
      description: 'Default window: the UTC day of the last honeypot event. An organisation\'s members get the report of their constituency\'s sources only (by address or origin AS), totals included.',
      querystring: WindowQuery,
      response: { 200: HoneypotReport },
    },
  }),
};
