import type { Command } from 'commander';
import { configFrom } from './common.js';
import { callJson, getJson, viaStoresOrServer } from './with-context.js';
import type { CollectionView } from '../share/taxii/collection-views.js';

const list = (v: string, prev: string[] = []): string[] => [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean)];

function show(c: CollectionView): string {
  return [
    `${c.title}  id ${c.id}${c.alias ? `  alias ${c.alias}` : ''}`,
    ...(c.description ? [`  ${c.description}`] : []),
    `  read: ${c.read.join(', ') || 'operators only'}`,
    `  write: ${c.write.join(', ') || 'operators only'}`,
    `  TAXII: /taxii2/api/collections/${c.id}/`,
  ].join('\n');
}

export function registerTaxii(program: Command): void {
  const taxii = program.command('taxii').description('the TAXII 2.1 server\'s collections (served at /taxii2/ by sakimori serve)');
  const collection = taxii.command('collection').description('TAXII collections and which organisations read and write them');
  collection.command('add').argument('<title>')
    .option('--description <text>', 'what the collection holds')
    .option('--alias <alias>', 'a short name for its URL (a-z 0-9 . _ -)')
    .option('--read <org...>', 'organisations (name or id) that read it', list)
    .option('--write <org...>', 'organisations (name or id) that write it', list)
    .option('--json', 'print JSON')
    .description('create a collection (platform admin)')
    .action(async (title: string, o: { description?: string; alias?: string; read?: string[]; write?: string[]; json?: boolean }, cmd: Command) => {
      const input = { title, read: o.read ?? [], write: o.write ?? [], ...(o.description !== undefined ? { description: o.description } : {}), ...(o.alias !== undefined ? { alias: o.alias } : {}) };
      const c = await viaStoresOrServer<CollectionView>(configFrom(cmd), async (ctx) => {
        const { peerPrincipal } = await import('../api/auth-plugin.js');
        return (await import('../share/taxii/collection-views.js')).addCollection(ctx.state, peerPrincipal(), input);
      }, (url) => callJson('POST', `${url}api/v1/share/collections`, input));
      process.stdout.write(o.json ? `${JSON.stringify(c, null, 2)}\n` : `${show(c)}\n`);
    });
  collection.command('list').option('--json', 'print JSON').description('the collections (an organisation\'s user: those it may read or write)')
    .action(async (o: { json?: boolean }, cmd: Command) => {
      const all = await viaStoresOrServer<CollectionView[]>(configFrom(cmd), async (ctx) => {
        const { peerPrincipal } = await import('../api/auth-plugin.js');
        return (await import('../share/taxii/collection-views.js')).collectionViews(ctx.state, peerPrincipal());
      }, (url) => getJson(`${url}api/v1/share/collections`));
      process.stdout.write(o.json ? `${JSON.stringify(all, null, 2)}\n` : `${all.map(show).join('\n') || 'no collections'}\n`);
    });
}
