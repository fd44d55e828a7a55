// "Latent Explorer: Export Codes…": a checkpoint's codes as CSV (with PCA and UMAP maps and
// labels), as the Embedding Projector's TSV pair, or as a float32 .npy for numpy. The files are
// written by the engine where the workspace lives (also over Remote-SSH or in a container).

import * as vscode from 'vscode';
import type { ExportFormat } from '../shared/ecosystemApi';
import type { EngineClient } from './engineClient';
import type { Log } from './log';
import type { RunsTreeProvider } from './runsTree';
import { panelTitle } from './checkpointTitle';
import { resolveCheckpoint, whyNoCheckpoint } from './runIndex';
import { readSettings } from './settings';
import { requireTrust } from './workspaceTrust';

export const EXPORT_CODES_COMMAND = 'latentExplorer.exportCodes';

interface FormatItem extends vscode.QuickPickItem {
  format: ExportFormat;
}

const FORMATS: FormatItem[] = [
  { format: 'csv', label: 'CSV', description: 'codes.csv', detail: 'One row per sample: codes, PCA and UMAP coordinates, labels (spreadsheets, pandas)' },
  { format: 'projector', label: 'Embedding Projector', description: 'vectors.tsv + metadata.tsv', detail: 'Load both at projector.tensorflow.org (metadata has a header row of label names)' },
  { format: 'npy', label: 'NumPy', description: 'codes.npy', detail: 'float32 array of samples × latent, for numpy.load' },
];

export async function exportCodes(argument: vscode.Uri | { uri: vscode.Uri } | undefined, engine: EngineClient, runs: RunsTreeProvider, log: Log): Promise<void> {
  if (!(await requireTrust('Exporting codes'))) return;
  const target = argument instanceof vscode.Uri ? argument : argument?.uri ?? (await pickCheckpoint(runs));
  if (!target) return;
  const entry = await resolveCheckpoint(target);
  if (!entry) {
    void vscode.window.showErrorMessage(await whyNoCheckpoint(target));
    return;
  }
  const format = await vscode.window.showQuickPick(FORMATS, { title: `Export Codes of ${panelTitle(entry)}`, placeHolder: 'Format', ignoreFocusOut: true });
  if (!format) return;
  const exports = vscode.Uri.joinPath(entry.runUri, 'exports');
  const out =
    format.format === 'projector'
      ? vscode.Uri.joinPath(exports, `projector-epoch-${entry.file.epoch}`)
      : await vscode.window.showSaveDialog({
          title: 'Export codes to',
          defaultUri: vscode.Uri.joinPath(exports, `codes-epoch-${entry.file.epoch}.${format.format}`),
          filters: format.format === 'csv' ? { CSV: ['csv'] } : { NumPy: ['npy'] },
        });
  if (!out) return;
  const settings = readSettings(entry.uri);
  const controller = new AbortController();
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Exporting codes (${format.label})`, cancellable: true },
    (_progress, token) => {
      token.onCancellationRequested(() => controller.abort());
      return engine.request(
        'export/codes',
        { checkpoint: entry.uri.fsPath, format: format.format, out: out.fsPath, limit: settings.pointsCap, seed: settings.seed, projections: ['pca', 'umap'] },
        { signal: controller.signal, timeoutMs: 30 * 60_000 },
      );
    },
  );
  log.info(`Exported ${result.count} codes of ${result.latent} values: ${result.files.join(', ')}`);
  const reveal = 'Reveal in Explorer';
  const choice = await vscode.window.showInformationMessage(`Exported ${result.count} codes to ${result.files.map((f) => vscode.workspace.asRelativePath(f)).join(' and ')}.`, reveal);
  if (choice === reveal) await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(result.files[0]));
}

async function pickCheckpoint(runs: RunsTreeProvider): Promise<vscode.Uri | undefined> {
  const all = (await runs.allRuns()).flatMap((r) => r.entry.checkpoints);
  if (all.length === 0) {
    void vscode.window.showInformationMessage('There is no checkpoint in this workspace yet.');
    return undefined;
  }
  all.sort((a, b) => b.file.createdAt.localeCompare(a.file.createdAt));
  const picked = await vscode.window.showQuickPick(
    all.map((c) => ({ label: panelTitle(c), detail: vscode.workspace.asRelativePath(c.uri), uri: c.uri })),
    { title: 'Latent Explorer: Export Codes', placeHolder: 'Which checkpoint (latest first)' },
  );
  return picked?.uri;
}
