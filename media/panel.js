// The parity panel's script. Every workspace string (service names, environments, paths) reaches the
// page through textContent or setAttribute, never through innerHTML: the DOM is built node by node.
// @ts-check
(function () {
  const vscode = acquireVsCodeApi();
  /** @type {{ onlyDrift: boolean, query: string }} */
  const state = { onlyDrift: false, query: '', ...(vscode.getState() || {}) };
  /** @type {any} */
  let matrix = undefined;
  /** The key of the cell that has the roving tab stop: "row index:column index". */
  let active = '0:0';

  const STATUS_WORD = { reference: 'reference', agree: 'agrees', differs: 'differs', missing: 'missing' };
  const STATUS_MARK = { reference: '★', agree: '✓', differs: '≠', missing: '—' };

  /**
   * Creates an element; `props` are attributes (strings only) and `children` strings or nodes.
   * @param {string} tag
   * @param {Record<string, string | undefined>} [props]
   * @param {(Node | string | undefined | false)[]} children
   */
  function h(tag, props = {}, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(props)) if (v !== undefined) e.setAttribute(k, v);
    for (const c of children) if (c !== undefined && c !== false) e.append(typeof c === 'string' ? document.createTextNode(c) : c);
    return e;
  }

  const plural = (/** @type {number} */ n, /** @type {string} */ one, many = one + 's') => `${n} ${n === 1 ? one : many}`;

  /** A location's path relative to the row's folder, for tooltips. */
  function shortPath(/** @type {string} */ uri, /** @type {string} */ folder) {
    let path = uri;
    try {
      path = decodeURIComponent(new URL(uri).pathname);
    } catch {
      // keep the uri
    }
    const root = folder.replace(/\\/g, '/').replace(/\/$/, '');
    return path.startsWith(root + '/') ? path.slice(root.length + 1) : path;
  }

  /** The environment most rows use as their reference: its column header is marked. */
  function mainReference(/** @type {any} */ m) {
    const counts = new Map();
    for (const r of m.rows) {
      const env = r.reference && !r.reference.contract ? r.reference.environment : undefined;
      if (env) counts.set(env, (counts.get(env) || 0) + 1);
    }
    return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  }

  function visibleRows() {
    const q = state.query.trim().toLowerCase();
    return matrix.rows.filter((/** @type {any} */ r) => {
      if (state.onlyDrift && !r.drift) return false;
      if (!q) return true;
      if (r.service.toLowerCase().includes(q)) return true;
      return r.cells.some((/** @type {any} */ c) => c.ports.some((/** @type {number} */ p) => String(p) === q));
    });
  }

  function cellLabel(/** @type {any} */ r, /** @type {any} */ c) {
    const ports = c.ports.length ? c.ports.join(', ') : 'no port';
    let label = `${r.service} in ${c.environment}: ${ports}, ${STATUS_WORD[/** @type {'agree'} */ (c.status)]}`;
    if (c.status === 'differs' && r.reference) label += ` from ${r.reference.contract ? 'the contract' : r.reference.environment} (${r.reference.ports.join(', ')})`;
    if (c.locations.length) label += '. Press Enter to open the declaration.';
    return label;
  }

  // The skeleton stays; live updates re-render the summary and the table only, so focus and typing survive.
  const app = /** @type {HTMLElement} */ (document.getElementById('app'));
  const summary = h('p', { class: 'summary', role: 'status', 'aria-live': 'polite' });
  const onlyDrift = /** @type {HTMLInputElement} */ (h('input', { type: 'checkbox', id: 'only-drift' }));
  const search = /** @type {HTMLInputElement} */ (h('input', { type: 'search', id: 'search', placeholder: 'Filter services or ports', 'aria-label': 'Filter services or ports' }));
  const toolbar = h('div', { class: 'toolbar', role: 'search' }, h('label', { for: 'only-drift', class: 'check' }, onlyDrift, 'Only drift'), search);
  const tableHost = h('div', { class: 'table-host' });
  onlyDrift.checked = state.onlyDrift;
  search.value = state.query;
  onlyDrift.addEventListener('change', () => {
    state.onlyDrift = onlyDrift.checked;
    vscode.setState(state);
    render();
  });
  search.addEventListener('input', () => {
    state.query = search.value;
    vscode.setState(state);
    render();
  });

  function render() {
    if (matrix === undefined) return;
    if (!app.contains(summary)) app.replaceChildren(summary, toolbar, tableHost);
    if (matrix === null) {
      summary.textContent = 'Port Parity is not running.';
      tableHost.replaceChildren();
      return;
    }
    const f = matrix.findings;
    const drifting = matrix.rows.filter((/** @type {any} */ r) => r.drift).length;
    summary.textContent = `${plural(matrix.rows.filter((/** @type {any} */ r) => r.variant === undefined).length, 'service')}, ${plural(matrix.environments.length, 'environment')}, ${drifting} drifting · ${plural(f.errors, 'error')}, ${plural(f.warnings, 'warning')}`;
    summary.classList.toggle('drift', drifting > 0);
    const rows = visibleRows();
    if (matrix.rows.length === 0) {
      tableHost.replaceChildren(h('p', { class: 'empty' }, 'No service declares a port in this workspace.'));
      return;
    }
    if (rows.length === 0) {
      tableHost.replaceChildren(h('p', { class: 'empty' }, state.onlyDrift && !state.query ? 'No service drifts: every environment serves the reference ports.' : 'No service matches the filter.'));
      return;
    }
    const hadFocus = tableHost.contains(document.activeElement) && document.activeElement?.classList.contains('cell');
    const mainRef = mainReference(matrix);
    const envs = /** @type {string[]} */ (matrix.environments);
    const head = h('tr', {}, h('th', { scope: 'col', class: 'service-col' }, 'Service'),
      ...envs.map((e) => h('th', { scope: 'col', class: e === mainRef ? 'ref-col' : undefined, title: e === mainRef ? `${e} is the reference environment` : undefined },
        e, e === mainRef ? ' ' : undefined, e === mainRef ? h('span', { class: 'badge ref-badge', 'aria-label': ', reference environment' }, '★ reference') : undefined)));
    const [ar, ac] = active.split(':').map(Number);
    const activeRow = Math.min(ar, rows.length - 1);
    const activeCol = Math.min(ac, envs.length - 1);
    active = `${activeRow}:${activeCol}`;
    const body = h('tbody', {});
    rows.forEach((/** @type {any} */ r, ri) => {
      const ref = r.reference;
      const name = h('th', { scope: 'row', class: 'service' },
        h('span', { class: 'service-name', title: r.variant !== undefined ? `${r.service} as ${r.variant} defines it (a variant)` : undefined }, r.variant !== undefined ? `↳ ${r.variant}` : r.service),
        ref && ref.contract ? h('span', { class: 'badge contract', title: 'The port contract in .portparity.yaml' }, `contract ${ref.ports.join(', ')}`) : undefined,
        r.drift ? h('span', { class: 'badge drift-badge' }, 'drift') : undefined);
      if (r.callers && r.callers.length) {
        name.append(h('div', { class: 'callers' }, '← ' + r.callers.map((/** @type {any} */ c) => `${c.from} on ${c.port} (${c.envs.join(', ')})`).join('; ')));
      }
      // The action sits in the row header, under the name: the side bar is narrow.
      if (r.drift && ref) {
        const target = ref.ports.join(', ');
        const b = h('button', { type: 'button', class: 'align', 'aria-label': `Align ${r.service} in all environments to ${target}` }, `Align all environments to ${target}`);
        b.addEventListener('click', () => vscode.postMessage({ type: 'align', service: r.service, folder: r.folder }));
        name.append(h('div', { class: 'actions' }, b));
      }
      const tr = h('tr', { class: r.drift ? 'drifting' : undefined }, name);
      envs.forEach((env, ci) => {
        const c = r.cells.find((/** @type {any} */ x) => x.environment === env) || { environment: env, ports: [], status: 'missing', locations: [] };
        const td = h('td', {
          class: `cell ${c.status}`,
          role: 'gridcell',
          tabindex: `${ri}:${ci}` === active ? '0' : '-1',
          'data-pos': `${ri}:${ci}`,
          'aria-label': cellLabel(r, c),
          'aria-disabled': c.locations.length ? undefined : 'true',
          title: c.locations.length ? c.locations.map((/** @type {any} */ l) => (l.inside ? `${shortPath(l.uri, r.folder)} › ${l.inside}` : `${shortPath(l.uri, r.folder)}:${l.line + 1}`)).join('\n') : undefined,
        },
        h('span', { class: 'ports' }, c.ports.length ? c.ports.join(', ') : '—'),
        ' ',
        h('span', { class: 'status', 'aria-hidden': 'true' }, c.status === 'missing' ? '' : `${STATUS_MARK[/** @type {'agree'} */ (c.status)]} ${STATUS_WORD[/** @type {'agree'} */ (c.status)]}`));
        if (c.locations.length) {
          const loc = c.locations[0];
          const open = () => vscode.postMessage({ type: 'open', uri: loc.uri, line: loc.line, character: loc.character });
          td.addEventListener('click', () => {
            moveTo(td);
            open();
          });
          td.addEventListener('keydown', (e) => {
            if (e.key === 'Enter' || e.key === ' ') {
              e.preventDefault();
              open();
            }
          });
        }
        tr.append(td);
      });
      body.append(tr);
    });
    const table = h('table', { role: 'grid', 'aria-label': 'Internal ports per service and environment', 'aria-rowcount': String(rows.length + 1) }, h('thead', {}, head), body);
    table.addEventListener('keydown', onGridKey);
    // Focus that arrives some other way (a click, a screen reader) moves the tab stop along.
    table.addEventListener('focusin', (e) => {
      const td = /** @type {HTMLElement} */ (e.target);
      if (td.classList && td.classList.contains('cell')) moveTo(td, false);
    });
    tableHost.replaceChildren(table);
    if (hadFocus) /** @type {HTMLElement | null} */ (table.querySelector(`[data-pos="${active}"]`))?.focus();
  }

  function moveTo(/** @type {HTMLElement} */ td, focus = true) {
    const prev = tableHost.querySelector('.cell[tabindex="0"]');
    if (prev && prev !== td) prev.setAttribute('tabindex', '-1');
    td.setAttribute('tabindex', '0');
    active = td.getAttribute('data-pos') || '0:0';
    if (focus) td.focus();
  }

  /** Arrow keys, Home and End move between cells (one tab stop for the whole grid). */
  function onGridKey(/** @type {KeyboardEvent} */ e) {
    const td = /** @type {HTMLElement} */ (e.target);
    if (!td.classList || !td.classList.contains('cell')) return;
    const [r, c] = (td.getAttribute('data-pos') || '0:0').split(':').map(Number);
    const rows = tableHost.querySelectorAll('tbody tr').length;
    const cols = matrix.environments.length;
    const to = { ArrowUp: [r - 1, c], ArrowDown: [r + 1, c], ArrowLeft: [r, c - 1], ArrowRight: [r, c + 1], Home: [r, 0], End: [r, cols - 1], PageUp: [0, c], PageDown: [rows - 1, c] }[e.key];
    if (!to) return;
    e.preventDefault();
    const [nr, nc] = [Math.max(0, Math.min(rows - 1, to[0])), Math.max(0, Math.min(cols - 1, to[1]))];
    const next = /** @type {HTMLElement | null} */ (tableHost.querySelector(`[data-pos="${nr}:${nc}"]`));
    if (next) moveTo(next);
  }

  window.addEventListener('message', (event) => {
    const m = event.data;
    if (m && m.type === 'matrix') {
      matrix = m.matrix;
      render();
    }
  });
  vscode.postMessage({ type: 'ready' });
})();
