// "Latent Explorer: Import Model…": a TF.js Layers model.json from the workspace (a Keras model
// converted with tensorflowjs) becomes a run of our own. The engine finds the bottleneck; when two
// layers are equally narrow, or the file is an encoder without its decoder, the person chooses.

import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import type { BottleneckCandidate, ImportInspection } from '../shared/ecosystemApi';
import type { DatasetSpec } from '../shared/protocol';
import type { EngineClient } from './engineClient';
import type { Log } from './log';
import { readSettings } from './settings';
import { requireTrust } from './workspaceTrust';

export const IMPORT_MODEL_COMMAND = 'latentExplorer.importModel';

const TITLE = 'Latent Explorer: Import Model';

interface DataItem extends vscode.QuickPickItem {
  source?: string;
  /** Sample size of the built-in and downloaded sets at their default size. */
  size?: number;
}

const DATA: DataItem[] = [
  { source: 'mnist', size: 784, label: 'MNIST', description: '28×28 handwritten digits (downloaded once)' },
  { source: 'fashion-mnist', size: 784, label: 'Fashion-MNIST', description: '28×28 clothing (downloaded once)' },
  { source: 'shapes', size: 784, label: 'Shapes', description: '28×28 built in' },
  { source: 'faces', size: 1024, label: 'Faces', description: '32×32 built in' },
  { label: 'A folder or file from the workspace…', description: 'images, IDX, .csv or .npy' },
];

export async function importModel(
  argument: vscode.Uri | undefined,
  engine: EngineClient,
  log: Log,
  after: { refreshRuns(): void; openExplorer(checkpoint: vscode.Uri): Promise<void> },
): Promise<void> {
  if (!(await requireTrust('Importing a model'))) return;
  const model = argument ?? (await pickModelJson('Import a TF.js Layers model (model.json)'));
  if (!model) return;
  const folder = vscode.workspace.getWorkspaceFolder(model) ?? vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    void vscode.window.showWarningMessage('Latent Explorer writes the imported run into a workspace folder: open a folder first.');
    return;
  }
  let decoder = await siblingDecoder(model);
  let inspection = await inspect(engine, model, decoder);
  let bottleneck: string | undefined;
  if (inspection.kind === 'autoencoder') {
    if (inspection.candidates.length === 0) {
      const pick = 'Choose Its Decoder…';
      const choice = await vscode.window.showInformationMessage(
        `${basename(model.fsPath)} has no layer narrower than its input to split at. Is it an encoder with a separate decoder?`,
        pick,
      );
      if (choice !== pick) return;
      decoder = await pickModelJson('The decoder (model.json) that goes with this encoder');
      if (!decoder) return;
      inspection = await inspect(engine, model, decoder);
    } else {
      bottleneck = inspection.suggested ?? (await pickBottleneck(inspection.candidates));
      if (!bottleneck) return;
    }
  }
  const dataset = await pickDataset(inspection, folder);
  if (!dataset) return;
  const runFolder = readSettings(folder.uri).runFolder;
  const name = await uniqueName(folder, runFolder, `imported-${basename(dirname(model.fsPath)) || 'model'}`);
  const runDir = vscode.Uri.joinPath(folder.uri, runFolder, name);
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Importing ${basename(model.fsPath)}` }, () =>
    engine.request(
      'import/model',
      { model: model.fsPath, ...(decoder ? { decoder: decoder.fsPath } : {}), ...(bottleneck ? { bottleneck } : {}), dataset, runDir: runDir.fsPath },
      { timeoutMs: 30 * 60_000 },
    ),
  );
  log.info(`Imported ${model.fsPath}${decoder ? ` + ${decoder.fsPath}` : ''} into ${result.runDir} (code ${result.latent}, reconstruction MSE ${result.reconstructionMse})`);
  after.refreshRuns();
  const open = 'Open Explorer';
  const choice = await vscode.window.showInformationMessage(
    `Imported as ${vscode.workspace.asRelativePath(runDir)}: a code of ${result.latent}${result.bottleneck ? ` (cut after ${result.bottleneck})` : ''}, reconstruction MSE ${result.reconstructionMse.toFixed(4)}.`,
    open,
  );
  if (choice === open) await after.openExplorer(vscode.Uri.file(result.checkpointDir));
}

function inspect(engine: EngineClient, model: vscode.Uri, decoder: vscode.Uri | undefined): Thenable<ImportInspection> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Reading ${basename(model.fsPath)}` }, () =>
    engine.request('import/inspect', { model: model.fsPath, ...(decoder ? { decoder: decoder.fsPath } : {}) }),
  );
}

async function pickModelJson(title: string): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({ title, canSelectMany: false, filters: { 'TF.js Layers model': ['json'] }, openLabel: 'Import' });
  return picked?.[0];
}

/** `…/encoder/model.json` beside `…/decoder/model.json` (or encoder.json beside decoder.json): offer the pair. */
async function siblingDecoder(model: vscode.Uri): Promise<vscode.Uri | undefined> {
  const path = model.path;
  if (!/encoder/i.test(path)) return undefined;
  const candidate = model.with({ path: path.replace(/encoder(?!.*encoder)/i, (m) => (m === 'ENCODER' ? 'DECODER' : m[0] === 'E' ? 'Decoder' : 'decoder')) });
  try {
    await vscode.workspace.fs.stat(candidate);
  } catch {
    return undefined;
  }
  const yes = 'Import as a Pair';
  const choice = await vscode.window.showInformationMessage(
    `Import ${vscode.workspace.asRelativePath(model)} as the encoder and ${vscode.workspace.asRelativePath(candidate)} as its decoder?`,
    yes,
    'Only This File',
  );
  return choice === yes ? candidate : undefined;
}

async function pickBottleneck(candidates: BottleneckCandidate[]): Promise<string | undefined> {
  const narrowest = candidates[0].size;
  const picked = await vscode.window.showQuickPick(
    candidates.map((c) => ({
      label: c.layer,
      description: `${c.className} · ${c.shape.join('×')}${c.size === narrowest ? ' · narrowest' : ''}`,
      detail: `The encoder ends with this layer; the code has ${c.size} values.`,
    })),
    { title: `${TITLE}: bottleneck`, placeHolder: 'Several layers are equally narrow: which one ends the encoder?', ignoreFocusOut: true },
  );
  return picked?.label;
}

async function pickDataset(inspection: ImportInspection, folder: vscode.WorkspaceFolder): Promise<DatasetSpec | undefined> {
  const size = inspection.inputShape.reduce((a, b) => a * b, 1);
  const items = DATA.map((d) => (d.size === size ? { ...d, description: `${d.description} · fits this model` } : d));
  items.sort((a, b) => Number(b.size === size) - Number(a.size === size));
  const picked = await vscode.window.showQuickPick(items, {
    title: `${TITLE}: data`,
    placeHolder: `Which data does the model take? (${inspection.inputShape.join('×')} per sample)`,
    ignoreFocusOut: true,
  });
  if (!picked) return undefined;
  if (picked.source) return { source: picked.source, limit: 10_000 };
  const file = await vscode.window.showOpenDialog({ title: 'The data the model takes', defaultUri: folder.uri, canSelectFiles: true, canSelectFolders: true, canSelectMany: false });
  return file?.[0] ? { source: file[0].fsPath } : undefined;
}

/** `imported-foo`, or `imported-foo-2`… when that folder exists. */
async function uniqueName(folder: vscode.WorkspaceFolder, runFolder: string, base: string): Promise<string> {
  const clean = base.replace(/[^A-Za-z0-9_-]+/g, '-');
  for (let i = 1; ; i++) {
    const name = i === 1 ? clean : `${clean}-${i}`;
    try {
      await vscode.workspace.fs.stat(vscode.Uri.joinPath(folder.uri, runFolder, name));
    } catch {
      return name;
    }
  }
}
