// Restricted Mode: a workspace nobody trusts may hold crafted model or data files, so Latent Explorer
// neither trains on workspace files nor loads models from them there. It still lists runs (reading
// JSON only) and trains on the built-in and downloaded datasets. See capabilities.untrustedWorkspaces.

import * as vscode from 'vscode';

export function isTrusted(): boolean {
  return vscode.workspace.isTrusted;
}

/**
 * True when the workspace is trusted; otherwise says why `action` needs trust and offers to manage
 * it. `action` completes "… needs a trusted workspace", e.g. "Opening a checkpoint".
 */
export async function requireTrust(action: string): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const manage = 'Manage Workspace Trust';
  const choice = await vscode.window.showWarningMessage(
    `${action} needs a trusted workspace: Latent Explorer does not load models or train on files from a workspace in Restricted Mode.`,
    manage,
  );
  if (choice === manage) await vscode.commands.executeCommand('workbench.trust.manage');
  return false;
}
