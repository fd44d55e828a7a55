// "Latent Explorer: Backend Doctor": what the machine where the workspace runs has for a GPU
// (driver, CUDA and cuDNN libraries, native packages), which backend the engine chose and why a
// faster one is not in use, and what to do. Shown as a Markdown preview of a report file kept in
// the global storage (so closing it never asks to save).

import * as vscode from 'vscode';
import { diagnose } from '../engine/doctor/diagnosis';
import { gatherFindings } from '../engine/doctor/findings';
import { renderDoctorMarkdown } from '../engine/doctor/renderDoctor';
import { systemProbes } from '../engine/doctor/systemProbes';
import { nativeModuleDirs } from './backendInstall';
import type { EngineClient } from './engineClient';
import type { Log } from './log';
import { readSettings } from './settings';

export const DOCTOR_COMMAND = 'latentExplorer.backendDoctor';
export const DOCTOR_REPORT_FILE = 'backend-doctor.md';

export async function runDoctor(context: vscode.ExtensionContext, engine: EngineClient, log: Log): Promise<vscode.Uri> {
  const storage = context.globalStorageUri.fsPath;
  const dirs = nativeModuleDirs(readSettings().nativeBackendPath, storage);
  const [findings, backend] = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Latent Explorer: checking the GPU set-up' },
    () =>
      Promise.all([
        gatherFindings(systemProbes(dirs)),
        engine.resolveBackend().catch((error: unknown) => {
          log.error('The doctor could not get the engine\'s backend', error);
          return undefined;
        }),
      ]),
  );
  const report = diagnose(findings, backend);
  log.info(`Backend doctor: ${report.verdict}`);
  // Through the storage URI, not a path: its scheme is the extension host's, local or remote.
  const file = vscode.Uri.joinPath(context.globalStorageUri, DOCTOR_REPORT_FILE);
  await vscode.workspace.fs.createDirectory(context.globalStorageUri);
  await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(renderDoctorMarkdown(report)));
  try {
    await vscode.commands.executeCommand('markdown.showPreview', file);
  } catch {
    // the built-in Markdown extension is disabled: show the text
    await vscode.window.showTextDocument(file);
  }
  return file;
}
