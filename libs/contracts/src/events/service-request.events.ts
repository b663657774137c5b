export const SERVICE_REQUEST_SEVERITIES = ['critical', 'moderate', 'minimal'] as const;
export type ServiceRequestSeverity = (typeof SERVICE_REQUEST_SEVERITIES)[number];

export const SERVICE_REQUEST_STATUSES = ['open', 'attentionNeeded', 'closed'] as const;
export type ServiceRequestStatus = (typeof SERVICE_REQUEST_STATUSES)[number];

export const serviceRequestStreamId = (requestId: string): string => `service-request-${requestId}`;

export interface ServiceRequestContact {
  name: string;
  email: string;
  phone?: string;
}

export interface ServiceRequestCreated {
  requestId: string;
  partnerId: string;
  clientId: string;
  title: string;
  description: string;
  severity: ServiceRequestSeverity;
  contact: ServiceRequestContact;
  createdBy: string;
}
export interface ServiceRequestNoteAdded {
  requestId: string;
  text: string;
  author: string;
}
export interface ServiceRequestStatusChanged {
  requestId: string;
  from: ServiceRequestStatus;
  to: ServiceRequestStatus;
  note?: string;
  changedBy?: string;
}

export interface ServiceRequestEventMap {
  ServiceRequestCreated: ServiceRequestCreated;
  ServiceRequestNoteAdded: ServiceRequestNoteAdded;
  ServiceRequestStatusChanged: ServiceRequestStatusChanged;
}
