// PNG and SVG of any view: the "PNG" / "SVG" link buttons every view's header carries (the maps'
// too, which build their own files: exportView.ts), and for every other view the files built from
// what the view drew (viewSnapshot.ts reads it, viewScene.ts writes the SVG, scenePng.ts the PNG).
// The file goes to the host (explorer/saveImage), which asks where to save it.

import type { ExploreSnapshot } from '../../shared/engineApi';
import type { ExplorerApi } from '../api';
import { el } from '../dom';
import type { Disposables } from '../disposables';
import { exportName } from './exportView';
import { scenePng } from './scenePng';
import { sceneSvg, type Box, type SceneImage } from './viewScene';
import { snapshotView } from './viewSnapshot';

export type ImageFormat = 'png' | 'svg';

export interface ExportButtonsOptions {
  /** What is saved, as the buttons' labels say it: "Save the <label> as PNG". */
  label: string;
  /** data-control of each button: export-<format>-<control>, or a function of the format. */
  control: string | ((format: ImageFormat) => string);
  /** The file's title (made into a file name by exportName). */
  title: () => string;
  /** The file's content: a PNG data URL or an SVG document. */
  build: (format: ImageFormat) => string | Promise<string>;
  api: ExplorerApi;
  signal: AbortSignal;
  disposables: Disposables;
}

/** The two buttons; a click builds the file and hands it to the host. */
export function exportButtons(options: ExportButtonsOptions): HTMLButtonElement[] {
  return (['png', 'svg'] as const).map((format) => {
    const control = typeof options.control === 'function' ? options.control(format) : `export-${format}-${options.control}`;
    const button = el('button', {
      class: 'link-button',
      text: format.toUpperCase(),
      attrs: { type: 'button', 'aria-label': `Save the ${options.label} as ${format.toUpperCase()}` },
      data: { control },
    });
    options.disposables.listen(button, 'click', () => {
      void (async () => {
        const data = await options.build(format);
        await options.api.request('explorer/saveImage', { format, name: exportName(options.title()), data }, options.signal);
      })().catch(() => undefined);
    });
    return button;
  });
}

/** "run · epoch 3 · decoder grid": the title an exported view gets. */
export function viewTitle(snapshot: ExploreSnapshot, label: string): string {
  const info = snapshot.checkpoint;
  return `${info.runName} · epoch ${info.epoch} · ${label}`;
}

export interface ViewExportOptions {
  /** The view's name for labels and the file ("decoder grid"). */
  label: string;
  /** data-control suffix: export-png-<control>, export-svg-<control>. */
  control: string;
  snapshot: ExploreSnapshot;
  api: ExplorerApi;
  disposables: Disposables;
  /** Cells of a canvas written as separate SVG images (see SnapshotOptions.tiles). */
  tiles?: (canvas: HTMLCanvasElement) => Box[] | undefined;
}

/**
 * Adds PNG / SVG buttons to a view's header (its `.panel-header`, after the heading) that save the
 * whole section as drawn. Returns the buttons.
 */
export function addViewExport(section: HTMLElement, options: ViewExportOptions): HTMLButtonElement[] {
  const lifetime = new AbortController();
  options.disposables.add(() => lifetime.abort());
  const title = (): string => viewTitle(options.snapshot, options.label);
  const buttons = exportButtons({
    label: options.label,
    control: options.control,
    title,
    build: (format) => buildViewImage(section, format, title(), options.tiles),
    api: options.api,
    signal: lifetime.signal,
    disposables: options.disposables,
  });
  const group = el('span', { class: 'view-export', data: { export: 'skip' } }, ...buttons);
  const header = section.querySelector(':scope > .panel-header');
  const heading = header?.querySelector(':scope > h2, :scope > h3');
  if (heading) heading.after(group);
  else (header ?? section).prepend(group);
  return buttons;
}

/** The section as a PNG data URL or an SVG document. */
export async function buildViewImage(section: HTMLElement, format: ImageFormat, title: string, tiles?: ViewExportOptions['tiles']): Promise<string> {
  const scene = snapshotView(section, { title, tiles });
  if (format === 'png') return (await scenePng(scene)).data;
  const counts = { image: 0, text: 0, vector: 0 };
  for (const item of scene.items) counts[item.kind]++;
  const description = `${title}. ${counts.image} raster image${counts.image === 1 ? '' : 's'} (embedded PNG), ${counts.text} text label${counts.text === 1 ? '' : 's'}, ${counts.vector} vector chart${counts.vector === 1 ? '' : 's'}.`;
  return sceneSvg(scene, canvasHref, description);
}

/** An image item's pixels (its crop of the canvas) as a PNG data URL, at the canvas's own resolution. */
function canvasHref(image: SceneImage<HTMLCanvasElement>): string {
  const { source, crop } = image;
  if (crop.x === 0 && crop.y === 0 && crop.width === source.width && crop.height === source.height) return source.toDataURL('image/png');
  const part = document.createElement('canvas');
  part.width = Math.max(1, Math.round(crop.width));
  part.height = Math.max(1, Math.round(crop.height));
  part.getContext('2d')?.drawImage(source, crop.x, crop.y, crop.width, crop.height, 0, 0, part.width, part.height);
  return part.toDataURL('image/png');
}
