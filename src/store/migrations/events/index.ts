/**
 * Events store migrations (ClickHouse SQL), in order. Add `NNN-name.ts` exporting
 * `migration = { id, name, statements }` and list it here; never edit an applied one.
 * Write literal DDL (import nothing) and pin its checksum in `../checksums.test.ts` on release.
 * MergeTree-family engines are written as `ENGINE = {engine:MergeTree}` (or
 * `{engine:AggregatingMergeTree}`, `{engine:SummingMergeTree(cols)}`, `{engine:ReplacingMergeTree(ver)}`)
 * so that `cluster-ddl.ts` can derive the ReplicatedMergeTree + Distributed variant.
 * See `../../migrate.ts` and `../../cluster-ddl.ts`.
 */
import type { Migration } from '../../migrate.js';
import { migration as darknet } from './001-darknet.js';
import { migration as services } from './002-services.js';
import { migration as searchText } from './003-search-text.js';
import { migration as arrayIndexes } from './004-array-indexes.js';
import { migration as searchPairs } from './005-search-pairs.js';
import { migration as ipv4Number } from './006-ipv4-number.js';
import { migration as packetsStoredAt } from './007-packets-stored-at.js';
import { migration as tagApplicability } from './008-tag-applicability.js';
import { migration as packetKeys } from './009-packet-keys.js';
import { migration as exactDistinct } from './010-exact-distinct.js';
import { migration as hourSets } from './011-hour-sets.js';
import { migration as flows } from './012-flows.js';
import { migration as honeypot } from './013-honeypot.js';

export const EVENTS_MIGRATIONS: readonly Migration[] = [darknet, services, searchText, arrayIndexes, searchPairs, ipv4Number, packetsStoredAt, tagApplicability, packetKeys, exactDistinct, hourSets, flows, honeypot];
