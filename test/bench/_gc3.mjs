import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const api = require('/work/main/dist/api.js');
const YAML = await import('/work/main/node_modules/yaml/browser/index.js');
const { DockerfileParser } = require('dockerfile-ast');
const ws = api.readWorkspace(process.argv[2]);
const floor = () => { for (const f of ws.files) { const k = api.kindOfPath(f.path); if (k === 'yaml' || k === 'compose') YAML.parseAllDocuments(f.text, { lineCounter: new YAML.LineCounter(), keepSourceTokens: false, uniqueKeys: false, prettyErrors: false }); else if (k === 'dockerfile') DockerfileParser.parse(f.text).getInstructions(); } };
const check = () => api.analyze(ws.files, ws.config);
for (const forced of [false, true]) for (let k = 0; k < 4; k++) for (const [name, fn] of [['floor', floor], ['check', check]]) {
  if (forced) globalThis.gc();
  const t = performance.now(); fn(); const d = performance.now() - t;
  if (k > 0) console.log(forced ? 'gc  ' : 'nogc', name, d.toFixed(0));
}
