/** Response shapes of the public /api/v1 API that the console reads (SPEC §5). */
export type DelegatedRole = 'full' | 'limited';
export type HealthState = 'incident' | 'advisory' | 'healthy';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
  total?: number;
}

export interface Address {
  line1: string;
  line2?: string;
  city: string;
  region?: string;
  postalCode: string;
  country: string;
}

export interface Includes {
  trial?: { productId: string };
  purchase?: { productId: string; quantity: number };
}

export interface ClientRow {
  clientId: string;
  name: string;
  primaryDomain: string;
  delegation: {
    id: string;
    status: string;
    grantedRoles: DelegatedRole[];
    grantedAt: string;
    expiresAt: string | null;
  };
  health: { status: HealthState; activeIncidents: number; activeAdvisories: number };
  openServiceRequests: number;
  tags: string[];
}

export interface HealthIssue {
  issueId: string;
  clientId: string;
  service: string;
  feature?: string | null;
  classification: 'incident' | 'advisory';
  title: string;
  impactDescription: string;
  status: string;
  isResolved?: boolean;
  startDateTime: string;
  endDateTime?: string | null;
  lastMessage?: string | null;
  lastModifiedDateTime?: string;
}

export interface ServiceRequest {
  id: string;
  partnerId: string;
  clientId: string;
  title: string;
  description: string;
  severity: 'critical' | 'moderate' | 'minimal';
  contact: { name: string; email: string; phone?: string };
  status: 'open' | 'attentionNeeded' | 'closed';
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  version: number;
  activity?: {
    kind: 'note' | 'status';
    text?: string;
    from?: string;
    to?: string;
    author: string;
    at: string;
  }[];
}

/** A service request as a client's details embed it: its 50 most recent open ones. */
export interface OpenServiceRequest {
  requestId: string;
  title: string;
  severity: ServiceRequest['severity'];
  status: ServiceRequest['status'];
  createdAt: string;
  updatedAt: string;
}

export interface ClientDetails extends ClientRow {
  address: Address;
  subscriptions: {
    subscriptionId: string;
    productId: string;
    name: string;
    quantity: number;
    status: string;
  }[];
  adminCenters: { name: string; url: string }[];
  healthIssues: HealthIssue[];
  serviceRequests: OpenServiceRequest[];
  version: number;
}

export interface Offer {
  id: string;
  partnerId: string;
  status: string;
  acceptUrl: string;
  includes: Includes;
  grantedRoles: DelegatedRole[];
  delegationDuration: string | null;
  autoExtend: boolean;
  expiresAt: string | null;
  message: string | null;
  counts: { sends: number; recipients: number; acceptances: number };
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
  version: number;
}

export interface Delegation {
  delegationId: string;
  status: 'active' | 'revoked' | 'expired';
  partnerId: string;
  clientId: string;
  offerId: string;
  grantedRoles: DelegatedRole[];
  grantedAt: string;
  expiresAt: string | null;
  autoExtend: boolean;
  client: { name: string; primaryDomain: string; address: Address };
  includes: Includes;
  version: number;
}

export interface PartnerUser {
  userId: string;
  role: DelegatedRole | 'none';
  since: string;
  changedBy: string;
}

export interface OfferTerms {
  offerId: string;
  partner: { id: string; name?: string };
  grantedRoles: DelegatedRole[];
  delegationDuration: string | null;
  autoExtend: boolean;
  expiresAt: string | null;
  includes: Includes;
  message?: string | null;
}

export interface AccessEvent {
  position: number;
  id: string;
  type: string;
  time: string;
  actor: { id: string; tenantId?: string; roles?: string[] };
  partnerId: string;
  clientId: string | null;
  userId: string | null;
  data: Record<string, unknown>;
  hash: string;
}

export interface AccessSnapshot {
  clientId: string;
  at: string;
  entries: {
    partnerId: string;
    delegationId: string;
    userId: string;
    effectiveRole: string;
    since: string;
  }[];
}

export interface HealthOverviewRow {
  service: string;
  activeIncidents: number;
  activeAdvisories: number;
  affectedClients: number;
}

/** RFC 9457 problem details, as every error of the API comes. */
export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  reason?: string;
  errors?: { path: string; message: string }[];
}
