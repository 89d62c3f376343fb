import { useI18n } from '../i18n/index.js';
import { Link } from '../router.js';

/** The page numbers to offer: the first, the last, and two either side of the current one; null: a gap. */
export function pageWindow(current: number, count: number): (number | null)[] {
  const out: (number | null)[] = [];
  for (let p = 1; p <= count; p++) {
    if (p === 1 || p === count || Math.abs(p - current) <= 2) out.push(p);
    else if (out[out.length - 1] !== null) out.push(null);
  }
  return out;
}

/**
 * "1–50 of N" and the pages of a list read by offset (search hits, cases); `to` makes a page's address. `maxOffset`:
 * the deepest offset the API serves (deeper pages are left out, an export reads everything).
 */
export function Pager({ total, offset, shown, page, to, tookMs, bottom, maxOffset = 100_000, testId = 'pager' }: {
  total: number; offset: number; shown: number; page: number; to: (offset: number) => string; tookMs?: number; bottom?: boolean; maxOffset?: number; testId?: string;
}) {
  const { t, num } = useI18n();
  if (total === 0) return null;
  const current = Math.floor(offset / page) + 1;
  const count = Math.max(1, Math.min(Math.ceil(total / page), Math.floor(maxOffset / page) + 1));
  const last = Math.min(offset + shown, total);
  const suffix = bottom ? '-bottom' : '';
  return (
    <nav className="pager" aria-label={t('pages')} data-testid={`${testId}${suffix}`}>
      <span className="muted small" data-testid={`showing${suffix}`} data-from={offset + 1} data-to={last} data-total={total}>
        {t('showing', { from: num(offset + 1), to: num(last), total: num(total) })}{tookMs !== undefined && ` · ${num(tookMs, 1)} ms`}
      </span>
      {count > 1 && (
        <span className="pages">
          {current > 1 ? <Link to={to((current - 2) * page)} testId={`page-prev${suffix}`}>{t('previousPage')}</Link> : <span className="muted">{t('previousPage')}</span>}
          {pageWindow(current, count).map((p, i) => p === null
            ? <span key={`gap${i}`} className="muted">…</span>
            : p === current
              ? <strong key={p} aria-current="page" data-testid={`page-current${suffix}`}>{num(p)}</strong>
              : <Link key={p} to={to((p - 1) * page)} testId={`page-${p}${suffix}`}>{num(p)}</Link>)}
          {current < count ? <Link to={to(current * page)} testId={`page-next${suffix}`}>{t('nextPage')}</Link> : <span className="muted">{t('nextPage')}</span>}
        </span>
      )}
    </nav>
  );
}
