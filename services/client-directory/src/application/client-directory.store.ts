/** The client-directory service's own event store (store, schema and token name `client-directory`). */
export const CLIENT_DIRECTORY_STORE = Symbol('ClientDirectoryStore');
export const ADMIN_CENTERS = Symbol('AdminCenterTemplates');
