// Finds runs in the workspace and reads what the tree shows from their JSON files, without the
// engine (so the tree needs no process, and works in Restricted Mode). Same rule as the engine's
// checkpoint store: a checkpoint counts only when complete, never a `.tmp-*` folder being written.

import * as vscode from 'vscode';
import { CHECKPOINT_FILE, CHECKPOINTS_DIR, RUN_FILE, type CheckpointFile, type RunFile } from '../shared/protocol';

export interface RunEntry {
  uri: vscode.Uri;
  run: RunFile;
  /** Complete checkpoints, oldest first. */
  checkpoints: CheckpointEntry[];
}

export interface CheckpointEntry {
  uri: vscode.Uri;
  runUri: vscode.Uri;
  runName: string;
  file: CheckpointFile;
}

const MAX_RUNS = 2000;

/** Every run folder (a folder holding a run.json) in the workspace, most recently updated first. */
export async function findRuns(token?: vscode.CancellationToken): Promise<RunEntry[]> {
  const files = await vscode.workspace.findFiles(`**/${RUN_FILE}`, '**/node_modules/**', MAX_RUNS, token);
  const runs = await Promise.all(files.map((file) => readRun(vscode.Uri.joinPath(file, '..'))));
  return runs
    .filter((r): r is RunEntry => r !== undefined)
    .sort((a, b) => b.run.updatedAt.localeCompare(a.run.updatedAt) || a.run.name.localeCompare(b.run.name));
}

/** A run folder's run.json and complete checkpoints, or undefined when it is not a run. */
export async function readRun(uri: vscode.Uri): Promise<RunEntry | undefined> {
  const run = await readJson(vscode.Uri.joinPath(uri, RUN_FILE));
  if (!isRunFile(run)) return undefined;
  return { uri, run, checkpoints: await readCheckpoints(uri, run.name) };
}

/** The checkpoint folder itself, or a run folder meaning its latest checkpoint. */
export async function resolveCheckpoint(uri: vscode.Uri): Promise<CheckpointEntry | undefined> {
  const direct = await readCheckpoint(uri);
  if (direct) return direct;
  return (await readRun(uri))?.checkpoints.at(-1);
}

async function readCheckpoints(runUri: vscode.Uri, runName: string): Promise<CheckpointEntry[]> {
  let entries: [string, vscode.FileType][];
  try {
    entries = await vscode.workspace.fs.readDirectory(vscode.Uri.joinPath(runUri, CHECKPOINTS_DIR));
  } catch {
    return []; // no checkpoint yet
  }
  const dirs = entries.filter(([name, type]) => type === vscode.FileType.Directory && !name.startsWith('.'));
  const read = await Promise.all(dirs.map(([name]) => readCheckpoint(vscode.Uri.joinPath(runUri, CHECKPOINTS_DIR, name), runUri, runName)));
  return read.filter((c): c is CheckpointEntry => c !== undefined).sort((a, b) => a.file.epoch - b.file.epoch);
}

async function readCheckpoint(uri: vscode.Uri, runUri?: vscode.Uri, runName?: string): Promise<CheckpointEntry | undefined> {
  const file = await readJson(vscode.Uri.joinPath(uri, CHECKPOINT_FILE));
  if (!isCheckpointFile(file) || !(await filesComplete(uri, file))) return undefined;
  const parent = runUri ?? vscode.Uri.joinPath(uri, '..', '..');
  let name = runName;
  if (name === undefined) {
    const run = await readJson(vscode.Uri.joinPath(parent, RUN_FILE));
    name = isRunFile(run) ? run.name : parent.path.split('/').pop() ?? 'run';
  }
  return { uri, runUri: parent, runName: name, file };
}

/** Every file the manifest lists exists with its recorded size (hashes are the engine's to check). */
async function filesComplete(uri: vscode.Uri, file: CheckpointFile): Promise<boolean> {
  try {
    const stats = await Promise.all(Object.keys(file.files).map((name) => vscode.workspace.fs.stat(vscode.Uri.joinPath(uri, name))));
    return Object.values(file.files).every((entry, i) => stats[i].size === entry.bytes);
  } catch {
    return false;
  }
}

async function readJson(uri: vscode.Uri): Promise<unknown> {
  try {
    return JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri))) as unknown;
  } catch {
    return undefined;
  }
}

function isRunFile(value: unknown): value is RunFile {
  const v = value as Partial<RunFile> | undefined;
  return (
    typeof v === 'object' &&
    v !== null &&
    v.format === 'latent-explorer-run' &&
    typeof v.name === 'string' &&
    typeof v.status === 'string' &&
    typeof v.updatedAt === 'string' &&
    Array.isArray(v.history)
  );
}

function isCheckpointFile(value: unknown): value is CheckpointFile {
  const v = value as Partial<CheckpointFile> | undefined;
  return (
    typeof v === 'object' &&
    v !== null &&
    v.format === 'latent-explorer-checkpoint' &&
    typeof v.epoch === 'number' &&
    typeof v.metrics === 'object' &&
    v.metrics !== null &&
    typeof v.files === 'object' &&
    v.files !== null
  );
}
