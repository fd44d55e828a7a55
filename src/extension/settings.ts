// The `latentExplorer.*` settings, read when needed (never cached at start-up) and clamped to sane
// values, since a hand-edited settings.json can hold anything.

import * as vscode from 'vscode';
import { BACKEND_ORDER, type BackendPreference } from '../shared/protocol';
import type { ExplorerSettings } from '../shared/webviewApi';

export const SECTION = 'latentExplorer';

export interface Settings {
  backend: BackendPreference;
  batchSize: number;
  learningRate: number;
  /** Folder for new runs, relative to the workspace folder. */
  runFolder: string;
  pointsCap: number;
  umap: { nNeighbors: number; minDist: number };
  seed: number;
  plotTheme: 'auto' | 'light' | 'dark' | 'high-contrast';
  /** An existing installation of @tensorflow/tfjs-node(-gpu) the engine may load ('' for none). */
  nativeBackendPath: string;
  /** The WebGPU adapter to use: 'high-performance', 'low-power', part of its name, or '' to let the engine choose. */
  gpuAdapter: string;
}

export function readSettings(scope?: vscode.ConfigurationScope): Settings {
  const config = vscode.workspace.getConfiguration(SECTION, scope);
  const backend = config.get<string>('backend', 'auto');
  return {
    backend: backend === 'auto' || (BACKEND_ORDER as readonly string[]).includes(backend) ? (backend as BackendPreference) : 'auto',
    batchSize: int(config.get('batchSize'), 128, 1, 65_536),
    learningRate: num(config.get('learningRate'), 0.001, 1e-7, 10),
    runFolder: runFolder(config.get('runFolder')),
    pointsCap: int(config.get('pointsCap'), 5000, 10, 100_000),
    umap: {
      nNeighbors: int(config.get('umap.nNeighbors'), 15, 2, 200),
      minDist: num(config.get('umap.minDist'), 0.1, 0, 1),
    },
    seed: int(config.get('seed'), 1, 0, 2 ** 31 - 1),
    plotTheme: (['auto', 'light', 'dark', 'high-contrast'] as const).find((t) => t === config.get('plotTheme')) ?? 'auto',
    nativeBackendPath: typeof config.get('nativeBackendPath') === 'string' ? (config.get('nativeBackendPath') as string) : '',
    gpuAdapter: typeof config.get('gpuAdapter') === 'string' ? (config.get('gpuAdapter') as string).trim() : '',
  };
}

export function explorerSettings(settings: Settings = readSettings()): ExplorerSettings {
  return { pointsCap: settings.pointsCap, umap: { ...settings.umap, seed: settings.seed }, plotTheme: settings.plotTheme };
}

/** True when a configuration change touches `latentExplorer.<key>` (or any of ours without a key). */
export function affects(event: vscode.ConfigurationChangeEvent, key?: string): boolean {
  return event.affectsConfiguration(key ? `${SECTION}.${key}` : SECTION);
}

function int(value: unknown, fallback: number, min: number, max: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? value : fallback;
}

function num(value: unknown, fallback: number, min: number, max: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max ? value : fallback;
}

/** A relative folder inside the workspace: no absolute paths, no `..`. */
function runFolder(value: unknown): string {
  if (typeof value !== 'string') return 'latent-runs';
  const parts = value.split(/[\\/]+/).filter((p) => p !== '' && p !== '.');
  if (parts.length === 0 || parts.includes('..') || /^[A-Za-z]:/.test(value) || value.startsWith('/')) return 'latent-runs';
  return parts.join('/');
}
