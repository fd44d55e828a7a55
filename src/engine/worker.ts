// The engine's child-process entry: serves src/engine/handlers.ts over Node IPC.
// Started by EngineProcess (src/engine/engineProcess.ts); exits when the host disconnects.

import { RpcChannel, type Transport } from '../shared/rpc';
import type { EngineServerChannel } from './engineChannel';
import { serveEngine } from './handlers';

if (!process.send) {
  console.error('The engine worker runs as a child process of Latent Explorer; use `latent-explorer` (the CLI) from a shell.');
  process.exit(2);
}

const transport: Transport = {
  send: (message) => {
    process.send?.(message);
  },
  onMessage: (listener) => {
    process.on('message', listener);
    return () => process.off('message', listener);
  },
};

const channel: EngineServerChannel = new RpcChannel(transport, (message) => console.error(message));
const nativeModuleDirs = parseDirs(process.env.LATENT_EXPLORER_NATIVE_DIRS);
// The extension's latentExplorer.gpuAdapter setting, passed like the CLI's --gpu-adapter.
const gpuAdapter = process.env.LATENT_EXPLORER_GPU_ADAPTER || undefined;
const server = serveEngine(channel, { nativeModuleDirs, ...(gpuAdapter ? { gpuAdapter } : {}) });

process.on('disconnect', () => {
  server.dispose();
  process.exit(0);
});

function parseDirs(value: string | undefined): string[] {
  try {
    const parsed: unknown = JSON.parse(value ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((d): d is string => typeof d === 'string') : [];
  } catch {
    return [];
  }
}
