/**
 * pglive/client — the isomorphic live client (browser and Node).
 *
 *   const client = new LiveClient({ url: 'wss://host/live', token });
 *   const films = client.subscribe('films', 'select=id,title&order=title&limit=50');
 *   films.on('change', () => render(films.rows, films.total));
 */
export { LiveClient, LiveClientError, FATAL_CLOSE_CODES } from './client.js';
export type { LiveClientEvents, LiveClientOptions, WebSocketCtor, WebSocketLike } from './client.js';
export { LiveQuery } from './query.js';
export type { ChangeEvent, LiveQueryEvents, QueryError, QueryStatus, SubscribeOptions } from './query.js';
export { backoffDelay, canTransition, TRANSITIONS } from './state.js';
export type { CloseInfo, ConnectionState, ConnectionStatus, ReconnectOptions } from './state.js';
export { applyPatch, PatchError } from '../protocol/patch.js';
export type { PatchOp, Row } from '../protocol/live.js';
