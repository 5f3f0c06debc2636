// Workspace strings on their way to a terminal: control characters become visible text, never bytes a terminal obeys.

/**
 * What a terminal may act on or reorder: C0 controls (newline and tab included), DEL, C1 controls (U+0080
 * to U+009F, CSI among them), the line and paragraph separators and the bidirectional marks, embeddings,
 * overrides and isolates (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069).
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** The same less C0: JSON.stringify escapes those itself, and its line breaks and indents are structure. */
const RAW_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

const visible = (c: string): string => {
  const code = c.charCodeAt(0);
  return NAMED[c] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
};

/** `s` with every control character written as an escape (`\n`, `\x1b`, `\x9b`, `\u202e`), as `ls -b` does. */
export function escapeForTerminal(s: string): string {
  return s.replace(CONTROL, visible);
}

/** Escapes each line of `s` but keeps its line breaks (`\n`): for multi-line output such as a diff. */
export function escapeLines(s: string): string {
  return s.split('\n').map(escapeForTerminal).join('\n');
}

/**
 * JSON for a terminal: JSON.stringify escapes C0 controls but writes C1 controls, separators and bidi
 * characters as they are; they can only stand inside strings, where `\uXXXX` is the same value.
 */
export function jsonForTerminal(json: string): string {
  return json.replace(RAW_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
