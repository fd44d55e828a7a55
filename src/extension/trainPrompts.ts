// The questions "Train Autoencoder…" asks. Every one has a default, so pressing Enter through all
// five trains a small dense autoencoder on built-in shapes in well under a minute.

import * as vscode from 'vscode';
import { DEFAULT_EPOCHS, DEFAULT_LATENT, defaultRunName } from '../shared/defaults';
import type { DatasetSpec, ModelKind } from '../shared/protocol';
import { askAttributeTable } from './attributePrompt';
import { requireTrust, isTrusted } from './workspaceTrust';

export interface TrainChoices {
  dataset: DatasetSpec;
  kind: ModelKind;
  latent: number;
  epochs: number;
  name: string;
  runDir: vscode.Uri;
}

/** Small enough that the default run (shapes, dense, DEFAULT_EPOCHS) finishes in seconds on two cores. */
export const DATASET_LIMITS = { shapes: 2000, faces: 2000, mnist: 10_000, 'fashion-mnist': 10_000 } as const;
const STEPS = 5;

interface DatasetItem extends vscode.QuickPickItem {
  source: keyof typeof DATASET_LIMITS | 'file';
}

interface KindItem extends vscode.QuickPickItem {
  model: ModelKind;
}

const DATASETS: DatasetItem[] = [
  { source: 'shapes', label: '$(symbol-misc) Shapes', description: 'built in', detail: '2,000 grey 28×28 circles, squares and triangles varying in scale, rotation and position' },
  { source: 'faces', label: '$(smiley) Faces', description: 'built in', detail: '2,000 drawn 32×32 faces varying in smile, eyes, width and glasses' },
  { source: 'mnist', label: '$(cloud-download) MNIST', description: 'downloaded once, then cached', detail: '10,000 handwritten digits, 28×28' },
  { source: 'fashion-mnist', label: '$(cloud-download) Fashion-MNIST', description: 'downloaded once, then cached', detail: '10,000 clothing images, 28×28' },
  { source: 'file', label: '$(folder-opened) Folder or file from the workspace…', detail: 'a folder of PNG/JPEG images (subfolder = label, or an attribute table beside it), an IDX file, a .csv or a .npy' },
];

const KINDS: KindItem[] = [
  { model: 'dense', label: 'Dense', description: 'default', detail: 'fully connected encoder and mirrored decoder' },
  { model: 'conv', label: 'Convolutional', detail: 'stride-2 convolutions; needs images' },
  { model: 'denoising', label: 'Denoising', detail: 'learns to reconstruct clean inputs from corrupted ones' },
  { model: 'vae', label: 'Variational (VAE)', detail: 'a smooth, sampleable latent space (β-VAE with KL warm-up)' },
];

/** Asks the five questions; undefined when the person pressed Escape. */
export async function promptTrainChoices(folder: vscode.WorkspaceFolder, runFolder: string): Promise<TrainChoices | undefined> {
  const title = (step: number, what: string): string => `Latent Explorer: Train Autoencoder (${step}/${STEPS}) — ${what}`;

  const datasetItem = await vscode.window.showQuickPick(
    DATASETS.map((d) => (d.source === 'file' && !isTrusted() ? { ...d, description: 'needs a trusted workspace' } : d)),
    { title: title(1, 'dataset'), placeHolder: 'What to train on (Enter: built-in shapes)', ignoreFocusOut: true, matchOnDetail: true },
  );
  if (!datasetItem) return undefined;
  let dataset: DatasetSpec;
  let datasetName: string;
  if (datasetItem.source === 'file') {
    if (!(await requireTrust('Training on workspace files'))) return undefined;
    const picked = await vscode.window.showOpenDialog({
      title: 'Train on a folder of images or a data file',
      defaultUri: folder.uri,
      canSelectFiles: true,
      canSelectFolders: true,
      canSelectMany: false,
      openLabel: 'Train on This',
    });
    if (!picked?.[0]) return undefined;
    dataset = { source: picked[0].fsPath };
    datasetName = picked[0].path;
    if ((await vscode.workspace.fs.stat(picked[0])).type & vscode.FileType.Directory) {
      const image = await askImageOptions();
      if (image === undefined) return undefined;
      Object.assign(dataset, image);
      const table = await askAttributeTable(picked[0]);
      if (table === undefined) return undefined;
      if (table !== null) Object.assign(dataset, table);
    }
  } else {
    dataset = { source: datasetItem.source, limit: DATASET_LIMITS[datasetItem.source] };
    datasetName = datasetItem.source;
  }

  const kindItem = await vscode.window.showQuickPick(KINDS, {
    title: title(2, 'model'),
    placeHolder: 'Which autoencoder (Enter: dense)',
    ignoreFocusOut: true,
  });
  if (!kindItem) return undefined;

  const latent = await askInteger(title(3, 'latent size'), 'Dimensions of the code (the bottleneck)', DEFAULT_LATENT, 1, 512);
  if (latent === undefined) return undefined;
  const epochs = await askInteger(title(4, 'epochs'), 'Passes over the training data', DEFAULT_EPOCHS, 1, 10_000);
  if (epochs === undefined) return undefined;

  const parent = vscode.Uri.joinPath(folder.uri, ...runFolder.split('/'));
  const name = await vscode.window.showInputBox({
    title: title(5, 'run name'),
    prompt: `The run folder goes in ${runFolder}/ (setting latentExplorer.runFolder)`,
    value: defaultRunName(datasetName, kindItem.model),
    ignoreFocusOut: true,
    validateInput: (value) => validateRunName(parent, value),
  });
  if (name === undefined) return undefined;
  return { dataset, kind: kindItem.model, latent, epochs, name: name.trim(), runDir: vscode.Uri.joinPath(parent, name.trim()) };
}

/** Greyscale images at MNIST's size by default; colour ones at the lecture's 64×64. */
const DEFAULT_IMAGE_SIZE = { 1: 28, 3: 64 } as const;

/**
 * An image folder's three questions: greyscale (the default, what MNIST-style models expect) or RGB
 * colour; the side of the square images; and, for photos that are not square, stretch or centre-crop.
 * Only what differs from the loader's defaults goes into the spec.
 */
async function askImageOptions(): Promise<Pick<DatasetSpec, 'channels' | 'imageSize' | 'crop'> | undefined> {
  const title = 'Latent Explorer: Train Autoencoder — images';
  const colours = [
    { label: 'Greyscale', description: '1 channel', channels: 1 as const },
    { label: 'Colour', description: '3 channels (RGB)', channels: 3 as const },
  ];
  const colour = await vscode.window.showQuickPick(colours, {
    title,
    placeHolder: 'Read the images in greyscale or in colour (Enter: greyscale)',
    ignoreFocusOut: true,
  });
  if (!colour) return undefined;
  const imageSize = await askInteger(title, 'Side of the square images in pixels; a multiple of 4 suits conv models', DEFAULT_IMAGE_SIZE[colour.channels], 4, 1024);
  if (imageSize === undefined) return undefined;
  const shapes = [
    { label: 'Stretch to a square', description: 'default', crop: false },
    { label: 'Centre crop to a square', description: 'keeps proportions; cuts the edges of non-square photos', crop: true },
  ];
  const shape = await vscode.window.showQuickPick(shapes, {
    title,
    placeHolder: 'Non-square images: stretch them or cut out their centre square (Enter: stretch)',
    ignoreFocusOut: true,
  });
  if (!shape) return undefined;
  return {
    ...(colour.channels === 3 ? { channels: 3 as const } : {}),
    imageSize,
    ...(shape.crop ? { crop: true } : {}),
  };
}

async function askInteger(title: string, prompt: string, value: number, min: number, max: number): Promise<number | undefined> {
  const answer = await vscode.window.showInputBox({
    title,
    prompt: `${prompt} (${min}–${max.toLocaleString()})`,
    value: String(value),
    ignoreFocusOut: true,
    validateInput: (text) => {
      const n = Number(text.trim());
      return Number.isInteger(n) && n >= min && n <= max ? undefined : `A whole number from ${min} to ${max.toLocaleString()}`;
    },
  });
  return answer === undefined ? undefined : Number(answer.trim());
}

async function validateRunName(parent: vscode.Uri, value: string): Promise<string | undefined> {
  const name = value.trim();
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(name)) {
    return 'Letters, digits, dots, dashes and underscores, starting with a letter or digit (at most 100)';
  }
  try {
    await vscode.workspace.fs.stat(vscode.Uri.joinPath(parent, name));
    return `${name} exists already: choose another name`;
  } catch {
    return undefined;
  }
}
