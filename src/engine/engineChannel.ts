// The engine's end of its channel to the host, named once for the request handlers that share it
// (handlers.ts and the handler groups it delegates to), so none of them imports another for a type.

import type { EngineNotifications, EngineRequests, HostNotifications } from '../shared/engineApi';
import type { RpcChannel } from '../shared/rpc';

export type EngineServerChannel = RpcChannel<Record<string, never>, EngineRequests, EngineNotifications, HostNotifications>;
