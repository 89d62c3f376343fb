import { Fragment } from 'react';
import { useI18n } from '../../i18n/index.js';
import { ErrorMessage, Loading, Panel } from '../../components/Panel.js';
import { Link } from '../../router.js';
import { useLoad } from '../../useLoad.js';
import { flowsApi, serverPath } from './flowsApi.js';
import { FlowsNav } from './FlowsNav.js';
import { ScoreParts } from './ScoreParts.js';
import { protoLabel } from './format.js';

/** C&C candidates best first: score, its parts, clients, first and last seen, and the flows that show why. */
export function CandidatesPage() {
  const { t, num, time } = useI18n();
  const r = useLoad('flows-candidates', (s) => flowsApi.candidates(s));
  return (
    <main className="page" data-testid="flows-candidates-page">
      <h1 className="page-title">{t('flowsCandidates')}</h1>
      <FlowsNav current="candidates" />
      <p className="muted small">{t('flowsCandidatesIntro')}</p>
      {r.state === 'loading' && <Loading />}
      {r.state === 'error' && <ErrorMessage error={r.error} retry={r.reload} />}
      {r.state === 'done' && (
        <Panel title={t('flowsCandidates')} wide testId="flows-candidates">
          {r.data.length === 0 ? <p className="muted" data-testid="flows-no-candidates">{t('flowsNoCandidates')}</p> : (
            <table className="tbl">
              <thead>
                <tr>
                  <th>{t('flowsServer')}</th><th className="n">{t('flowsScore')}</th><th>{t('flowsParts')}</th>
                  <th className="n">{t('flowsClients')}</th><th>{t('flowsFirstSeen')}</th><th>{t('flowsLastSeen')}</th>
                </tr>
              </thead>
              <tbody>
                {r.data.map((c) => (
                  <Fragment key={`${c.server}|${c.port}|${c.proto}`}>
                    <tr data-testid="flows-candidate" data-server={c.server} data-port={String(c.port)} data-score={String(c.score)}>
                      <td className="mono">
                        <Link to={serverPath(c.server, c.port, c.proto)} testId="flows-candidate-link">{c.server}</Link>
                        <div className="muted small">{c.port}/{protoLabel(c.proto)}</div>
                      </td>
                      <td className="n">{num(c.score, 3)}</td>
                      <td><ScoreParts parts={c.parts} testId="flows-candidate-part" /></td>
                      <td className="n">{num(c.clients)}</td>
                      <td className="nowrap small">{time(c.firstSeen, false)}</td>
                      <td className="nowrap small">{time(c.lastSeen, false)}</td>
                    </tr>
                    {(c.evidence ?? []).length > 0 && (
                      <tr className="evidence">
                        <td colSpan={6} className="small">
                          <span className="muted">{t('flowsEvidence')}: </span>{c.evidence?.[0]?.note}
                          <table className="tbl" data-testid="flows-evidence">
                            <thead><tr><th>{t('flowsClient')}</th><th>{t('flowsStart')}</th><th className="n">{t('flowsScaledOctets')}</th><th className="n">{t('flowsPackets')}</th></tr></thead>
                            <tbody>
                              {(c.evidence ?? []).map((e) => (
                                <tr key={`${e.client}|${e.start}`} data-testid="flows-evidence-row" data-client={e.client}>
                                  <td className="mono">{e.client}</td>
                                  <td className="nowrap">{time(e.start)}</td>
                                  <td className="n">{num(e.octets)}</td>
                                  <td className="n">{num(e.packets)}</td>
                                </tr>
                              ))}
                            </tbody>
                          </table>
                        </td>
                      </tr>
                    )}
                  </Fragment>
                ))}
              </tbody>
            </table>
          )}
        </Panel>
      )}
    </main>
  );
}
