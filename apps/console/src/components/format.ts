/** Display helpers: dates, durations and roles as people read them. */
export const date = (iso: string | null | undefined) =>
  iso
    ? new Date(iso).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' })
    : '—';
export const dateTime = (iso: string | null | undefined) =>
  iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '—';

export function duration(iso: string | null | undefined): string {
  if (!iso) return 'no expiry';
  const m = /^P(?:(\d+)W)?(?:(\d+)D)?$/.exec(iso);
  if (!m) return iso;
  const days = Number(m[1] ?? 0) * 7 + Number(m[2] ?? 0);
  return `${days} day${days === 1 ? '' : 's'}`;
}

export const roleName = (role: string) =>
  role === 'full' ? 'Full administration' : role === 'limited' ? 'Limited administration' : 'None';

export function includesText(includes: {
  trial?: { productId: string };
  purchase?: { productId: string; quantity: number };
}) {
  if (includes.trial) return `Trial of ${includes.trial.productId}`;
  if (includes.purchase) return `Purchase of ${includes.purchase.quantity} × ${includes.purchase.productId}`;
  return 'Delegated administration only';
}
