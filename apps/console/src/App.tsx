import { useSyncExternalStore, type ReactNode } from 'react';
import {
  getSession,
  isClientAdmin,
  isPartner,
  isPartnerAdmin,
  setSession,
  subscribeSession,
  type Session,
} from './api/session';
import { Link } from './components/Link';
import { match, useLocation } from './router';
import { useSelected } from './selection';
import { Accept } from './screens/Accept';
import { Audit } from './screens/Audit';
import { ClientHealth } from './screens/ClientHealth';
import { ClientList } from './screens/ClientList';
import { Delegations } from './screens/Delegations';
import { HealthOverview } from './screens/HealthOverview';
import { Offers } from './screens/Offers';
import { PartnerUsers } from './screens/PartnerUsers';
import { ServiceRequestDetail } from './screens/ServiceRequestDetail';
import { ServiceRequests } from './screens/ServiceRequests';
import { SignIn } from './screens/SignIn';

const useSession = () => useSyncExternalStore(subscribeSession, getSession);

/** Which screen a path shows. */
function screenFor(path: string, query: URLSearchParams, session: Session): ReactNode {
  let m: Record<string, string> | null;
  if ((m = match('/accept/:offerId', path)))
    return <Accept offerId={m.offerId} code={query.get('code') ?? ''} />;
  if (isClientAdmin(session) && !isPartner(session)) return <Delegations />;
  if (path === '/' || path === '/clients') return <ClientList />;
  if ((m = match('/clients/:id/health', path))) return <ClientHealth clientId={m.id} />;
  if ((m = match('/clients/:id/service-requests', path))) return <ServiceRequests clientId={m.id} />;
  if ((m = match('/clients/:id', path))) return <ClientList selectedId={m.id} />;
  if (path === '/service-health') return <HealthOverview />;
  if (path === '/service-requests') return <ServiceRequests />;
  if ((m = match('/service-requests/:id', path))) return <ServiceRequestDetail id={m.id} />;
  if (path === '/offers') return <Offers />;
  if (path === '/partner-users') return <PartnerUsers />;
  if (path === '/delegations') return <Delegations />;
  if (path === '/audit') return <Audit />;
  return (
    <main id="main">
      <h1>Page not found</h1>
      <p>
        <Link href="/">Go to the client list</Link>
      </p>
    </main>
  );
}

export function App() {
  const session = useSession();
  const { path, query } = useLocation();
  const accepting = path.startsWith('/accept/');
  if (!session)
    return (
      <Shell session={null}>
        {accepting ? screenFor(path, query, { token: '', sub: '', tid: '', roles: [] }) : <SignIn />}
      </Shell>
    );
  return (
    <Shell session={session}>
      <div className={accepting || !isPartner(session) ? 'layout single' : 'layout'}>
        {!accepting && isPartner(session) && <LeftPane path={path} session={session} />}
        {screenFor(path, query, session)}
      </div>
    </Shell>
  );
}

function Shell({ session, children }: { session: Session | null; children: ReactNode }) {
  return (
    <>
      <a href="#main" className="skip">
        Skip to content
      </a>
      <header className="top">
        <Link href="/" className="brand">
          Delegated administration
        </Link>
        {session && (
          <div className="who">
            <span>
              {session.sub}{' '}
              <span className="hint">
                ({session.tid} · {session.roles.join(', ')})
              </span>
            </span>
            <button type="button" onClick={() => setSession(null)}>
              Sign out
            </button>
          </div>
        )}
      </header>
      {children}
    </>
  );
}

/** The left pane: features, those of the selected client working in its context. */
function LeftPane({ path, session }: { path: string; session: Session }) {
  const selected = useSelected();
  const item = (href: string, label: string) => (
    <li>
      <Link href={href} aria-current={path === href.split('?')[0] ? 'page' : undefined}>
        {label}
      </Link>
    </li>
  );
  const client = selected && `/clients/${encodeURIComponent(selected.clientId)}`;
  return (
    <nav className="left" aria-label="Features">
      <ul>
        {item('/clients', 'Client management')}
        {item('/service-health', 'Health overview')}
      </ul>
      {selected && client && (
        <>
          <h2 className="nav-head">{selected.name}</h2>
          <ul>
            {item(client, 'Details')}
            {item(`${client}/health`, 'Service health')}
            {item(`${client}/service-requests`, 'Service requests')}
          </ul>
        </>
      )}
      <h2 className="nav-head">Delegated administration</h2>
      <ul>
        {isPartnerAdmin(session) && item('/offers', 'Offers')}
        {isPartnerAdmin(session) && item('/partner-users', 'Partner users')}
        {item('/delegations', 'Delegations')}
        {item('/service-requests', 'All service requests')}
        {isPartnerAdmin(session) && item('/audit', 'Audit trail')}
      </ul>
    </nav>
  );
}
