import { api } from '../../api.js';
import { useI18n } from '../../i18n/index.js';
import { ErrorMessage, Loading, Message } from '../../components/Panel.js';
import { useLoad } from '../../useLoad.js';
import { ReportView } from './ReportView.js';
import { WindowBar } from './WindowBar.js';
import { fillBuckets, firstDay, isoWindow, lastDay, stepFor, type DayWindow } from './window.js';

/** The dashboard of one day (default: the last day with data) or of a custom range of days. */
export function Dashboard({ day, from, to }: { day?: string; from?: string; to?: string }) {
  const { t } = useI18n();
  const range = useLoad('range', (s) => api.range(s));
  if (range.state === 'loading') return <main className="page"><Loading /></main>;
  if (range.state === 'error') return <main className="page"><ErrorMessage error={range.error} retry={range.reload} /></main>;
  if (!range.data.last) return <main className="page"><Message kind="info" testId="no-data">{t('noData')}</Message></main>;
  const latest = lastDay(range.data.last);
  const first = range.data.first ? firstDay(range.data.first) : latest;
  const win: DayWindow = from && to ? { from, to } : { from: day ?? latest, to: day ?? latest };
  return <WindowView win={win} single={!(from && to)} first={first} latest={latest} />;
}

function WindowView({ win, single, first, latest }: { win: DayWindow; single: boolean; first: string; latest: string }) {
  const { t } = useI18n();
  const iso = isoWindow(win);
  const step = stepFor(win);
  const key = `${win.from}/${win.to}`;
  const report = useLoad(`report:${key}`, (s) => api.report(iso.from, iso.to, s));
  const series = useLoad(`ts:${key}:${step}`, (s) => api.timeseries(iso.from, iso.to, step, s));
  return (
    <main className="page" data-testid="dashboard" data-from={iso.from} data-to={iso.to}>
      <WindowBar key={key} win={win} single={single} first={first} latest={latest} />
      {report.state === 'loading' && <Loading />}
      {report.state === 'error' && <ErrorMessage error={report.error} retry={report.reload} />}
      {report.state === 'done' && (
        <>
          {report.data.packets === 0 && <Message kind="info">{t('emptyWindow')}</Message>}
          <ReportView
            r={report.data}
            step={step}
            points={series.state === 'done' ? fillBuckets(win, step, series.data.points) : undefined}
            seriesError={series.state === 'error' ? series.error : undefined}
            retrySeries={series.reload}
            multiDay={win.from !== win.to}
          />
        </>
      )}
    </main>
  );
}
