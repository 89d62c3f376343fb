import type { ReactNode } from 'react';

export function Panel({ title, children, wide, testId }: { title: string; children: ReactNode; wide?: boolean; testId?: string }) {
  return (
    <section className={wide ? 'panel wide' : 'panel'} data-testid={testId}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

export function Stat({ label, value, raw, testId, hint }: { label: string; value: string; raw: number | string; testId: string; hint?: string }) {
  return (
    <div className="stat" title={hint}>
      <div className="stat-label">{label}</div>
      <div className="stat-value" data-testid={testId} data-value={String(raw)}>{value}</div>
    </div>
  );
}

export function Message({ kind, children }: { kind: 'info' | 'error'; children: ReactNode }) {
  return <div className={`message ${kind}`} role={kind === 'error' ? 'alert' : 'status'}>{children}</div>;
}
