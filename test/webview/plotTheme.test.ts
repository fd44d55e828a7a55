// The latentExplorer.plotTheme setting reaches the page in ExplorerInit.settings; the page's palettes
// then follow it instead of the editor's theme. theme.ts only reads `document` for `auto`.

import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { sequentialInterpolator } from '../../src/webview/render/colouring';
import { currentTheme, setPlotTheme } from '../../src/webview/theme';

describe('plot theme setting', () => {
  const globals = globalThis as { document?: unknown };
  const saved = globals.document;
  after(() => {
    globals.document = saved;
    setPlotTheme('auto');
  });
  const editorTheme = (className: string) => {
    globals.document = { body: { dataset: {}, classList: { contains: (c: string) => c === className } } };
  };

  it('auto follows the editor theme; a named theme overrides it', () => {
    editorTheme('vscode-dark');
    setPlotTheme('auto');
    assert.equal(currentTheme(), 'dark');
    setPlotTheme('light');
    assert.equal(currentTheme(), 'light');
    setPlotTheme(undefined);
    editorTheme('vscode-light');
    assert.equal(currentTheme(), 'light', 'an init without the setting (older host) follows the editor');
    setPlotTheme('high-contrast');
    assert.equal(currentTheme(), 'high-contrast');
  });

  it('changes the palette the maps use', () => {
    setPlotTheme('light');
    const light = sequentialInterpolator(currentTheme())(0);
    setPlotTheme('dark');
    const dark = sequentialInterpolator(currentTheme())(0);
    assert.notEqual(light, dark, 'the dark palette skips the end that vanishes into a dark background');
  });
});
