import { ApiError } from '../api/client';

/** Explains a refused or failed call with the API's own words: title, detail, reason, bad fields. */
export function ProblemView({ error }: { error: unknown }) {
  if (!error) return null;
  if (!(error instanceof ApiError))
    return (
      <div role="alert" className="problem">
        {String((error as Error).message ?? error)}
      </div>
    );
  const p = error.problem;
  return (
    <div role="alert" className="problem">
      <strong>
        {p.status ? `${p.status} ` : ''}
        {p.title ?? 'Error'}
      </strong>
      {p.detail && <span>: {p.detail}</span>}
      {p.reason && (
        <span>
          {' '}
          (reason: <code className="reason">{p.reason}</code>)
        </span>
      )}
      {p.errors && p.errors.length > 0 && (
        <ul>
          {p.errors.map((e, i) => (
            <li key={i}>
              <code>{e.path}</code> {e.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
