import { useEffect, useState, type FormEvent } from 'react';
import { devSignIn } from '../api/client';
import { decodeToken, setSession } from '../api/session';
import { ProblemView } from '../components/ProblemView';

const PRESETS = {
  'partner.admin': { sub: 'admin@blueskycloudservices.example', tid: 'demo-partner-1' },
  'partner.agent': { sub: 'agent@blueskycloudservices.example', tid: 'demo-partner-1' },
  'client.admin': { sub: 'admin@contoso.partner.onmschina.cn', tid: 'contoso-tenant' },
} as const;
type DevRole = keyof typeof PRESETS;

/**
 * Sign-in: paste a bearer token (any deployment), or, on a standalone instance that runs on the
 * development secret, mint one for a chosen principal.
 */
export function SignIn({ preferRole, reason }: { preferRole?: DevRole; reason?: string }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [dev, setDev] = useState(false);
  const [role, setRole] = useState<DevRole>(preferRole ?? 'partner.admin');
  const [sub, setSub] = useState<string>(PRESETS[preferRole ?? 'partner.admin'].sub);
  const [tid, setTid] = useState<string>(PRESETS[preferRole ?? 'partner.admin'].tid);

  useEffect(() => {
    void devSignIn.available().then(setDev);
  }, []);

  function usePasted(event: FormEvent) {
    event.preventDefault();
    try {
      setSession(decodeToken(token));
    } catch (e) {
      setError(e);
    }
  }

  async function useDev(event: FormEvent) {
    event.preventDefault();
    try {
      setSession(decodeToken(await devSignIn.token(sub, tid, role)));
    } catch (e) {
      setError(e);
    }
  }

  function choose(next: DevRole) {
    setRole(next);
    setSub(PRESETS[next].sub);
    setTid(PRESETS[next].tid);
  }

  return (
    <main className="signin" id="main">
      <h1>Sign in</h1>
      {reason && <p className="lead">{reason}</p>}
      <ProblemView error={error} />
      {dev && (
        <form onSubmit={useDev} className="card" aria-labelledby="dev-title">
          <h2 id="dev-title">Development sign-in</h2>
          <p className="hint">
            This instance checks tokens with the built-in development secret, so it can mint one for anyone. A
            production instance has no such form.
          </p>
          <fieldset>
            <legend>Sign in as</legend>
            {(Object.keys(PRESETS) as DevRole[]).map((r) => (
              <label key={r} className="inline">
                <input type="radio" name="role" value={r} checked={role === r} onChange={() => choose(r)} />{' '}
                {r === 'partner.admin'
                  ? 'Partner admin'
                  : r === 'partner.agent'
                    ? 'Partner agent'
                    : 'Client admin'}
              </label>
            ))}
          </fieldset>
          <label>
            User (sub)
            <input value={sub} onChange={(e) => setSub(e.target.value)} required autoComplete="username" />
          </label>
          <label>
            Organization (tid)
            <input value={tid} onChange={(e) => setTid(e.target.value)} required />
          </label>
          <button type="submit" className="primary">
            Sign in
          </button>
        </form>
      )}
      <form onSubmit={usePasted} className="card" aria-labelledby="token-title">
        <h2 id="token-title">Bearer token</h2>
        <label>
          Paste a token issued for you
          <textarea
            value={token}
            onChange={(e) => setToken(e.target.value)}
            rows={4}
            required
            spellCheck={false}
            autoComplete="off"
          />
        </label>
        <p className="hint">Kept in this browser tab only (session storage), never put in a link.</p>
        <button type="submit">Use token</button>
      </form>
    </main>
  );
}
