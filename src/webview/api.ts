// The page's side of the explorer channel: typed requests with timeouts suited to each kind, and
// every failure shown in the status line (cancellations excepted: they are not failures).

import type { WebviewNotifications, ExplorerNotifications, ExplorerRequests } from '../shared/webviewApi';
import { EngineError } from '../shared/errors';
import type { RpcChannel } from '../shared/rpc';
import type { StatusLine } from './views/statusLine';

export type ExplorerChannel = RpcChannel<ExplorerRequests, Record<string, never>, WebviewNotifications, ExplorerNotifications>;

const TIMEOUTS: { [M in keyof ExplorerRequests]: number } = {
  // Opening a checkpoint loads the model and encodes the samples: minutes on a slow backend.
  'explorer/ready': 6 * 60_000,
  // The host allows UMAP ten minutes; give its own timeout the chance to answer first.
  'explorer/project': 11 * 60_000,
  'explorer/reconstructions': 3 * 60_000,
  'explorer/decodeGrid': 3 * 60_000,
  'explorer/decode': 3 * 60_000,
  'explorer/samples': 60_000,
  // The map (src/shared/mapApi.ts).
  'explorer/neighbours': 60_000,
  'explorer/decodeAt': 60_000,
  'explorer/reconstructSamples': 60_000,
  'explorer/trust': 3 * 60_000,
  'explorer/checkpoints': 60_000,
  'explorer/compare': 6 * 60_000,
  // The host waits for the user to pick where to save.
  'explorer/saveImage': 30 * 60_000,
  'explorer/exportCodes': 30 * 60_000,
  'explorer/follow': 60_000,
  // The lecture views (src/shared/lectureApi.ts). AE vs PCA loads sibling checkpoints and fits PCA.
  'explorer/interpolate': 60_000,
  'explorer/attributeVector': 60_000,
  'explorer/average': 60_000,
  'explorer/denoise': 60_000,
  'explorer/prior': 60_000,
  'explorer/vaeSummary': 60_000,
  'explorer/aeVsPca': 5 * 60_000,
};

const WHAT: { [M in keyof ExplorerRequests]: string } = {
  'explorer/ready': 'Opening the checkpoint',
  'explorer/project': 'Computing UMAP',
  'explorer/reconstructions': 'Loading reconstructions',
  'explorer/decodeGrid': 'Decoding the grid',
  'explorer/decode': 'Decoding',
  'explorer/samples': 'Loading a sample',
  'explorer/neighbours': 'Finding neighbours',
  'explorer/decodeAt': 'Decoding under the cursor',
  'explorer/reconstructSamples': 'Reconstructing the sample',
  'explorer/trust': 'Measuring trustworthiness',
  'explorer/checkpoints': 'Listing checkpoints',
  'explorer/compare': 'Comparing checkpoints',
  'explorer/saveImage': 'Saving the image',
  'explorer/exportCodes': 'Exporting codes',
  'explorer/follow': 'Following the run',
  'explorer/interpolate': 'Interpolating',
  'explorer/attributeVector': 'Computing the attribute vector',
  'explorer/average': 'Averaging the samples',
  'explorer/denoise': 'Denoising',
  'explorer/prior': 'Sampling from the prior',
  'explorer/vaeSummary': 'Summarizing the VAE',
  'explorer/aeVsPca': 'Comparing with PCA',
};

export function isCancellation(error: unknown): boolean {
  return EngineError.is(error, 'cancelled');
}

export class ExplorerApi {
  constructor(
    readonly channel: ExplorerChannel,
    private readonly status: StatusLine,
  ) {}

  /** Sends a request; a failure is shown in the status line and rethrown for the caller's own state. */
  async request<M extends keyof ExplorerRequests & string>(
    method: M,
    params: ExplorerRequests[M]['params'],
    signal?: AbortSignal,
  ): Promise<ExplorerRequests[M]['result']> {
    try {
      return await this.channel.request(method, params, { signal, timeoutMs: TIMEOUTS[method] });
    } catch (error) {
      if (!isCancellation(error) && !signal?.aborted) {
        this.status.show('error', `${WHAT[method]} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      throw error;
    }
  }

  onNotification<N extends keyof ExplorerNotifications & string>(method: N, listener: (params: ExplorerNotifications[N]) => void): () => void {
    return this.channel.onNotification(method, listener);
  }
}

/** Swallows the rejection a caller has nothing more to do about (the status line already shows it). */
export function settled(promise: Promise<unknown>): void {
  promise.catch(() => undefined);
}
