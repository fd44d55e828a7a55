// Every request from the explorer webview is checked before the host acts on it: known fields, right
// types, finite numbers, bounded sizes. A webview is a web page; whatever it sends is untrusted until
// its schema (explorerSchemas.ts, lectureSchemas.ts, mapSchemas.ts, timelineSchemas.ts) says otherwise. Each validator
// throws a bad-input EngineError naming the field, which the channel logs and sends back as the reply
// (see RpcChannel.handle). The request types are inferred from the same schemas (requestParams.ts).

import type { Validator } from '../rpc';
import type { ExplorerRequests } from '../webviewApi';
import { validator, type SessionLimits } from './checks';
import { coreSchemas } from './explorerSchemas';
import { lectureSchemas } from './lectureSchemas';
import { mapSchemas } from './mapSchemas';
import { timelineSchemas } from './timelineSchemas';

export type { SessionLimits } from './checks';

export type ExplorerValidators = { [M in keyof ExplorerRequests]: Validator<ExplorerRequests[M]['params']> };

export function explorerSchemas(limits: () => SessionLimits) {
  return { ...coreSchemas(limits), ...lectureSchemas(limits), ...mapSchemas(limits), ...timelineSchemas() };
}

export function explorerValidators(limits: () => SessionLimits): ExplorerValidators {
  const schemas = explorerSchemas(limits);
  return Object.fromEntries(Object.entries(schemas).map(([method, schema]) => [method, validator(schema)])) as ExplorerValidators;
}
