/**
 * Issue 4 figure: digests for 1,000 organisations in at most 30 s, excluding the SMTP server's
 * own time. 1,000 organisations with 2 addresses each and 20 cases each (40,000 cases); a real
 * SMTP server (smtp-server) runs in a child process so its CPU does not count against ours; the
 * total includes waiting for its answers, so it is an upper bound of our own time.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PgliteStateStore } from '../src/store/state/pglite-store.js';
import { STATE_MIGRATIONS } from '../src/store/migrations/state/index.js';
import { smtpMailer } from '../src/notify/channels/email.js';
import { createRound } from '../src/notify/digest-round.js';
import { sendDueDigests } from '../src/notify/send-digests.js';
import { argValue, emit } from './lib.js';

if (process.argv[2] === '--smtp-child') {
  const { SMTPServer } = await import('smtp-server');
  let messages = 0;
  const srv = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false, disableReverseLookup: true,
    onData(stream, _s, cb) {
      stream.on('data', () => undefined);
      stream.on('end', () => { messages++; cb(); });
    },
  });
  srv.listen(0, '127.0.0.1', () => {
    const addr = srv.server.address();
    process.send?.({ port: typeof addr === 'object' && addr ? addr.port : 0 });
  });
  process.on('message', () => { process.send?.({ messages }); setTimeout(() => process.exit(0), 50); });
} else {
  const orgs = Number(argValue('orgs', '1000'));
  const perOrg = Number(argValue('cases', '20'));
  const child = fork(fileURLToPath(import.meta.url), ['--smtp-child'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((r) => child.once('message', (m) => r((m as { port: number }).port)));
  const state = await PgliteStateStore.open();
  for (const m of STATE_MIGRATIONS) for (const s of m.statements) await state.exec(s);
  await state.query(`INSERT INTO organisations (id, name, kind, emails) SELECT 'o' || g, 'ISP ' || g, 'isp', ARRAY['noc@isp' || g || '.example', 'abuse@isp' || g || '.example'] FROM generate_series(1, $1) g`, [orgs]);
  await state.query(
    `INSERT INTO cases (recipient, recipient_name, ip, kind, detail, device_model, first_seen, last_seen)
     SELECT 'org:o' || (g % $1 + 1), 'ISP ' || (g % $1 + 1), ('10.0.0.0'::inet + g), 'default_credential',
            jsonb_build_object('port', 23, 'transport', 'tcp', 'credentialList', 'starter', 'credentialId', 'c' || (g % 40)), 'Acme R100', now(), now()
     FROM generate_series(1, $2) g`,
    [orgs, orgs * perOrg],
  );
  const mailer = smtpMailer({ url: `smtp://127.0.0.1:${port}?starttls=off`, from: 'sakimori@cert.example' });
  const t0 = performance.now();
  const round = await createRound(state, {});
  const t1 = performance.now();
  const sent = await sendDueDigests(state, { mailer });
  const t2 = performance.now();
  mailer.close();
  child.send('done');
  const smtp = await new Promise<{ messages: number }>((r) => child.once('message', (m) => r(m as { messages: number })));
  emit({ bench: 'digests', organisations: orgs, cases: round.cases, deliveries: round.deliveries, sent: sent.sent, casesNotified: sent.casesNotified, smtpMessagesReceived: smtp.messages, roundSeconds: (t1 - t0) / 1000, sendSeconds: (t2 - t1) / 1000, totalSecondsIncludingSmtpWaits: (t2 - t0) / 1000, limitSeconds: 30 });
  await state.close();
}
