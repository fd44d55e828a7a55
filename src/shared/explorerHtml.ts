// The explorer and curves pages: one static shell with a strict Content Security Policy. Everything the page
// shows is drawn by dist/webview.js (which bundles d3 and the toolkit), loaded with the nonce.
// Pure and DOM-free: the extension host calls it with webview.cspSource / asWebviewUri values and a
// crypto nonce; the browser tests call it with their local server's origin.
//
// CSP notes:
// - style-src has no 'unsafe-inline'. The toolkit (FAST) styles its components with constructable
//   stylesheets (`adoptedStyleSheets`), which CSP does not govern, and only falls back to <style>
//   elements in browsers without them (VS Code's Chromium has them). Our own code sets styles through
//   the CSSOM (`element.style.x = …`), which CSP allows; it never writes `style="…"` attributes.
//   One exception: FAST probes for :focus-visible support by adding and removing a <style> element,
//   taking its nonce from <meta property="csp-nonce">. So the page carries that meta and style-src
//   allows the nonce, rather than 'unsafe-inline'. (Only scripts can read the meta, and anything that
//   runs as script here already holds the nonce.)
//   test/webview/explorer.synthetic.test.ts fails on any `securitypolicyviolation` event.
// - img-src allows blob: and data: for sample images turned into URLs; canvases need neither.
// - worker-src blob: (the explorer only): each map builds its hover index in a worker made from a blob
//   of our own bundled source (src/webview/render/gridWorker.ts); no worker script is fetched from anywhere.
// - No remote origins at all: scripts, styles and fonts come from the extension's own folders.

export interface ExplorerHtmlOptions {
  /** `webview.cspSource`: the origin the webview's own resources are served from. */
  cspSource: string;
  /** A fresh random nonce per page (base64 or hex: only [A-Za-z0-9+/=_-]). */
  nonce: string;
  /** dist/webview.js as a webview URI. */
  scriptUri: string;
  /** media/explorer.css as a webview URI. */
  styleUri: string;
  /** Optional codicon stylesheet (its font must come from cspSource too). */
  codiconUri?: string;
  /** Page title: run name and epoch. */
  title: string;
  /** The element the script draws into: `explorer` (dist/webview.js) or `curves` (dist/curves.js). */
  page?: 'explorer' | 'curves';
}

/** A host source (scheme, host with optional wildcard, port, path) or 'self'. */
const CSP_SOURCE = /^(?:'self'|[a-z][a-z0-9+.-]*:(?:\/\/[A-Za-z0-9*.+-]+(?::\d+|:\*)?(?:\/[^\s;,'"]*)?)?|[A-Za-z0-9*.-]+(?::\d+)?)$/;
const NONCE = /^[A-Za-z0-9+/=_-]{16,}$/;

export function explorerHtml(options: ExplorerHtmlOptions): string {
  const { cspSource, nonce, scriptUri, styleUri, codiconUri, title, page = 'explorer' } = options;
  if (!NONCE.test(nonce)) throw new Error('explorerHtml: the nonce must be at least 16 base64/hex characters');
  // cspSource is a list: code-server gives "'self' https://*.vscode-cdn.net". Each token must be a
  // host source or a quoted keyword; nothing that could end the directive (`;`, `,`) or the attribute.
  if (!cspSource.trim().split(/\s+/).every((token) => CSP_SOURCE.test(token))) {
    throw new Error(`explorerHtml: not a CSP source list: ${cspSource}`);
  }
  const csp = [
    `default-src 'none'`,
    `img-src ${cspSource} blob: data:`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    ...(page === 'explorer' ? [`worker-src blob:`] : []),
  ].join('; ');
  const codicon = codiconUri ? `\n    <link rel="stylesheet" href="${attr(codiconUri)}" nonce="${nonce}">` : '';
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
    <meta property="csp-nonce" content="${nonce}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    <link rel="stylesheet" href="${attr(styleUri)}" nonce="${nonce}">${codicon}
    <title>${text(title)}</title>
  </head>
  <body>
    <main id="${page}" class="${page}" aria-busy="true">
      <p class="boot-message">Opening ${text(title)}…</p>
    </main>
    <script nonce="${nonce}" src="${attr(scriptUri)}"></script>
  </body>
</html>
`;
}

function text(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attr(value: string): string {
  return text(value).replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
