// The CLI's pieces as a library, for the tests and the benchmark (the core plus the disk reader).
export * from '../core';
export { readWorkspace, loadConfig } from '../host/workspace';
export { main } from './main';
export { unifiedDiff } from './diff';
export { jsonReport, sarifReport, githubReport } from './report';
export { runFix, MAX_ROUNDS } from './fix';
export { parseLsof, parseProcNet, procAddress } from '../host/listen';
export { isLoopback, VERIFY_CHECKS } from '../core/verify';
