/**
 * Issue 15 figure: the effects report (GET /api/v1/effects) on demo-sized data answers within
 * 1 s. Input: `--cases N` cases (default 117,111, the old demo's count) over 10 organisations,
 * a third notified over 8 weekly rounds, half of those resolved later, opened over 60 days.
 * Prints the first (cold) and repeated report times per grouping. JSON lines.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../src/util/package-root.js';
import { configSchema } from '../src/config/schema.js';
import { openContext } from '../src/app/context.js';
import { effectReport } from '../src/effects/effect-report.js';
import { UNRESTRICTED } from '../src/store/need-to-know.js';
import { argValue, emit } from './lib.js';

const n = Number(argValue('cases', '117111'));
const dir = join(packageRoot(), 'bench', 'out', 'effects-data');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const ctx = await openContext(configSchema.parse({ dataDir: dir, log: { level: 'silent' } }));
try {
  const now = new Date('2026-12-01T00:00:00Z');
  const t0 = Date.now();
  await ctx.state.query(
    `INSERT INTO cases (recipient, recipient_name, ip, kind, detail, device_model, first_seen, last_seen, opened_at)
     SELECT 'org:o' || (g % 10), 'Org ' || (g % 10), ('10.0.0.0'::inet + g), (ARRAY['default_credential', 'no_authentication', 'vulnerable_firmware', 'mirai_infection'])[g % 4 + 1],
            '{}', (ARRAY['R100', 'R200', 'Cam-9'])[g % 3 + 1], $2::timestamptz - ((g % 60) || ' days')::interval, $2::timestamptz - ((g % 60) || ' days')::interval, $2::timestamptz - ((g % 60) || ' days')::interval
     FROM generate_series(1, $1) g`,
    [n, now],
  );
  // A third notified a day after opening (round = week), half of those resolved 1–40 days later.
  await ctx.state.query(
    `INSERT INTO case_events (case_id, at, from_state, to_state, reason, evidence)
     SELECT id, opened_at + interval '1 day', 'new', 'notified', 'bench', jsonb_build_object('round', 1 + (id % 8)) FROM cases WHERE id % 3 = 0`,
  );
  await ctx.state.query(
    `WITH r AS (UPDATE cases SET state = 'resolved', resolved_at = least(opened_at + ((2 + id % 40) || ' days')::interval, $1) WHERE id % 6 = 0 RETURNING id, resolved_at)
     INSERT INTO case_events (case_id, at, from_state, to_state, reason) SELECT id, resolved_at, 'notified', 'resolved', 'bench' FROM r`,
    [now],
  );
  await ctx.state.query("UPDATE cases SET state = 'notified', notified_at = opened_at + interval '1 day' WHERE id % 3 = 0 AND state = 'new'");
  emit({ bench: 'effects-input', cases: n, notified: Math.floor(n / 3), loadSeconds: (Date.now() - t0) / 1000 });
  for (const groupBy of ['kind', 'recipient', 'round'] as const) {
    const times: number[] = [];
    let groups = 0;
    for (let i = 0; i < 3; i++) {
      const s = performance.now();
      const r = await effectReport(ctx.state, UNRESTRICTED, { groupBy, now });
      times.push((performance.now() - s) / 1000);
      groups = r.groups.length;
    }
    emit({ bench: 'effects-report', groupBy, cases: n, groups, firstSeconds: times[0], repeatSeconds: times[2], limitSeconds: 1 });
  }
} finally {
  await ctx.close();
}
