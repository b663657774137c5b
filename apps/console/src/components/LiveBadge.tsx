/** Whether the live health stream is connected. */
export function LiveBadge({ live }: { live: boolean }) {
  return (
    <span className={`live ${live ? 'on' : 'off'}`} role="status">
      <span aria-hidden="true">●</span> {live ? 'Live' : 'Reconnecting…'}
    </span>
  );
}
