/** `sakimori collect flows --listen ADDR:PORT…`: the UDP flow collector in the foreground, until SIGINT/SIGTERM. */
import type { Command } from 'commander';
import { configFrom, fmtInt } from './common.js';
import { SakimoriError } from '../errors.js';

export function registerCollect(program: Command): void {
  const collect = program.command('collect').description('collect observations from the network');
  collect
    .command('flows')
    .description('collect NetFlow v5/v9, IPFIX and sFlow v5 over UDP into the flow tables (serve does it too when flows.listen is set)')
    .option('--listen <addresses...>', 'UDP ADDRESS:PORT to listen on, IPv6 in brackets (e.g. 0.0.0.0:2055 [::]:4739 0.0.0.0:6343); default flows.listen')
    .option('--internal <cidr...>', 'internal prefixes (clients); default flows.internal')
    .action(async (opts: { listen?: string[]; internal?: string[] }, cmd: Command) => {
      const config = configFrom(cmd);
      const listen = opts.listen?.length ? opts.listen : config.flows.listen;
      if (listen.length === 0) throw new SakimoriError('CONFIG_INVALID', 'nothing to listen on: give --listen ADDRESS:PORT or set flows.listen', { field: 'flows.listen' });
      const { openContext } = await import('../app/context.js');
      const { startFlowCollector } = await import('../flows/collect/start-collector.js');
      // The stores are this process's: beside a running server, the server collects (flows.listen).
      const ctx = await openContext(config);
      const collector = await startFlowCollector(ctx, { listen, ...(opts.internal ? { internal: opts.internal } : {}) }).catch(async (e: unknown) => {
        await ctx.close();
        throw e;
      });
      for (const s of collector.sockets) {
        const asked = config.flows.receiveBufferBytes;
        const note = s.receiveBufferBytes > 0 && s.receiveBufferBytes < asked ? ` (asked ${fmtInt(asked)}: raise net.core.rmem_max)` : '';
        process.stderr.write(`listening on ${s.type === 'udp6' ? `[${s.host}]` : s.host}:${s.boundPort} (UDP, receive buffer ${fmtInt(s.receiveBufferBytes)} bytes${note})\n`);
      }
      const report = setInterval(() => {
        const c = collector.counters;
        process.stderr.write(`${fmtInt(c.datagrams)} datagrams, ${fmtInt(c.records)} records, ${fmtInt(c.stored)} stored, ${fmtInt(c.undecodable)} undecodable, ${fmtInt(c.dropped)} dropped\n`);
      }, 60_000);
      report.unref();
      await new Promise<void>((resolve) => {
        const stop = (): void => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      clearInterval(report);
      await collector.stop();
      await ctx.close();
      const c = collector.counters;
      process.stderr.write(`stopped: ${fmtInt(c.datagrams)} datagrams, ${fmtInt(c.records)} records, ${fmtInt(c.stored)} stored\n`);
    });
}
