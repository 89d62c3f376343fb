import type { Command } from 'commander';
import { clusterDdl } from '../store/cluster-ddl.js';
import { clusterRetentionDdl } from '../app/retention.js';
import { configFrom } from './common.js';

export function registerStore(program: Command): void {
  const store = program.command('store').description('store administration');
  store
    .command('cluster-ddl')
    .description('print the ClickHouse cluster DDL (ReplicatedMergeTree + Distributed) for the events tables, with the configured raw-packet retention')
    .action((_opts: unknown, cmd: Command) => {
      const ddl = clusterDdl();
      for (const s of [...ddl, ...clusterRetentionDdl(ddl, configFrom(cmd).darknet.retentionDays)]) process.stdout.write(`${s.trim()};\n\n`);
    });
}
