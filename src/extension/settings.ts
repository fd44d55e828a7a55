// The `latentExplorer.*` settings, read when needed (never cached at start-up) and clamped to sane
// values, since a hand-edited settings.json can hold anything.

import * as vscode from 'vscode';
import { SETTINGS, type SettingSpec } from '../shared/defaults';
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
  const backend = config.get<string>('backend', SETTINGS.backend.default);
  return {
    backend: backend === 'auto' || (BACKEND_ORDER as readonly string[]).includes(backend) ? (backend as BackendPreference) : SETTINGS.backend.default,
    batchSize: int(config.get('batchSize'), SETTINGS.batchSize),
    learningRate: num(config.get('learningRate'), SETTINGS.learningRate),
    runFolder: runFolder(config.get('runFolder')),
    pointsCap: int(config.get('pointsCap'), SETTINGS.pointsCap),
    umap: {
      nNeighbors: int(config.get('umap.nNeighbors'), SETTINGS['umap.nNeighbors']),
      minDist: num(config.get('umap.minDist'), SETTINGS['umap.minDist']),
    },
    seed: int(config.get('seed'), SETTINGS.seed),
    plotTheme: (['auto', 'light', 'dark', 'high-contrast'] as const).find((t) => t === config.get('plotTheme')) ?? SETTINGS.plotTheme.default,
    nativeBackendPath: typeof config.get('nativeBackendPath') === 'string' ? (config.get('nativeBackendPath') as string) : '',
    gpuAdapter: typeof config.get('gpuAdapter') === 'string' ? (config.get('gpuAdapter') as string).trim() : SETTINGS.gpuAdapter.default,
  };
}

export function explorerSettings(settings: Settings = readSettings()): ExplorerSettings {
  return { pointsCap: settings.pointsCap, umap: { ...settings.umap, seed: settings.seed }, plotTheme: settings.plotTheme };
}

/** True when a configuration change touches `latentExplorer.<key>` (or any of ours without a key). */
export function affects(event: vscode.ConfigurationChangeEvent, key?: string): boolean {
  return event.affectsConfiguration(key ? `${SECTION}.${key}` : SECTION);
}

/** The value when it is a number within the setting's bounds, else its default. */
function num(value: unknown, spec: SettingSpec & { default: number }): number {
  const inRange =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    value >= (spec.minimum ?? -Infinity) &&
    value > (spec.exclusiveMinimum ?? -Infinity) &&
    value <= (spec.maximum ?? Infinity);
  return inRange ? value : spec.default;
}

function int(value: unknown, spec: SettingSpec & { default: number }): number {
  return Number.isInteger(value) ? num(value, spec) : spec.default;
}

/** A relative folder inside the workspace: no absolute paths, no `..`. */
function runFolder(value: unknown): string {
  if (typeof value !== 'string') return SETTINGS.runFolder.default;
  const parts = value.split(/[\\/]+/).filter((p) => p !== '' && p !== '.');
  if (parts.length === 0 || parts.includes('..') || /^[A-Za-z]:/.test(value) || value.startsWith('/')) return SETTINGS.runFolder.default;
  return parts.join('/');
}
