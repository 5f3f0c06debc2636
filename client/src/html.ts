// The parity panel's HTML shell: a strict CSP and the extension's own script and stylesheet, nothing
// else. It carries no workspace data (the matrix arrives by postMessage), so nothing here needs escaping
// but the URIs, which VS Code makes.

export interface ShellParts {
  /** `webview.cspSource`: the origin the webview serves local resources from. */
  cspSource: string;
  /** `asWebviewUri` of media/panel.js and media/panel.css. */
  script: string;
  style: string;
  /** A fresh random value per load; only the script carrying it runs. */
  nonce: string;
}

const attr = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `img-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    "connect-src 'none'",
    "frame-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
}

export function panelHtml(p: ShellParts): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(p.cspSource, p.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(p.style)}">
<title>Port Parity</title>
</head>
<body>
<main id="app"><p class="empty">Indexing the workspace…</p></main>
<script nonce="${attr(p.nonce)}" src="${attr(p.script)}"></script>
</body>
</html>
`;
}
