// Exports of the curves view: a chart as PNG (what the canvas drew, with its title and legend) or as
// SVG (the same scene as vector paths and real text: chartScene.ts), and the charted runs' data as
// CSV, one row per epoch or per logged step per run (the columns of `latent-explorer history`, after
// a run column). The page builds the file; the host asks where to save it (curves/save).

import { BATCH_COLUMNS, curvesCsv, EPOCH_COLUMNS } from '../../shared/curves';
import { escapeXml } from '../views/exportView';
import type { ChartScene } from './chartScene';
import type { ChartHost } from './chart';
import type { CurveRunData } from './runStore';

export interface LegendEntry {
  name: string;
  colour: string;
}

type Colours = ReturnType<ChartHost['colours']>;

const TITLE_HEIGHT = 26;
const LEGEND_ROW = 18;

/** The chart's canvas with a title above and the legend below, as a PNG data URL. */
export function chartPng(canvas: HTMLCanvasElement, scene: ChartScene, title: string, legend: LegendEntry[], colours: Colours): string {
  const scale = canvas.width / scene.width;
  const out = document.createElement('canvas');
  const height = TITLE_HEIGHT + scene.height + legend.length * LEGEND_ROW + 8;
  out.width = Math.round(scene.width * scale);
  out.height = Math.round(height * scale);
  const context = out.getContext('2d');
  if (!context) throw new Error('This page cannot get a 2-D canvas to export the chart');
  context.scale(scale, scale);
  context.fillStyle = colours.background;
  context.fillRect(0, 0, scene.width, height);
  context.fillStyle = colours.foreground;
  context.font = 'bold 13px sans-serif';
  context.textBaseline = 'middle';
  context.fillText(title, 8, TITLE_HEIGHT / 2);
  context.drawImage(canvas, 0, TITLE_HEIGHT, scene.width, scene.height);
  context.font = '12px sans-serif';
  legend.forEach((entry, i) => {
    const y = TITLE_HEIGHT + scene.height + 4 + i * LEGEND_ROW + LEGEND_ROW / 2;
    context.fillStyle = entry.colour;
    context.fillRect(scene.plot.left, y - 2, 18, 4);
    context.fillStyle = colours.foreground;
    context.fillText(entry.name, scene.plot.left + 24, y);
  });
  return out.toDataURL('image/png');
}

/** The scene as an SVG document: grid, ticks and labels as text, each line a path in its run's colour. */
export function chartSvg(scene: ChartScene, title: string, legend: LegendEntry[], colours: Colours): string {
  const { plot } = scene;
  const height = TITLE_HEIGHT + scene.height + legend.length * LEGEND_ROW + 8;
  const n = (v: number): string => (Math.round(v * 10) / 10).toString();
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${scene.width}" height="${height}" viewBox="0 0 ${scene.width} ${height}" font-family="sans-serif">`,
    `<title>${escapeXml(title)}</title>`,
    `<desc>${escapeXml(`${title}: ${legend.length} run${legend.length === 1 ? '' : 's'}, ${scene.pointsDrawn.toLocaleString('en')} points drawn for ${scene.pointsInView.toLocaleString('en')} in view (a series denser than two points per pixel column as each column's lowest-to-highest stroke).`)}</desc>`,
    `<rect width="100%" height="100%" fill="${escapeXml(colours.background)}"/>`,
    `<text x="8" y="${TITLE_HEIGHT / 2}" dominant-baseline="middle" font-size="13" font-weight="bold" fill="${escapeXml(colours.foreground)}">${escapeXml(title)}</text>`,
    `<g transform="translate(0 ${TITLE_HEIGHT})">`,
  ];
  const grid = [...scene.yTicks.map((t) => `M${plot.left} ${n(t.px)}H${plot.right}`), ...scene.xTicks.map((t) => `M${n(t.px)} ${plot.top}V${plot.bottom}`)].join('');
  parts.push(`<path d="${grid}" stroke="${escapeXml(colours.grid)}" fill="none"/>`);
  parts.push(`<rect x="${plot.left}" y="${plot.top}" width="${plot.right - plot.left}" height="${plot.bottom - plot.top}" stroke="${escapeXml(colours.foreground)}" fill="none"/>`);
  for (const t of scene.yTicks) parts.push(`<text x="${plot.left - 6}" y="${n(t.px)}" text-anchor="end" dominant-baseline="middle" font-size="11" fill="${escapeXml(colours.muted)}">${escapeXml(t.label)}</text>`);
  for (const t of scene.xTicks) parts.push(`<text x="${n(t.px)}" y="${plot.bottom + 16}" text-anchor="middle" font-size="11" fill="${escapeXml(colours.muted)}">${escapeXml(t.label)}</text>`);
  parts.push(`<clipPath id="plot"><rect x="${plot.left}" y="${plot.top}" width="${plot.right - plot.left}" height="${plot.bottom - plot.top}"/></clipPath>`);
  parts.push('<g clip-path="url(#plot)">');
  for (const line of scene.lines) {
    let d = '';
    let pen = false;
    for (let i = 0; i < line.points.length; i += 2) {
      const y = line.points[i + 1];
      if (Number.isNaN(y)) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${n(line.points[i])} ${n(y)}`;
      pen = true;
    }
    if (d) parts.push(`<path d="${d}" stroke="${escapeXml(line.colour)}" stroke-opacity="${line.alpha}" stroke-width="${line.width}" fill="none" stroke-linejoin="round" data-run="${escapeXml(line.runId)}"/>`);
  }
  parts.push('</g></g>');
  legend.forEach((entry, i) => {
    const y = TITLE_HEIGHT + scene.height + 4 + i * LEGEND_ROW + LEGEND_ROW / 2;
    parts.push(`<rect x="${plot.left}" y="${y - 2}" width="18" height="4" fill="${escapeXml(entry.colour)}"/>`);
    parts.push(`<text x="${plot.left + 24}" y="${y}" dominant-baseline="middle" font-size="12" fill="${escapeXml(colours.foreground)}">${escapeXml(entry.name)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}

/** The runs' curves as CSV: per epoch (run.json's history with the log's step, time and β) or per logged step. */
export function runsCsv(runs: readonly CurveRunData[], per: 'epoch' | 'step'): string {
  const source = per === 'epoch' ? EPOCH_COLUMNS : BATCH_COLUMNS;
  const rows: Record<string, unknown>[] = [];
  for (const run of runs) {
    const columns = (per === 'epoch' ? run.epochs : run.batches) as unknown as Record<string, Float64Array>;
    const count = per === 'epoch' ? run.epochs.epoch.length : run.batches.step.length;
    for (let i = 0; i < count; i++) {
      const row: Record<string, unknown> = { run: run.row.name };
      for (const name of source) {
        const value = columns[name]?.[i];
        row[name] = value === undefined || Number.isNaN(value) ? null : value;
      }
      rows.push(row);
    }
  }
  return curvesCsv(rows, ['run', ...source]);
}
