/**
 * Previous / Next over a keyset-paged list: `cursors` is the trail of cursors that led to the current
 * page (empty on the first), `next` the API's `nextCursor`.
 */
export function Pager({
  cursors,
  next,
  onChange,
}: {
  cursors: string[];
  next: string | null | undefined;
  onChange: (cursors: string[]) => void;
}) {
  return (
    <nav aria-label="Pages" className="pager">
      <button type="button" disabled={!cursors.length} onClick={() => onChange(cursors.slice(0, -1))}>
        ← Previous
      </button>
      <button type="button" disabled={!next} onClick={() => next && onChange([...cursors, next])}>
        Next →
      </button>
    </nav>
  );
}
