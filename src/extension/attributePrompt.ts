// The attribute table of an image folder, offered when training on one: a CSV, TSV or CelebA's
// list_attr_celeba.txt in the folder or beside it (CelebA keeps list_attr_celeba.txt next to
// img_align_celeba/). The likeliest table comes first, so Enter accepts it; no table found, no question.

import * as vscode from 'vscode';

interface TableItem extends vscode.QuickPickItem {
  /** The table's path; null for no table; undefined for "Another file…". */
  path?: string | null;
}

const TABLE_FILE = /\.(csv|tsv)$|^list_attr.*\.txt$/i;

/** The table path, null for none, or undefined when the person pressed Escape. */
export async function askAttributeTable(folder: vscode.Uri): Promise<string | null | undefined> {
  const found = [...(await tablesIn(folder, 'in the folder')), ...(await tablesIn(vscode.Uri.joinPath(folder, '..'), 'next to the folder'))];
  if (found.length === 0) return null;
  // Names that say "attr" first (list_attr_celeba.txt, attributes.csv), the folder's own before its neighbours'.
  found.sort((a, b) => Number(/attr/i.test(b.label)) - Number(/attr/i.test(a.label)));
  const items: TableItem[] = [
    ...found,
    { label: 'No attribute table', detail: 'the subfolders are the only labels', path: null },
    { label: '$(folder-opened) Another file…', detail: 'a CSV or TSV with a filename column, or list_attr_celeba.txt' },
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Latent Explorer: Train Autoencoder — attribute table',
    placeHolder: `Labels for the images from a table (Enter: ${found[0].label})`,
    ignoreFocusOut: true,
  });
  if (!picked) return undefined;
  if (picked.path !== undefined) return picked.path;
  const chosen = await vscode.window.showOpenDialog({
    title: 'Attribute table for the images',
    defaultUri: folder,
    canSelectFiles: true,
    canSelectFolders: false,
    canSelectMany: false,
    filters: { 'Attribute tables': ['csv', 'tsv', 'txt'] },
    openLabel: 'Use This Table',
  });
  return chosen?.[0] ? chosen[0].fsPath : undefined;
}

async function tablesIn(dir: vscode.Uri, where: string): Promise<TableItem[]> {
  let entries: [string, vscode.FileType][];
  try {
    entries = await vscode.workspace.fs.readDirectory(dir);
  } catch {
    return []; // an unreadable neighbour folder simply offers nothing
  }
  return entries
    .filter(([name, type]) => type & vscode.FileType.File && TABLE_FILE.test(name))
    .map(([name]) => name)
    .sort()
    .map((name) => ({ label: name, description: where, detail: 'each column becomes a label, joined to the images by file name', path: vscode.Uri.joinPath(dir, name).fsPath }));
}
