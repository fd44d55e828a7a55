// The attribute table of an image folder, offered when training on one: a CSV or TSV with a file-name
// column, or CelebA's list_attr_celeba.txt, in the folder or beside it (CelebA keeps
// list_attr_celeba.txt next to img_align_celeba/). Only files whose first line reads as such a table
// are offered, the likeliest first, so Enter accepts it; no table found, no question.

import { open } from 'node:fs/promises';
import * as vscode from 'vscode';
import { ATTRIBUTE_KEY_COLUMNS } from '../shared/attributeTables';

interface AttributeChoice {
  attributes: string;
  /** The file-name column, when the table names it otherwise. */
  attributesKey?: string;
}

interface TableItem extends vscode.QuickPickItem {
  /** The table; null for no table; undefined for "Another file…". */
  choice?: AttributeChoice | null;
}

/** What a file's first line says: CelebA's count line, or a header's columns and its file-name column. */
type Sniffed = { celeba: true } | { celeba: false; columns: string[]; key?: string };

const CANDIDATE = /\.(csv|tsv|txt)$/i;
/** Enough of a file for its first line; a remote file is read whole only up to this size. */
const HEAD_BYTES = 64 * 1024;
const MAX_REMOTE_BYTES = 64 * 2 ** 20;

/** The table chosen, null for none, or undefined when the person pressed Escape. */
export async function askAttributeTable(folder: vscode.Uri): Promise<AttributeChoice | null | undefined> {
  const found = [...(await tablesIn(folder, 'in the folder')), ...(await tablesIn(vscode.Uri.joinPath(folder, '..'), 'next to the folder'))];
  if (found.length === 0) return null;
  // Names that say "attr" first (list_attr_celeba.txt, attributes.csv), the folder's own before its neighbours'.
  found.sort((a, b) => Number(/attr/i.test(b.label)) - Number(/attr/i.test(a.label)));
  const items: TableItem[] = [
    ...found,
    { label: 'No attribute table', detail: 'the subfolders are the only labels', choice: null },
    { label: '$(folder-opened) Another file…', detail: 'a CSV or TSV with a column of file names, or list_attr_celeba.txt' },
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Latent Explorer: Train Autoencoder — attribute table',
    placeHolder: `Labels for the images from a table (Enter: ${found[0].label})`,
    ignoreFocusOut: true,
  });
  if (!picked) return undefined;
  if (picked.choice !== undefined) return picked.choice;
  const chosen = await vscode.window.showOpenDialog({
    title: 'Attribute table for the images',
    defaultUri: folder,
    canSelectFiles: true,
    canSelectFolders: false,
    canSelectMany: false,
    filters: { 'Attribute tables': ['csv', 'tsv', 'txt'] },
    openLabel: 'Use This Table',
  });
  if (!chosen?.[0]) return undefined;
  const sniffed = await sniff(chosen[0]);
  // A header without a known file-name column: which of its columns names the images (the engine says what is wrong with anything else).
  if (sniffed && !sniffed.celeba && sniffed.key === undefined && sniffed.columns.length > 1) {
    const key = await vscode.window.showQuickPick(sniffed.columns, {
      title: 'Latent Explorer: Train Autoencoder — attribute table',
      placeHolder: 'Which column holds the image file names?',
      ignoreFocusOut: true,
    });
    return key === undefined ? undefined : { attributes: chosen[0].fsPath, attributesKey: key };
  }
  return { attributes: chosen[0].fsPath };
}

async function tablesIn(dir: vscode.Uri, where: string): Promise<TableItem[]> {
  let entries: [string, vscode.FileType][];
  try {
    entries = await vscode.workspace.fs.readDirectory(dir);
  } catch {
    return []; // an unreadable neighbour folder simply offers nothing
  }
  const names = entries
    .filter(([name, type]) => type & vscode.FileType.File && CANDIDATE.test(name))
    .map(([name]) => name)
    .sort();
  const items: TableItem[] = [];
  for (const name of names) {
    const uri = vscode.Uri.joinPath(dir, name);
    const sniffed = await sniff(uri);
    if (!sniffed || (!sniffed.celeba && sniffed.key === undefined)) continue;
    const what = sniffed.celeba ? 'CelebA attributes' : `${sniffed.columns.length - 1} columns, file names in "${sniffed.key}"`;
    items.push({ label: name, description: where, detail: `${what}: each column becomes a label, joined to the images by file name`, choice: { attributes: uri.fsPath } });
  }
  return items;
}

/** The first line of a file as a table's: undefined when it cannot be read or is empty. */
async function sniff(uri: vscode.Uri): Promise<Sniffed | undefined> {
  const head = await readHead(uri).catch(() => undefined);
  if (head === undefined) return undefined;
  const firstLine = /^\s*([^\r\n]*)/.exec(head.replace(/^\ufeff/, ''))?.[1] ?? '';
  if (firstLine.trim() === '') return undefined;
  if (/^\d+\s*$/.test(firstLine)) return { celeba: true };
  const columns = firstLine.split(firstLine.includes('\t') ? '\t' : ',').map((cell) => cell.trim().replace(/^"(.*)"$/, '$1'));
  const key = columns.find((name) => (ATTRIBUTE_KEY_COLUMNS as readonly string[]).includes(name.toLowerCase()));
  return { celeba: false, columns, ...(key !== undefined ? { key } : {}) };
}

/** The first bytes of a file as text: a local file only its head, any other only when not huge. */
async function readHead(uri: vscode.Uri): Promise<string> {
  if (uri.scheme === 'file') {
    const handle = await open(uri.fsPath, 'r');
    try {
      const buffer = new Uint8Array(HEAD_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
      return new TextDecoder('utf-8').decode(buffer.subarray(0, bytesRead));
    } finally {
      await handle.close();
    }
  }
  if ((await vscode.workspace.fs.stat(uri)).size > MAX_REMOTE_BYTES) throw new Error('too large to read for its first line');
  return new TextDecoder('utf-8').decode((await vscode.workspace.fs.readFile(uri)).subarray(0, HEAD_BYTES));
}
