import type { Command } from 'commander';
import { clusterDdl } from '../store/cluster-ddl.js';

export function registerStore(program: Command): void {
  const store = program.command('store').description('store administration');
  store
    .command('cluster-ddl')
    .description('print the ClickHouse cluster DDL (ReplicatedMergeTree + Distributed) for the events tables')
    .action(() => {
      for (const s of clusterDdl()) process.stdout.write(`${s.trim()};\n\n`);
    });
}
