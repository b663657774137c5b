import type {
  ServiceRequestContact,
  ServiceRequestEventMap,
  ServiceRequestSeverity,
  ServiceRequestStatus,
} from '@dap/contracts';
import { conflict, invalid, notFound, type Decider, type DomainEvent } from '@dap/eventsourcing';

export type ServiceRequestEvent = {
  [K in keyof ServiceRequestEventMap]: DomainEvent<K, ServiceRequestEventMap[K]>;
}[keyof ServiceRequestEventMap];

export interface CreateServiceRequest {
  type: 'CreateServiceRequest';
  requestId: string;
  partnerId: string;
  clientId: string;
  title: string;
  description: string;
  severity: ServiceRequestSeverity;
  contact: ServiceRequestContact;
  createdBy: string;
}
export interface AddServiceRequestNote {
  type: 'AddServiceRequestNote';
  requestId: string;
  text: string;
  author: string;
}
export interface ChangeServiceRequestStatus {
  type: 'ChangeServiceRequestStatus';
  requestId: string;
  to: ServiceRequestStatus;
  note?: string;
  changedBy: string;
}
export type ServiceRequestCommand = CreateServiceRequest | AddServiceRequestNote | ChangeServiceRequestStatus;

export interface ServiceRequestState {
  exists: boolean;
  partnerId?: string;
  clientId?: string;
  status?: ServiceRequestStatus;
}

/** Allowed status changes: open ⇄ attentionNeeded, either → closed, closed → open (reopen). */
export const STATUS_TRANSITIONS: Record<ServiceRequestStatus, readonly ServiceRequestStatus[]> = {
  open: ['attentionNeeded', 'closed'],
  attentionNeeded: ['open', 'closed'],
  closed: ['open'],
};

const length = (value: string, field: string, min: number, max: number) => {
  if (value.trim().length < min || value.length > max)
    throw invalid(`${field} must be ${min}..${max} characters`, field);
};

function create(command: CreateServiceRequest, state: ServiceRequestState): ServiceRequestEvent[] {
  if (state.exists) throw conflict('service request already exists', 'already-exists');
  length(command.title, 'title', 1, 200);
  length(command.description, 'description', 1, 10000);
  const { type: _type, ...data } = command;
  return [{ type: 'ServiceRequestCreated', data }];
}

function addNote(command: AddServiceRequestNote, state: ServiceRequestState): ServiceRequestEvent[] {
  if (!state.exists) throw notFound('service request');
  length(command.text, 'text', 1, 10000);
  if (state.status === 'closed')
    throw conflict('a closed service request takes no notes; reopen it first', 'closed');
  return [
    {
      type: 'ServiceRequestNoteAdded',
      data: { requestId: command.requestId, text: command.text, author: command.author },
    },
  ];
}

function changeStatus(
  command: ChangeServiceRequestStatus,
  state: ServiceRequestState,
): ServiceRequestEvent[] {
  if (!state.exists || !state.status) throw notFound('service request');
  const from = state.status;
  // Asking for the status it already has changes nothing.
  if (command.to === from) return [];
  if (!STATUS_TRANSITIONS[from].includes(command.to)) {
    throw conflict(`a service request cannot go from ${from} to ${command.to}`, 'invalid-transition');
  }
  if (command.note !== undefined) length(command.note, 'note', 1, 10000);
  const { requestId, to, note, changedBy } = command;
  return [
    {
      type: 'ServiceRequestStatusChanged',
      data: { requestId, from, to, ...(note !== undefined && { note }), changedBy },
    },
  ];
}

export const serviceRequestDecider: Decider<ServiceRequestCommand, ServiceRequestEvent, ServiceRequestState> =
  {
    initialState: () => ({ exists: false }),
    decide(command, state) {
      switch (command.type) {
        case 'CreateServiceRequest':
          return create(command, state);
        case 'AddServiceRequestNote':
          return addNote(command, state);
        case 'ChangeServiceRequestStatus':
          return changeStatus(command, state);
      }
    },
    evolve(state, event) {
      switch (event.type) {
        case 'ServiceRequestCreated':
          return {
            exists: true,
            partnerId: event.data.partnerId,
            clientId: event.data.clientId,
            status: 'open',
          };
        case 'ServiceRequestStatusChanged':
          return { ...state, status: event.data.to };
        default:
          return state;
      }
    },
  };
