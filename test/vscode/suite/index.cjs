// The @vscode/test-electron entry (extensionTestsPath): runs the shared checks with mocha inside the
// extension host of a real VS Code, on the scratch workspace test/vscode/run.mjs opened.
const vscode = require('vscode');
const { checks } = require('./checks.cjs');

async function run() {
  // mocha 12 is an ES module: import() loads it from CommonJS in any Node the extension host has.
  const { default: Mocha } = await import('mocha');
  const mocha = new Mocha({ ui: 'tdd', color: true, timeout: 120000 });
  mocha.suite.emit('pre-require', global, 'port-parity', mocha);
  const suite = Mocha.Suite.create(mocha.suite, 'Port Parity in VS Code');
  for (const [name, fn] of checks(vscode)) suite.addTest(new Mocha.Test(name, fn));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} of the Port Parity checks failed`)) : resolve()));
  });
}

module.exports = { run };
