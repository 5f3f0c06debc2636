// The client's pure parts, bundled to dist/client-lib.js for the tests (no `vscode` import here).
export * from './format';
export * from './html';
export * from './locations';
export * from './matrixFeed';
export * from './treeModel';
export * from './taskLine';
