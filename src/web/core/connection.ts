/** What the connection indicator tells the user, from the live client's state. */
import type { ConnectionState } from '../../client/index.js';

export type Connection = 'live' | 'connecting' | 'reconnecting' | 'offline';

/** What the user is told: "live" only while the socket is authenticated and subscriptions flow. */
export function connectionOf(state: ConnectionState, online: boolean): Connection {
  if (!online) return 'offline';
  switch (state.status) {
    case 'open':
      return 'live';
    case 'connecting':
      return state.attempt === 0 ? 'connecting' : 'reconnecting';
    case 'reconnecting':
      return 'reconnecting';
    case 'closed':
      return 'offline';
  }
}
