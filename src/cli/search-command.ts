import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Command } from 'commander';
import { configFrom, fmtInt } from './common.js';
import { getJson, streamGet, viaStoresOrServer } from './with-context.js';
import { search, type SearchResult } from '../search/search.js';
import { exportSearch, type ExportFormat } from '../search/export.js';
import { SEARCH_FIELDS } from '../search/fields.js';
import { UNRESTRICTED } from '../store/need-to-know.js';
import { SakimoriError } from '../errors.js';
import { asLabel, countryLabel, hintMissingEnrichment } from './enrichment-labels.js';

interface SearchOpts { json?: boolean; facets?: string; limit?: string; offset?: string; export?: string; out?: string; max?: string; fields?: boolean }

function int(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new SakimoriError('BAD_REQUEST', `--${name} takes a whole number, not "${v}"`, { [name]: v });
  return Number(v);
}

async function write(out: Writable, s: string): Promise<void> {
  if (!out.write(s)) await once(out, 'drain');
}

export function registerSearch(program: Command): void {
  program
    .command('search')
    .description('search the current services (port:23 country:JP weak_credential:true …); --fields lists the fields')
    .argument('[query...]', 'the query; quote it for the shell')
    .option('--json', 'print the result as JSON')
    .option('--facets <fields>', 'count the result by these fields (country,port,product); not with --export')
    .option('--limit <n>', 'hits per page (default 50, at most 1000)')
    .option('--offset <n>', 'skip this many hits')
    .option('--export <format>', 'write the whole result, every column, as jsonl or csv')
    .option('--out <file>', 'with --export: write to this file instead of stdout')
    .option('--max <n>', 'with --export: at most this many rows')
    .option('--fields', 'list the search fields')
    .action(async (words: string[], opts: SearchOpts, cmd: Command) => {
      if (opts.fields) {
        for (const f of SEARCH_FIELDS) process.stdout.write(`${f.name.padEnd(24)} ${f.kind.padEnd(8)} ${f.facetable ? 'facet' : '     '}  ${f.doc}${f.aliases?.length ? ` (also ${f.aliases.join(', ')})` : ''}\n`);
        return;
      }
      const config = configFrom(cmd);
      const query = words.join(' ');
      if (opts.export) {
        // An export is rows only (every column, for other tools); counting them is the search's job.
        if (opts.facets) throw new SakimoriError('BAD_REQUEST', '--facets cannot be combined with --export (an export holds the rows only): run the same search without --export for its facets', { field: 'facets' });
        if (opts.export !== 'jsonl' && opts.export !== 'csv') throw new SakimoriError('BAD_REQUEST', `--export takes jsonl or csv, not "${opts.export}"`, { export: opts.export });
        const format: ExportFormat = opts.export;
        const max = int('max', opts.max);
        const out = opts.out ? createWriteStream(opts.out) : process.stdout;
        let rows = 0;
        await viaStoresOrServer(config, async (ctx) => {
          for await (const chunk of exportSearch(ctx.events, { query, restriction: UNRESTRICTED, format, ...(max ? { max } : {}) })) {
            rows += chunk.split('\n').length - 1;
            await write(out, chunk);
          }
        }, async (url) => {
          const u = new URL(`${url}api/v1/search/export`);
          u.searchParams.set('q', query);
          u.searchParams.set('format', format);
          if (max) u.searchParams.set('max', String(max));
          // Through the server's socket beside it (no key needed), like every other command.
          await streamGet(u.toString(), async (s) => {
            rows += s.split('\n').length - 1;
            await write(out, s);
          });
        });
        if (opts.out) {
          (out as ReturnType<typeof createWriteStream>).end();
          await once(out, 'finish');
          process.stderr.write(`${fmtInt(format === 'csv' ? Math.max(0, rows - 1) : rows)} rows written to ${opts.out}\n`);
        }
        return;
      }
      const facets = (opts.facets ?? '').split(',').map((s) => s.trim()).filter(Boolean);
      const limit = int('limit', opts.limit);
      const offset = int('offset', opts.offset);
      const r = await viaStoresOrServer<SearchResult>(
        config,
        (ctx) => search(ctx.events, { query, restriction: UNRESTRICTED, facets, ...(limit !== undefined ? { limit } : {}), ...(offset !== undefined ? { offset } : {}) }),
        (url) => {
          const u = new URL(`${url}api/v1/search`);
          u.searchParams.set('q', query);
          if (facets.length) u.searchParams.set('facets', facets.join(','));
          if (limit !== undefined) u.searchParams.set('limit', String(limit));
          if (offset !== undefined) u.searchParams.set('offset', String(offset));
          return getJson<SearchResult>(u.toString());
        },
      );
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
        return;
      }
      const lines = [`${fmtInt(r.total)} services match (${r.tookMs} ms) / ${fmtInt(r.total)} 件`];
      for (const h of r.hits) {
        const what = [h.device, h.httpStatus ? `HTTP ${h.httpStatus}${h.httpTitle ? ` "${h.httpTitle}"` : ''}` : '', h.sshIdent, h.tlsSubject ? `TLS ${h.tlsSubject}` : ''].filter(Boolean).join('; ');
        const flags = [h.weakCredential ? 'default credential' : '', h.noAuth ? 'no authentication' : '', h.cves.join(' ')].filter(Boolean).join('; ');
        lines.push(`${h.ip.padEnd(16)} ${`${h.transport}/${h.port}`.padEnd(10)} ${h.service.padEnd(7)} ${countryLabel(h.country).padEnd(2)} ${asLabel(h.asn)}  ${what}${flags ? `  ! ${flags}` : ''}  (${h.lastSeen})`);
      }
      if (r.total > r.offset + r.hits.length) lines.push(`… ${fmtInt(r.total - r.offset - r.hits.length)} more (--offset ${r.offset + r.hits.length}, or --export jsonl|csv for all)`);
      for (const [field, values] of Object.entries(r.facets)) {
        lines.push(`${field}:`);
        for (const v of values) lines.push(`  ${(v.value || 'unknown').padEnd(30)} ${fmtInt(v.count)}`);
        if (values.length === 0) lines.push('  none known');
      }
      process.stdout.write(`${lines.join('\n')}\n`);
      hintMissingEnrichment(config.dataDir, r.hits.some((h) => !h.asn || !h.country));
    });
}
