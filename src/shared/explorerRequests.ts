// The explorer's requests in one table: for each request the page sends, the engine request the host
// relays it to (none: the host answers it itself), how long the host lets it run, and whether the
// host adds the workspace's sibling runs. The host's relays (explorerHost.ts: the panel and the
// browser tests' stand-in hosts) and the page's own timeouts (src/webview/api.ts) are made from it.
// The validators are keyed by the same names in validation/explorerValidation.ts, kept apart so the
// page's bundle does not carry them. Types only from the protocol; no `vscode`, no DOM.

import type { EngineRequests } from './engineApi';
import type { ExplorerRequests } from './webviewApi';

type PageMethod = keyof ExplorerRequests;
type PageParams<M extends PageMethod> = ExplorerRequests[M]['params'];

/** Engine requests a page request can be relayed to: its params plus the session (and siblings) fit, and its result is the page's. */
type EngineFor<M extends PageMethod, Added> = {
  [E in keyof EngineRequests]: PageParams<M> & { sessionId: string } & Added extends EngineRequests[E]['params']
    ? EngineRequests[E]['result'] extends ExplorerRequests[M]['result']
      ? E
      : never
    : never;
}[keyof EngineRequests];

export type RequestSpec<M extends PageMethod> = {
  /** How long the host lets this request run (the engine request's timeout, for a relay). */
  readonly timeoutMs: number;
} & (
  | { readonly engine?: undefined }
  | { readonly engine: EngineFor<M, unknown>; readonly siblings?: false }
  | { readonly engine: EngineFor<M, { siblings: string[] }>; readonly siblings: true }
);

const MINUTE = 60_000;
/** Most requests: a decode, a few reconstructions, a neighbour search. */
const REQUEST_TIMEOUT_MS = 2 * MINUTE;
/** Loading checkpoints (another one, or sibling runs) and fitting PCA take longer than a decode. */
const LOADING_TIMEOUT_MS = 5 * MINUTE;
/** Opening a checkpoint: every sample of the session encoded (explorer/ready, explorer/seek). */
const OPENING_TIMEOUT_MS = 15 * MINUTE;
/** The host waits for the user (a save dialog, the export command's questions). */
const USER_TIMEOUT_MS = 30 * MINUTE;

export const EXPLORER_REQUESTS = {
  // Opening a checkpoint loads the model and encodes the samples: 70,000 of them through a conv AE take
  // minutes on two CPU cores (the page shows the count as it goes, explorer/opening).
  'explorer/ready': { timeoutMs: OPENING_TIMEOUT_MS },
  // The session's per-sample arrays, a chunk at a time, as the page asks for them.
  'explorer/chunk': { engine: 'explore/chunk', timeoutMs: REQUEST_TIMEOUT_MS },
  'explorer/project': { engine: 'explore/project', timeoutMs: 10 * MINUTE },
  'explorer/reconstructions': { engine: 'explore/reconstructions', timeoutMs: REQUEST_TIMEOUT_MS },
  'explorer/decodeGrid': { engine: 'explore/decodeGrid', timeoutMs: REQUEST_TIMEOUT_MS },
  'explorer/decode': { engine: 'explore/decode', timeoutMs: REQUEST_TIMEOUT_MS },
  'explorer/samples': { engine: 'explore/samples', timeoutMs: REQUEST_TIMEOUT_MS },
  // The map (mapApi.ts).
  'explorer/neighbours': { engine: 'explore/neighbours', timeoutMs: REQUEST_TIMEOUT_MS },
  'explorer/decodeAt': { engine: 'explore/decodeAt', timeoutMs: REQUEST_TIMEOUT_MS },
  'explorer/reconstructSamples': { engine: 'explore/reconstructSamples', timeoutMs: REQUEST_TIMEOUT_MS },
  'explorer/trust': { engine: 'explore/trust', timeoutMs: REQUEST_TIMEOUT_MS },
  'explorer/checkpoints': { timeoutMs: REQUEST_TIMEOUT_MS },
  // Relayed only for a checkpoint the host listed (see src/extension/mapHandlers.ts).
  'explorer/compare': { engine: 'explore/compare', timeoutMs: LOADING_TIMEOUT_MS },
  'explorer/saveImage': { timeoutMs: USER_TIMEOUT_MS },
  'explorer/exportCodes': { timeoutMs: USER_TIMEOUT_MS },
  'explorer/follow': { timeoutMs: REQUEST_TIMEOUT_MS },
  // The timeline (timelineApi.ts): answered by the host, which moves the panel to another checkpoint
  // of its run and opens it, as `explorer/ready` does.
  'explorer/seek': { timeoutMs: OPENING_TIMEOUT_MS },
  'explorer/showCurves': { timeoutMs: REQUEST_TIMEOUT_MS },
  // The lecture views (lectureApi.ts).
  'explorer/interpolate': { engine: 'explore/interpolate', timeoutMs: REQUEST_TIMEOUT_MS },
  'explorer/attributeVector': { engine: 'explore/attributeVector', timeoutMs: REQUEST_TIMEOUT_MS },
  'explorer/average': { engine: 'explore/average', timeoutMs: REQUEST_TIMEOUT_MS },
  'explorer/denoise': { engine: 'explore/denoise', timeoutMs: REQUEST_TIMEOUT_MS },
  'explorer/prior': { engine: 'explore/prior', timeoutMs: REQUEST_TIMEOUT_MS },
  'explorer/vaeSummary': { engine: 'explore/vaeSummary', siblings: true, timeoutMs: LOADING_TIMEOUT_MS },
  'explorer/aeVsPca': { engine: 'explore/aeVsPca', siblings: true, timeoutMs: LOADING_TIMEOUT_MS },
} as const satisfies { readonly [M in PageMethod]: RequestSpec<M> };

/** The page requests the host relays to the engine's session. */
export type RelayedMethod = {
  [M in PageMethod]: (typeof EXPLORER_REQUESTS)[M] extends { engine: keyof EngineRequests } ? M : never;
}[PageMethod];

/** The page waits this much longer than the host, so the host's own timeout (a clearer error) answers first. */
export const PAGE_GRACE_MS = MINUTE;

export function pageTimeoutMs(method: PageMethod): number {
  return EXPLORER_REQUESTS[method].timeoutMs + PAGE_GRACE_MS;
}
