/**
 * State store migrations (PostgreSQL SQL, run on PGlite and on a PostgreSQL server), in order.
 * Add `NNN-name.ts` exporting `migration = { id, name, statements }` and list it here; never edit
 * an applied one. All pending state migrations run in one transaction. See `../../migrate.ts`.
 * Write literal DDL (import nothing) and pin its checksum in `../checksums.test.ts` on release.
 */
import type { Migration } from '../../migrate.js';
import { migration as m001 } from './001-ingest.js';
import { migration as m002 } from './002-darknet-day-reports.js';
import { migration as m003 } from './003-monitors.js';
import { migration as m004 } from './004-abuse-contacts.js';
import { migration as m005 } from './005-organisations.js';
import { migration as m006 } from './006-principals.js';
import { migration as m007 } from './007-cases.js';
import { migration as m008 } from './008-digests.js';
import { migration as m009 } from './009-survey.js';
import { migration as m010 } from './010-vulnerabilities.js';
import { migration as m011 } from './011-survey-heartbeat.js';
import { migration as m012 } from './012-monitor-names-per-org.js';
import { migration as m013 } from './013-api-key-parents.js';
import { migration as m014 } from './014-ingest-batch-ranges.js';
import { migration as m015 } from './015-no-recipient.js';
import { migration as m016 } from './016-demo-outbox.js';
import { migration as m017 } from './017-share-objects.js';
import { migration as m018 } from './018-share-policy.js';
import { migration as m019 } from './019-share-indicators.js';
import { migration as m020 } from './020-victim-reports.js';
import { migration as m021 } from './021-taxii-feeds.js';
import { migration as m022 } from './022-flow-state.js';
import { migration as m023 } from './023-flow-corroboration.js';
import { migration as m024 } from './024-honeypot-state.js';
import { migration as m025 } from './025-campaigns.js';
import { migration as m026 } from './026-sensor-journal-ranges.js';
import { migration as m027 } from './027-campaign-member-ties.js';

export const STATE_MIGRATIONS: readonly Migration[] = [m001, m002, m003, m004, m005, m006, m007, m008, m009, m010, m011, m012, m013, m014, m015, m016, m017, m018, m019, m020, m021, m022, m023, m024, m025, m026, m027];
