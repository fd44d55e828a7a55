// Serves the import and export requests (src/shared/ecosystemApi.ts) on the engine's channel.

import { resolveBackend, type BackendOptions } from '../backend';
import { exportCodes } from '../export/exportCodes';
import type { EngineServerChannel } from '../engineChannel';
import { importModel, inspectImport } from './importModel';

export function serveEcosystem(channel: EngineServerChannel, backendOptions: BackendOptions): void {
  channel.handle('import/inspect', async ({ model, decoder }) => {
    await resolveBackend('auto', backendOptions);
    return inspectImport(model, decoder);
  });
  channel.handle('import/model', async (params) => {
    await resolveBackend('auto', backendOptions);
    return importModel(params);
  });
  channel.handle('export/codes', async (params, { signal }) => {
    await resolveBackend('auto', backendOptions);
    return exportCodes(params, { signal });
  });
}
