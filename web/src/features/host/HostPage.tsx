import { api, ApiError, type Host } from '../../api.js';
import { useI18n } from '../../i18n/index.js';
import { Bars } from '../../components/Bars.js';
import { Message, Panel, Stat } from '../../components/Panel.js';
import { TimeChart } from '../../components/TimeChart.js';
import { Link } from '../../router.js';
import { utc } from '../../format.js';
import { useLoad } from '../../useLoad.js';
import type { MessageKey } from '../../i18n/en.js';

export function HostPage({ ip }: { ip: string }) {
  const { t } = useI18n();
  const host = useLoad(`host:${ip}`, () => api.host(ip));
  return (
    <main className="dash">
      <div className="dayline"><Link to="/">{t('back')}</Link></div>
      {host.state === 'loading' && <Message kind="info">{t('loading')}</Message>}
      {host.state === 'error' && (
        <Message kind={host.error instanceof ApiError && host.error.status < 500 ? 'info' : 'error'}>
          {host.error instanceof ApiError && host.error.code === 'NOT_FOUND' ? t('hostNotFound')
            : host.error instanceof ApiError && host.error.code === 'BAD_IP' ? t('badIp')
              : `${t('error')}: ${host.error.message}`}
        </Message>
      )}
      {host.state === 'done' && <HostView h={host.data} />}
    </main>
  );
}

function HostView({ h }: { h: Host }) {
  const { t, num, pct, lang } = useI18n();
  return (
    <>
      <h1 className="host-title">
        <span data-testid="host-ip" data-value={h.ip}>{h.ip}</span>
        <span className="muted"> {h.country} · {h.asn ? `AS${h.asn}` : '—'} {h.org}</span>
      </h1>
      <div className="stats">
        <Stat label={t('packets')} value={num(h.packets)} raw={h.packets} testId="host-packets" />
        <Stat label={t('klass')} value={t(`class_${h.class}` as MessageKey)} raw={h.class} testId="host-class" />
        <Stat label={t('firstSeen')} value={`${utc(h.firstSeen)} UTC`} raw={h.firstSeen} testId="host-first-seen" />
        <Stat label={t('lastSeen')} value={`${utc(h.lastSeen)} UTC`} raw={h.lastSeen} testId="host-last-seen" />
        {h.distinctPorts !== undefined && <Stat label={t('distinctPorts')} value={num(h.distinctPorts)} raw={h.distinctPorts} testId="host-distinct-ports" />}
        {h.darknetAddresses !== undefined && <Stat label={t('darknetAddresses')} value={num(h.darknetAddresses)} raw={h.darknetAddresses} testId="host-darknet-addresses" />}
      </div>
      <div className="grid">
        <Panel title={t('tags')}>
          {h.tags.length === 0 ? <p className="muted">{t('none')}</p> : (
            <table className="tbl">
              <thead><tr><th></th><th className="n">{t('confidence')}</th><th>{t('evidence')}</th></tr></thead>
              <tbody>
                {h.tags.map((g) => (
                  <tr key={g.tag} data-testid="host-tag" data-tag={g.tag} data-value={g.confidence}>
                    <td><span className="tag">{g.tag}</span></td>
                    <td className="n">{pct(g.confidence, 2)}</td>
                    <td>
                      {t('evidenceText', { matched: num(g.packets), packets: num(h.packets), chance: g.falseMatchChance.toExponential(1) })}
                      {(lang === 'ja' ? g.descriptionJa ?? g.description : g.description) && <div className="muted small">{lang === 'ja' ? g.descriptionJa ?? g.description : g.description}</div>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Panel>
        <Panel title={t('portsTargeted')}>
          <Bars testId="host-port-row" rows={h.ports.slice(0, 20).map((p) => ({
            key: `${p.proto}/${p.port}`, label: p.proto === 'tcp' || p.proto === 'udp' ? `${p.proto}/${p.port}` : p.proto.toUpperCase(),
            value: p.packets, display: num(p.packets), attrs: { 'data-proto': p.proto, 'data-port': String(p.port) },
          }))} />
        </Panel>
        <Panel title={t('dailyActivity')} wide>
          <TimeChart times={h.daily.map((d) => `${d.day}T00:00`)} series={[{ label: t('packets'), color: '#1d3557', values: h.daily.map((d) => d.packets) }]} height={160} />
          <table className="tbl">
            <thead><tr><th>{t('day')}</th><th className="n">{t('packets')}</th><th className="n">{t('ports')}</th></tr></thead>
            <tbody>{h.daily.map((d) => <tr key={d.day}><td>{d.day}</td><td className="n">{num(d.packets)}</td><td className="n">{num(d.ports)}</td></tr>)}</tbody>
          </table>
        </Panel>
      </div>
    </>
  );
}
