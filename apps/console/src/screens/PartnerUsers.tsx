import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import type { Page, PartnerUser } from '../api/types';
import { ProblemView } from '../components/ProblemView';
import { dateTime, roleName } from '../components/format';
import { useAsync } from '../components/useAsync';
import { Pager } from '../components/Pager';

const ROLES = ['full', 'limited', 'none'] as const;

/** Partner users and their delegated role (Full / Limited / none), capped per delegation by the client. */
export function PartnerUsers() {
  const [cursor, setCursor] = useState<string[]>([]);
  const list = useAsync(
    () => api.get<Page<PartnerUser>>('/partner-users', { limit: 50, cursor: cursor[cursor.length - 1] }),
    [cursor.join()],
  );
  const [userId, setUserId] = useState('');
  const [role, setRole] = useState<(typeof ROLES)[number]>('limited');
  const [error, setError] = useState<unknown>(null);
  const [note, setNote] = useState('');

  async function assign(user: string, next: string) {
    try {
      await api.put(`/partner-users/${encodeURIComponent(user)}/delegated-role`, { role: next });
      setError(null);
      setNote(`${user}: ${roleName(next)}.`);
      await list.reload();
    } catch (e) {
      setError(e);
    }
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void assign(userId.trim(), role);
  };

  return (
    <main id="main" aria-labelledby="users-title">
      <h1 id="users-title">Partner users and delegated roles</h1>
      <p className="lead">
        Full administration has the client's global administrator privileges; Limited administration those of
        a password administrator. No role works on a client until that client has granted delegation.
      </p>
      <form onSubmit={submit} className="card row" aria-label="Assign a delegated role">
        <label>
          User
          <input
            value={userId}
            onChange={(e) => setUserId(e.target.value)}
            required
            placeholder="user@partner.example"
            name="userId"
          />
        </label>
        <label>
          Delegated role
          <select
            value={role}
            onChange={(e) => setRole(e.target.value as typeof role)}
            name="role"
            aria-label="Delegated role"
          >
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {roleName(r)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="primary">
          Assign
        </button>
      </form>
      {note && <p role="status">{note}</p>}
      <ProblemView error={error ?? list.error} />
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">Partner users</caption>
          <thead>
            <tr>
              <th scope="col">User</th>
              <th scope="col">Delegated role</th>
              <th scope="col">Since</th>
              <th scope="col">Changed by</th>
            </tr>
          </thead>
          <tbody>
            {list.data?.items.map((u) => (
              <tr key={u.userId}>
                <th scope="row">{u.userId}</th>
                <td>
                  <select
                    aria-label={`Delegated role of ${u.userId}`}
                    value={u.role}
                    onChange={(e) => void assign(u.userId, e.target.value)}
                  >
                    {ROLES.map((r) => (
                      <option key={r} value={r}>
                        {roleName(r)}
                      </option>
                    ))}
                  </select>
                </td>
                <td>{dateTime(u.since)}</td>
                <td>{u.changedBy}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager cursors={cursor} next={list.data?.nextCursor} onChange={setCursor} />
    </main>
  );
}
