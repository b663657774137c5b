/** The service-request service's own event store (store name `service-request`). */
export const SERVICE_REQUEST_STORE = Symbol('ServiceRequestStore');
export const SERVICE_REQUEST_SERVICE = 'service-request';
