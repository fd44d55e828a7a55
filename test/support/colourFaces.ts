// A CelebA-shaped folder made up on the spot: colour "faces" (a skin-toned oval on a coloured
// background) whose Smiling attribute is visible (a red mouth curving up, or a flat dark one) and
// whose Eyeglasses attribute darkens two lenses, beside a `list_attr_celeba.txt` in CelebA's own
// layout (count line, names line, `000001.jpg -1 1` rows). For the browser test of the smile slider
// and the CelebA benchmark, where no real photographs are available.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

export interface ColourFaces {
  /** The images' folder (CelebA's `img_align_celeba`). */
  folder: string;
  /** The attribute table beside it. */
  table: string;
  smiling: boolean[];
  glasses: boolean[];
}

/** Face i's attributes: smiling for 2 of every 3, glasses for every other one. */
const isSmiling = (i: number): boolean => i % 3 !== 0;
const hasGlasses = (i: number): boolean => i % 2 === 1;

/** RGBA pixels of face i, `width` × `height`, the face centred (a tall photo is cropped to it). */
function drawFace(i: number, width: number, height: number, smiling: boolean, glasses: boolean): Uint8Array {
  const rgba = new Uint8Array(width * height * 4);
  const side = Math.min(width, height);
  const cx = width / 2;
  const cy = height / 2;
  // Each face its own background hue and skin tone, so the codes have something besides the mouth.
  const background = [(40 + 53 * i) % 200, (90 + 31 * i) % 200, 160 + ((17 * i) % 90)];
  const skin = [200 + ((7 * i) % 50), 150 + ((11 * i) % 50), 110 + ((5 * i) % 40)];
  const rx = side * (0.3 + 0.05 * ((i % 5) / 4));
  const ry = side * 0.4;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const u = (x - cx) / side;
      const v = (y - cy) / side;
      let colour = ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1 ? skin : background;
      // Eyes (or dark lenses) at v = −0.1, u = ±0.12.
      const eye = Math.min(Math.hypot(u - 0.12, v + 0.1), Math.hypot(u + 0.12, v + 0.1));
      if (glasses && eye < 0.08) colour = [20, 20, 30];
      else if (eye < 0.035) colour = [40, 30, 20];
      // The mouth at v ≈ 0.18, |u| < 0.2: a smile curves up at its corners, a straight face is flat.
      const mouthY = smiling ? 0.2 - 2.5 * u * u : 0.18;
      if (Math.abs(u) < 0.2 && Math.abs(v - mouthY) < 0.045) colour = smiling ? [210, 30, 40] : [90, 50, 50];
      rgba.set([colour[0], colour[1], colour[2], 255], 4 * (y * width + x));
    }
  }
  return rgba;
}

/** Writes `count` faces (PNG or JPEG) into `<root>/img_align_celeba` and the table beside it. */
export function writeColourFaces(root: string, count: number, options: { width: number; height: number; format: 'png' | 'jpeg' }): ColourFaces {
  const folder = join(root, 'img_align_celeba');
  mkdirSync(folder, { recursive: true });
  const smiling: boolean[] = [];
  const glasses: boolean[] = [];
  const rows: string[] = [];
  for (let i = 0; i < count; i++) {
    smiling.push(isSmiling(i));
    glasses.push(hasGlasses(i));
    const name = `${String(i + 1).padStart(6, '0')}.${options.format === 'png' ? 'png' : 'jpg'}`;
    const data = drawFace(i, options.width, options.height, smiling[i], glasses[i]);
    if (options.format === 'png') {
      const image = new PNG({ width: options.width, height: options.height });
      image.data.set(data);
      writeFileSync(join(folder, name), new Uint8Array(PNG.sync.write(image)));
    } else {
      writeFileSync(join(folder, name), new Uint8Array(jpeg.encode({ data, width: options.width, height: options.height }, 90).data));
    }
    // CelebA's order of these two columns: Eyeglasses (16th) before Smiling (32nd).
    rows.push(`${name} ${glasses[i] ? '1' : '-1'} ${smiling[i] ? '1' : '-1'}`);
  }
  const table = join(root, 'list_attr_celeba.txt');
  writeFileSync(table, [String(count), 'Eyeglasses Smiling', ...rows].join('\n') + '\n');
  return { folder, table, smiling, glasses };
}
