// The editor's theme kind from the body classes VS Code sets (vscode-light, vscode-dark,
// vscode-high-contrast, vscode-high-contrast-light), watched so canvases repaint when it changes.

import type { ThemeKind } from './render/colouring';
import type { Disposables } from './disposables';
import { packCss } from './render/pixels';

/** The latentExplorer.plotTheme setting: palettes for this theme whatever the editor's is. */
let plotTheme: ThemeKind | undefined;

export function setPlotTheme(theme: 'auto' | ThemeKind | undefined): void {
  plotTheme = theme === 'auto' ? undefined : theme;
}

export function currentTheme(): ThemeKind {
  if (plotTheme) return plotTheme;
  const body = document.body;
  const kind = body.dataset.vscodeThemeKind;
  if (body.classList.contains('vscode-high-contrast-light') || kind === 'vscode-high-contrast-light') return 'high-contrast-light';
  if (body.classList.contains('vscode-high-contrast') || kind === 'vscode-high-contrast') return 'high-contrast';
  if (body.classList.contains('vscode-light') || kind === 'vscode-light') return 'light';
  return 'dark';
}

/** A --vscode-* colour as a packed pixel (for markers drawn into ImageData). */
export function themePixel(variable: string, fallback: string): number {
  const value = getComputedStyle(document.body).getPropertyValue(variable).trim();
  return packCss(value || fallback);
}

/** Calls `listener` when the theme kind changes; removed with `owner`. */
export function watchTheme(owner: Disposables, listener: (theme: ThemeKind) => void): void {
  let last = currentTheme();
  const observer = new MutationObserver(() => {
    const next = currentTheme();
    if (next === last) return;
    last = next;
    listener(next);
  });
  observer.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
  owner.add(() => observer.disconnect());
}

/**
 * Calls `listener` when the editor may have changed its colours: VS Code writes the --vscode-*
 * variables into the root element's style and names the theme on the body, so a switch between two
 * themes of one kind (watchTheme's concern) is seen here too.
 */
export function watchThemeColours(owner: Disposables, listener: () => void): void {
  const observer = new MutationObserver(listener);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  observer.observe(document.body, { attributes: true, attributeFilter: ['class', 'style', 'data-vscode-theme-kind', 'data-vscode-theme-name'] });
  owner.add(() => observer.disconnect());
}
