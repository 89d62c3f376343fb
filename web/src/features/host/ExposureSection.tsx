import type { Exposure, HostService } from '../../api.js';
import { useI18n } from '../../i18n/index.js';
import { Panel, Stat } from '../../components/Panel.js';
import { valueLabel } from '../../components/labels.js';
import { BannerText } from '../../components/BannerText.js';

/** What the host exposes: services per port with what identified them, and the findings. */
export function ExposureSection({ x }: { x: Exposure | null | undefined }) {
  const { t, num, time } = useI18n();
  if (!x) {
    return (
      <Panel title={t('exposure')} wide testId="host-exposure-panel">
        <p className="muted" data-testid="host-no-exposure">{t('noExposure')}</p>
      </Panel>
    );
  }
  return (
    <>
      <h2 className="section-title">{t('exposure')}</h2>
      <div className="stats">
        <Stat label={t('openPorts')} value={num(x.openPorts)} raw={x.openPorts} testId="host-open-ports" />
        <Stat label={t('weakCredentials')} value={num(x.weakCredentials)} raw={x.weakCredentials} testId="host-weak-credentials" />
        <Stat label={t('noAuthServices')} value={num(x.noAuth)} raw={x.noAuth} testId="host-no-auth" />
        <Stat label={t('cves')} value={num(x.cves.length)} raw={x.cves.length} testId="host-cves" />
        <Stat label={t('firstSeen')} value={<span className="mono small-val">{time(x.firstSeen)}</span>} raw={x.firstSeen} testId="host-exposure-first-seen" />
        <Stat label={t('lastSeen')} value={<span className="mono small-val">{time(x.lastSeen)}</span>} raw={x.lastSeen} testId="host-exposure-last-seen" />
      </div>
      <div className="grid">
        <Panel title={t('services')} wide testId="host-services-panel">
          <div className="scroll">
            <table className="tbl">
              <thead>
                <tr><th>{t('port')}</th><th>{t('service')}</th><th>{t('device')}</th><th>{t('details')}</th><th>{t('findings')}</th><th>{t('lastSeen')}</th></tr>
              </thead>
              <tbody>
                {x.services.map((s) => <ServiceRowView key={`${s.transport}/${s.port}`} s={s} />)}
              </tbody>
            </table>
          </div>
        </Panel>
        <Panel title={t('history')} wide testId="host-history-panel">
          <div className="scroll short">
            <table className="tbl">
              <thead><tr><th>{t('time')}</th><th>{t('port')}</th><th>{t('service')}</th><th>{t('source')}</th><th>{t('details')}</th></tr></thead>
              <tbody>
                {x.history.map((h, i) => (
                  <tr key={`${h.time}-${h.transport}-${h.port}-${i}`} data-testid="host-history-row" data-port={h.port} data-status={h.status}>
                    <td className="mono">{time(h.time)}</td>
                    <td className="mono">{h.transport}/{h.port}</td>
                    <td>{h.service} <span className="muted small">{valueLabel(t, 'status', h.status)}</span></td>
                    <td>{valueLabel(t, 'source', h.source)}</td>
                    <td className="small">{[h.detail, ...h.findings.map((f) => valueLabel(t, 'finding', f))].filter(Boolean).join('; ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Panel>
      </div>
    </>
  );
}

function ServiceRowView({ s }: { s: HostService }) {
  const { t, time } = useI18n();
  const device = s.device?.name ?? '';
  return (
    <tr data-testid="host-service-row" data-port={s.port} data-service={s.service} data-status={s.status} className={s.status === 'open' ? undefined : 'muted'}>
      <td className="mono">{s.transport}/{s.port}</td>
      <td><b>{s.service || '?'}</b>{s.status !== 'open' && <span className="muted small"> ({valueLabel(t, 'status', s.status)})</span>}</td>
      <td>{device || <span className="muted">—</span>}{s.device?.type && <span className="tag" data-device-type={s.device.type}>{valueLabel(t, 'deviceType', s.device.type)}</span>}</td>
      <td className="small service-details">
        {s.http && <div data-testid="service-http">HTTP {s.http.status} {s.http.title && <q>{s.http.title}</q>} {s.http.server && <span className="muted">{s.http.server}</span>}</div>}
        {s.tls && (
          <div data-testid="service-tls">
            TLS {s.tls.version} · {s.tls.subject}
            {s.tls.selfSigned && <span className="tag tag-warn">{t('selfSigned')}</span>}
            {s.tls.notAfter && <span className="muted"> · {t('validUntil', { date: s.tls.notAfter.slice(0, 10) })}</span>}
            <div className="mono muted tiny" title="SHA-256">{s.tls.fingerprintSha256}</div>
          </div>
        )}
        {s.ssh && (
          <div data-testid="service-ssh">
            {s.ssh.ident}
            <div className="mono muted tiny">{s.ssh.hostKeyType} {s.ssh.hostKeySha256} · HASSH {s.ssh.hassh}</div>
          </div>
        )}
        {s.banner && (
          <details>
            <summary>{t('banner')}</summary>
            <BannerText text={s.banner} testId="service-banner" />
          </details>
        )}
        {s.error && <div className="muted">{s.error}</div>}
      </td>
      <td className="small">
        {s.weakCredential && <div className="finding bad" data-testid="finding-weak-credential">{t('defaultCredential', { list: s.weakCredential.list, entry: s.weakCredential.entry })}</div>}
        {s.noAuth && <div className="finding bad" data-testid="finding-no-auth">{t('noAuthRequired')}</div>}
        {s.cves.map((c) => (
          <div key={c.id} className="finding warn" data-testid="finding-cve" data-cve={c.id}>
            {c.id} <span className="muted">({c.evidence === 'verified' ? t('verified') : t('inferred')})</span>
          </div>
        ))}
        {!s.weakCredential && !s.noAuth && s.loginPrompt && <div className="muted">{t('loginPrompt')}</div>}
      </td>
      <td className="mono small">{time(s.lastSeen)}</td>
    </tr>
  );
}
