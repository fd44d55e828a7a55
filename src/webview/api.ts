// The page's side of the explorer channel: typed requests, each waiting a little longer than the host
// lets it run (src/shared/explorerRequests.ts), and every failure shown in the status line
// (cancellations excepted: they are not failures).

import type { WebviewNotifications, ExplorerNotifications, ExplorerRequests } from '../shared/webviewApi';
import { EngineError } from '../shared/errors';
import { pageTimeoutMs } from '../shared/explorerRequests';
import type { RpcChannel } from '../shared/rpc';
import type { StatusLine } from './views/statusLine';

/** The page's end of the explorer channel (the host's is HostChannel in src/shared/explorerHost.ts). */
export type PageChannel = RpcChannel<ExplorerRequests, Record<string, never>, WebviewNotifications, ExplorerNotifications>;

const WHAT: { [M in keyof ExplorerRequests]: string } = {
  'explorer/ready': 'Opening the checkpoint',
  'explorer/chunk': 'Receiving the samples',
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
  'explorer/showCurves': 'Opening the training curves',
  'explorer/interpolate': 'Interpolating',
  'explorer/attributeVector': 'Computing the attribute vector',
  'explorer/average': 'Averaging the samples',
  'explorer/denoise': 'Denoising',
  'explorer/prior': 'Sampling from the prior',
  'explorer/vaeSummary': 'Summarizing the VAE',
  'explorer/aeVsPca': 'Comparing with PCA',
  'explorer/seek': 'Opening that epoch',
};

export function isCancellation(error: unknown): boolean {
  return EngineError.is(error, 'cancelled');
}

export class ExplorerApi {
  constructor(
    readonly channel: PageChannel,
    private readonly status: StatusLine,
  ) {}

  /** Sends a request; a failure is shown in the status line and rethrown for the caller's own state. */
  async request<M extends keyof ExplorerRequests & string>(
    method: M,
    params: ExplorerRequests[M]['params'],
    signal?: AbortSignal,
  ): Promise<ExplorerRequests[M]['result']> {
    try {
      return await this.channel.request(method, params, { signal, timeoutMs: pageTimeoutMs(method) });
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
