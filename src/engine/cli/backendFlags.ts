// --backend and --gpu-adapter, the same on every command that runs a model.

import { BACKEND_ORDER, type BackendPreference } from '../../shared/protocol';
import type { BackendOptions } from '../backend';
import { oneOf, stringFlag, type FlagSpec } from './args';

export const BACKEND_FLAGS: FlagSpec = { backend: { type: 'string' }, 'gpu-adapter': { type: 'string' } };

export const BACKEND_USAGE = `[--backend auto|${BACKEND_ORDER.join('|')}] [--gpu-adapter high-performance|low-power|<name>]`;

export const BACKEND_HELP = `  --backend auto|${BACKEND_ORDER.join('|')}   default auto (fastest that runs)
  --gpu-adapter <which>   the WebGPU adapter: high-performance (default), low-power, or part of its name`;

export function backendPreference(values: Record<string, string | boolean | undefined>): BackendPreference {
  return oneOf(values, 'backend', ['auto', ...BACKEND_ORDER] as const, 'auto') as BackendPreference;
}

/** The flag, else $LATENT_EXPLORER_GPU_ADAPTER (what the extension's setting sets for its engine). */
export function backendOptionsFrom(values: Record<string, string | boolean | undefined>, options: BackendOptions = {}): BackendOptions {
  const gpuAdapter = stringFlag(values, 'gpu-adapter') ?? process.env.LATENT_EXPLORER_GPU_ADAPTER;
  return { ...options, ...(gpuAdapter ? { gpuAdapter } : {}) };
}
