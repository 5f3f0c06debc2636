import { createRequire } from 'node:module';
import { PerformanceObserver } from 'node:perf_hooks';
const require = createRequire(import.meta.url);
const api = require('/work/main/dist/api.js');
const YAML = await import('/work/main/node_modules/yaml/browser/index.js');
const { DockerfileParser } = require('dockerfile-ast');
let gcms = 0;
new PerformanceObserver((l) => { for (const e of l.getEntries()) gcms += e.duration; }).observe({ entryTypes: ['gc'] });
const dir = process.argv[2];
const ws = api.readWorkspace(dir);
const floor = () => { for (const f of ws.files) { const k = api.kindOfPath(f.path); if (k === 'yaml' || k === 'compose') YAML.parseAllDocuments(f.text, { lineCounter: new YAML.LineCounter(), keepSourceTokens: false, uniqueKeys: false, prettyErrors: false }); else if (k === 'dockerfile') DockerfileParser.parse(f.text).getInstructions(); } };
const check = () => api.analyze(ws.files, ws.config);
for (const [name, fn] of [['floor', floor], ['check', check], ['floor', floor], ['check', check], ['floor', floor], ['check', check]]) {
  await new Promise((r) => setTimeout(r, 50));
  gcms = 0; const t = performance.now(); fn(); const d = performance.now() - t;
  await new Promise((r) => setTimeout(r, 10));
  console.log(name, d.toFixed(0), 'gc', gcms.toFixed(0));
}
