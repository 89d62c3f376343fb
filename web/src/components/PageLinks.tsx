import { useI18n } from '../i18n/index.js';
import { Link } from '../router.js';

/** "1–50 of N" and the links to the first, previous, next and last pages of a paged list. */
export function PageLinks({ offset, limit, total, shown, pathAt, testId }: {
  offset: number; limit: number; total: number; shown: number; pathAt: (offset: number) => string; testId: string;
}) {
  const { t, num } = useI18n();
  const lastStart = Math.max(0, Math.floor((total - 1) / limit) * limit);
  return (
    <div className="pager" data-testid={testId}>
      <span className="muted small" data-testid={`${testId}-showing`} data-from={shown ? offset + 1 : 0} data-to={offset + shown} data-total={total}>
        {shown ? t('showing', { from: num(offset + 1), to: num(offset + shown), total: num(total) }) : t('showingNone', { total: num(total) })}
      </span>
      {offset > 0 && <Link to={pathAt(0)} testId="page-first">{t('firstPage')}</Link>}
      {offset > 0 && <Link to={pathAt(Math.max(0, offset - limit))} testId="page-prev">{t('previousPage')}</Link>}
      {offset + shown < total && <Link to={pathAt(offset + limit)} testId="page-next">{t('nextPage')}</Link>}
      {offset + shown < total && offset < lastStart && <Link to={pathAt(lastStart)} testId="page-last">{t('lastPage')}</Link>}
    </div>
  );
}
