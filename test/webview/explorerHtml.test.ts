// The explorer page's shell: a strict CSP with the nonce, nothing remote, the title escaped.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { explorerHtml } from '../../src/shared/explorerHtml';

const cspSource = 'https://file+.vscode-resource.vscode-cdn.net';
const nonce = randomBytes(16).toString('base64');
const base = {
  cspSource,
  nonce,
  scriptUri: `${cspSource}/ext/dist/webview.js`,
  styleUri: `${cspSource}/ext/media/explorer.css`,
  title: 'shapes-dense · epoch 5',
};

function csp(html: string): Map<string, string[]> {
  const content = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
  assert.ok(content, 'the page has a CSP meta tag');
  const directives = new Map<string, string[]>();
  for (const part of content.replace(/&#39;/g, "'").split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    directives.set(name, values);
  }
  return directives;
}

describe('explorerHtml', () => {
  it('sets a default-deny CSP: scripts by nonce only, styles/fonts/images from the webview source', () => {
    const policy = csp(explorerHtml(base));
    assert.deepEqual(policy.get('default-src'), ["'none'"]);
    assert.deepEqual(policy.get('script-src'), [`'nonce-${nonce}'`]);
    assert.deepEqual(policy.get('style-src'), [cspSource, `'nonce-${nonce}'`]);
    assert.deepEqual(policy.get('font-src'), [cspSource]);
    assert.deepEqual(policy.get('img-src'), [cspSource, 'blob:', 'data:']);
    // Workers only from blobs (the maps' hover index), and only on the explorer page.
    assert.deepEqual(policy.get('worker-src'), ['blob:']);
    assert.equal(csp(explorerHtml({ ...base, page: 'curves' })).get('worker-src'), undefined);
    for (const values of policy.values()) {
      assert.ok(!values.includes("'unsafe-inline'") && !values.includes("'unsafe-eval'"), 'nothing unsafe');
    }
  });

  it("accepts code-server's list of sources and refuses one that would end the directive", () => {
    const list = "'self' https://*.vscode-cdn.net";
    const html = explorerHtml({ ...base, cspSource: list });
    assert.match(html, /img-src &#39;self&#39; https:\/\/\*\.vscode-cdn\.net blob: data:/);
    for (const hostile of ['https://a.example; script-src *', "'unsafe-inline'", 'https://a.example,x', 'a"b']) {
      assert.throws(() => explorerHtml({ ...base, cspSource: hostile }), /not a CSP source list/);
    }
  });

  it('loads the bundle with the nonce and has no inline script', () => {
    const html = explorerHtml(base);
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.equal(scripts.length, 1);
    assert.match(scripts[0][1], new RegExp(`nonce="${nonce.replace(/[+/]/g, '\\$&')}"`));
    assert.match(scripts[0][1], /src="https:\/\/file\+\.vscode-resource\.vscode-cdn\.net\/ext\/dist\/webview\.js"/);
    assert.equal(scripts[0][2].trim(), '', 'the script element has no inline body');
    // FAST reads the nonce for its one <style> probe from this meta.
    assert.match(html, new RegExp(`<meta property="csp-nonce" content="${nonce.replace(/[+/]/g, '\\$&')}">`));
  });

  it('references nothing outside the given URIs', () => {
    const html = explorerHtml({ ...base, codiconUri: `${cspSource}/ext/media/codicon.css` });
    const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(urls.sort(), [base.scriptUri, base.styleUri, `${cspSource}/ext/media/codicon.css`].sort());
  });

  it('escapes the title and the URIs', () => {
    const html = explorerHtml({ ...base, title: '<img src=x onerror=alert(1)> & "run"', styleUri: `${cspSource}/a"b.css` });
    assert.ok(!html.includes('<img'), 'no markup from the title');
    assert.match(html, /<title>&lt;img src=x onerror=alert\(1\)&gt; &amp; "run"<\/title>/);
    assert.match(html, /href="https:\/\/file\+\.vscode-resource\.vscode-cdn\.net\/a&quot;b\.css"/);
  });

  it('refuses a short or malformed nonce and a CSP source that could inject directives', () => {
    assert.throws(() => explorerHtml({ ...base, nonce: 'abc' }), /nonce/);
    assert.throws(() => explorerHtml({ ...base, nonce: `${nonce}'; script-src *` }), /nonce/);
    assert.throws(() => explorerHtml({ ...base, cspSource: "https://a; script-src 'unsafe-inline'" }), /CSP source/);
  });
});
