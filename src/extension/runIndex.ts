// Finds runs in the workspace and reads what the tree shows from their JSON files, without the
// engine (so the tree needs no process, and works in Restricted Mode). It parses them with the
// engine's own parser (src/shared/runFiles.ts) and applies the engine's rule: a checkpoint counts
// only when complete, never a `.tmp-*` folder being written. A checkpoint whose files do not have the
// sizes its checkpoint.json records is listed apart, as damaged. Sizes only: hashing every
// checkpoint of every run on each refresh would read gigabytes; the engine checks hashes on load.

import * as vscode from 'vscode';
import { CHECKPOINT_FILE, CHECKPOINTS_DIR, RUN_FILE, type CheckpointFile, type RunFile } from '../shared/protocol';
import { fileSizeProblem, MAX_CHECKPOINT_JSON_BYTES, MAX_RUN_JSON_BYTES, parseCheckpointFile, parseJsonBytes, parseRunFile } from '../shared/runFiles';

export interface RunEntry {
  uri: vscode.Uri;
  run: RunFile;
  /** Complete checkpoints, oldest first. */
  checkpoints: CheckpointEntry[];
  /** Checkpoint folders whose files are missing, cut or of another size, or whose checkpoint.json is invalid. */
  damaged: DamagedCheckpoint[];
}

export interface DamagedCheckpoint {
  uri: vscode.Uri;
  /** From checkpoint.json, when that file itself reads. */
  epoch: number | undefined;
  /** What is wrong, e.g. "encoder/weights.bin is 100 bytes but checkpoint.json records 70,400". */
  damage: string;
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

/** A run folder's run.json and checkpoints, or undefined when it is not a run. */
export async function readRun(uri: vscode.Uri): Promise<RunEntry | undefined> {
  const run = await readJson(vscode.Uri.joinPath(uri, RUN_FILE), MAX_RUN_JSON_BYTES, parseRunFile).catch(() => undefined);
  if (!run) return undefined;
  return { uri, run, ...(await readCheckpoints(uri, run.name)) };
}

/** The checkpoint folder itself, or a run folder meaning its latest checkpoint; undefined when that is missing or damaged. */
export async function resolveCheckpoint(uri: vscode.Uri): Promise<CheckpointEntry | undefined> {
  const direct = await readCheckpoint(uri);
  if (direct) return 'damage' in direct ? undefined : direct;
  const run = await readRun(uri);
  const latest = run?.checkpoints.at(-1);
  if (!run || !latest) return undefined;
  // As the engine does: "latest" never quietly means an epoch older than a damaged latest one.
  return run.damaged.some((d) => (d.epoch ?? 0) > latest.file.epoch) ? undefined : latest;
}

/**
 * A run's complete checkpoint of `epoch`, or the nearest one written (the earlier of two as near):
 * what "open the explorer at epoch N" opens, since a run need not keep every epoch.
 */
export async function checkpointNearEpoch(runUri: vscode.Uri, epoch: number): Promise<CheckpointEntry | undefined> {
  const run = await readRun(runUri);
  let best: CheckpointEntry | undefined;
  for (const entry of run?.checkpoints ?? []) {
    if (!best || Math.abs(entry.file.epoch - epoch) < Math.abs(best.file.epoch - epoch)) best = entry;
  }
  return best;
}

/** Why `resolveCheckpoint(uri)` found nothing to open, as a sentence for an error message. */
export async function whyNoCheckpoint(uri: vscode.Uri): Promise<string> {
  const where = vscode.workspace.asRelativePath(uri);
  const direct = await readCheckpoint(uri);
  if (direct && 'damage' in direct) return `The checkpoint ${where} is damaged: ${direct.damage}.`;
  const damaged = (await readRun(uri))?.damaged.at(-1);
  if (damaged) return `The latest checkpoint of ${where} (${vscode.workspace.asRelativePath(damaged.uri)}) is damaged: ${damaged.damage}.`;
  return `${where} holds no complete checkpoint.`;
}

async function readCheckpoints(runUri: vscode.Uri, runName: string): Promise<Pick<RunEntry, 'checkpoints' | 'damaged'>> {
  let entries: [string, vscode.FileType][];
  try {
    entries = await vscode.workspace.fs.readDirectory(vscode.Uri.joinPath(runUri, CHECKPOINTS_DIR));
  } catch {
    return { checkpoints: [], damaged: [] }; // no checkpoint yet
  }
  const dirs = entries.filter(([name, type]) => type === vscode.FileType.Directory && !name.startsWith('.'));
  const read = await Promise.all(dirs.map(([name]) => readCheckpoint(vscode.Uri.joinPath(runUri, CHECKPOINTS_DIR, name), runUri, runName)));
  const checkpoints: CheckpointEntry[] = [];
  const damaged: DamagedCheckpoint[] = [];
  for (const entry of read) {
    if (entry && 'damage' in entry) damaged.push(entry);
    else if (entry) checkpoints.push(entry);
  }
  return {
    checkpoints: checkpoints.sort((a, b) => a.file.epoch - b.file.epoch),
    damaged: damaged.sort((a, b) => (a.epoch ?? 0) - (b.epoch ?? 0)),
  };
}

/** A complete checkpoint, a damaged one, or undefined for a folder without checkpoint.json. */
async function readCheckpoint(uri: vscode.Uri, runUri?: vscode.Uri, runName?: string): Promise<CheckpointEntry | DamagedCheckpoint | undefined> {
  const jsonUri = vscode.Uri.joinPath(uri, CHECKPOINT_FILE);
  if (!(await isFile(jsonUri))) return undefined;
  let file: CheckpointFile;
  try {
    file = await readJson(jsonUri, MAX_CHECKPOINT_JSON_BYTES, parseCheckpointFile);
  } catch (error) {
    return { uri, epoch: undefined, damage: error instanceof Error ? error.message : String(error) };
  }
  const damage = await sizeDamage(uri, file);
  if (damage) return { uri, epoch: file.epoch, damage };
  const parent = runUri ?? vscode.Uri.joinPath(uri, '..', '..');
  let name = runName;
  if (name === undefined) {
    const run = await readJson(vscode.Uri.joinPath(parent, RUN_FILE), MAX_RUN_JSON_BYTES, parseRunFile).catch(() => undefined);
    name = run?.name ?? parent.path.split('/').pop() ?? 'run';
  }
  return { uri, runUri: parent, runName: name, file };
}

/** The first listed file that is missing or not of its recorded size (hashes are the engine's to check). */
async function sizeDamage(uri: vscode.Uri, file: CheckpointFile): Promise<string | undefined> {
  const entries = Object.entries(file.files);
  const sizes = await Promise.all(
    entries.map(([name]) =>
      vscode.workspace.fs.stat(vscode.Uri.joinPath(uri, name)).then(
        (stat) => (stat.type & vscode.FileType.File ? stat.size : undefined),
        () => undefined,
      ),
    ),
  );
  for (const [i, [name, entry]] of entries.entries()) {
    const problem = fileSizeProblem(name, entry.bytes, sizes[i]);
    if (problem) return problem;
  }
  return undefined;
}

/** A JSON file checked by `parse`; refused unread when larger than `maxBytes`. */
async function readJson<T>(uri: vscode.Uri, maxBytes: number, parse: (value: unknown, path: string) => T): Promise<T> {
  const { size } = await vscode.workspace.fs.stat(uri);
  if (size > maxBytes) throw new Error(`${uri.fsPath} is ${size.toLocaleString('en')} bytes, more than such a file can be`);
  return parse(parseJsonBytes(await vscode.workspace.fs.readFile(uri), uri.fsPath), uri.fsPath);
}

async function isFile(uri: vscode.Uri): Promise<boolean> {
  return vscode.workspace.fs.stat(uri).then(
    (stat) => (stat.type & vscode.FileType.File) !== 0,
    () => false,
  );
}
