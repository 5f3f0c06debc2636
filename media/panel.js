// The parity panel's script. Every workspace string (service names, environments, paths) reaches the
// page through textContent or setAttribute, never through innerHTML: the DOM is built node by node.
// @ts-check
(function () {
  const vscode = acquireVsCodeApi();
  /** @type {{ onlyDrift: boolean, query: string, open: string[] }} */
  const state = { onlyDrift: false, query: '', open: [], ...(vscode.getState() || {}) };
  /** @type {any} */
  let matrix = undefined;
  /** The key of the cell that has the roving tab stop: "row index:column index". */
  let active = '0:0';

  const STATUS_WORD = { reference: 'reference', agree: 'agrees', differs: 'differs', missing: 'missing' };
  const STATUS_MARK = { reference: '★', agree: '✓', differs: '≠', missing: '—' };
  const SEVERITY_MARK = { error: '⛔', warning: '⚠', info: 'ℹ' };
  /** A row's key for the details it has open: folder, service, variant. */
  const rowKey = (/** @type {any} */ r) => JSON.stringify([r.folder, r.service, r.variant ?? null]);

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

  /** An environment as users read it: the unmarked one is "unmarked (base)" (the server's environmentLabels). */
  function envName(/** @type {string} */ e) {
    const l = matrix && matrix.environmentLabels && matrix.environmentLabels[e];
    return l ? l.label : e;
  }

  /** What an environment's label means, for its title (the unmarked one's sentence), else nothing. */
  function envNote(/** @type {string} */ e) {
    const l = matrix && matrix.environmentLabels && matrix.environmentLabels[e];
    return l ? l.note : undefined;
  }

  function cellLabel(/** @type {any} */ r, /** @type {any} */ c) {
    const ports = c.ports.length ? c.ports.join(', ') : 'no port';
    let label = `${r.service} in ${envName(c.environment)}: ${ports}, ${STATUS_WORD[/** @type {'agree'} */ (c.status)]}`;
    if (c.status === 'differs' && r.reference) label += ` from ${r.reference.contract ? 'the contract' : envName(r.reference.environment)} (${r.reference.ports.join(', ')})`;
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

  /** What a row's details hold, in a word for its toggle: "3 findings · 1 caller". */
  function detailsWord(/** @type {any} */ r) {
    const parts = [];
    const findings = r.findings || [];
    if (findings.length) parts.push(plural(findings.length, 'finding'));
    if (r.callers && r.callers.length) parts.push(plural(r.callers.length, 'caller'));
    return parts.join(' · ');
  }

  /** The row header: the name, its badges, then the row's actions (align, details) on their own line. */
  function rowHeader(/** @type {any} */ r, /** @type {boolean} */ open, /** @type {string} */ detailsId) {
    const ref = r.reference;
    const name = h('th', { scope: 'row', role: 'rowheader', class: 'service' },
      h('span', { class: 'service-name', title: r.variant !== undefined ? `${r.service} as ${r.variant} defines it (a variant)` : r.service }, r.variant !== undefined ? `↳ ${r.variant}` : r.service),
      ref && ref.contract ? h('span', { class: 'badge contract', title: 'The port contract in .portparity.yaml' }, `contract ${ref.ports.join(', ')}`) : undefined,
      r.drift ? h('span', { class: 'badge drift-badge' }, 'drift') : undefined);
    const actions = h('div', { class: 'actions' });
    if (r.drift && ref) {
      const target = ref.ports.join(', ');
      const b = h('button', { type: 'button', class: 'align', 'aria-label': `Align ${r.service} in all environments to ${target}` }, `Align all environments to ${target}`);
      b.addEventListener('click', () => vscode.postMessage({ type: 'align', service: r.service, folder: r.folder }));
      actions.append(b);
    }
    const word = detailsWord(r);
    if (word) {
      const t = h('button', { type: 'button', class: 'more', 'aria-expanded': open ? 'true' : 'false', 'aria-controls': detailsId, 'aria-label': `${open ? 'Hide' : 'Show'} the details of ${r.service}: ${word}` }, h('span', { class: 'chevron', 'aria-hidden': 'true' }, open ? '▾ ' : '▸ '), word);
      t.addEventListener('click', () => {
        const key = rowKey(r);
        state.open = open ? state.open.filter((k) => k !== key) : [...state.open, key];
        vscode.setState(state);
        render();
        /** @type {HTMLElement | null} */ (tableHost.querySelector(`button.more[aria-controls="${detailsId}"]`))?.focus();
      });
      actions.append(t);
    }
    if (actions.childNodes.length) name.append(actions);
    return name;
  }

  /** One environment's cell: its name (shown when the rows are cards), the ports, the status. */
  function cell(/** @type {any} */ r, /** @type {any} */ c, /** @type {string} */ pos, /** @type {boolean} */ isRef) {
    const td = h('td', {
      class: `cell ${c.status}`,
      role: 'gridcell',
      tabindex: pos === active ? '0' : '-1',
      'data-pos': pos,
      'aria-label': cellLabel(r, c),
      'aria-disabled': c.locations.length ? undefined : 'true',
      title: c.locations.length ? c.locations.map((/** @type {any} */ l) => (l.inside ? `${shortPath(l.uri, r.folder)} › ${l.inside}` : `${shortPath(l.uri, r.folder)}:${l.line + 1}`)).join('\n') : undefined,
    },
    h('span', { class: `env${isRef ? ' ref-env' : ''}`, 'aria-hidden': 'true', title: envNote(c.environment) }, envName(c.environment)),
    h('span', { class: 'value' },
      h('span', { class: 'ports' }, c.ports.length ? c.ports.join(', ') : '—'),
      ' ',
      h('span', { class: 'status', 'aria-hidden': 'true' }, c.status === 'missing' ? '' : h('span', { class: 'mark' }, STATUS_MARK[/** @type {'agree'} */ (c.status)]), c.status === 'missing' ? '' : ` ${STATUS_WORD[/** @type {'agree'} */ (c.status)]}`)));
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
    return td;
  }

  /** A finding in a row's details: severity, message, rule and environment; a click opens it; its quick fix. */
  function findingItem(/** @type {any} */ r, /** @type {any} */ x, /** @type {number} */ i) {
    const open = h('button', { type: 'button', class: 'link finding-open', title: `${shortPath(x.uri, r.folder)}:${x.line + 1}` }, x.message);
    open.addEventListener('click', () => vscode.postMessage({ type: 'open', uri: x.uri, line: x.line, character: x.character }));
    const li = h('li', { class: `finding ${x.severity}` },
      h('span', { class: 'sev', role: 'img', 'aria-label': x.severity, title: x.severity }, SEVERITY_MARK[/** @type {'error'} */ (x.severity)] || ''),
      h('div', { class: 'finding-body' }, open, h('div', { class: 'finding-meta' }, h('code', {}, x.rule), x.environment ? ` · ${envName(x.environment)}` : '', ` · ${shortPath(x.uri, r.folder)}:${x.line + 1}`)));
    if (x.fix) {
      const fix = h('button', { type: 'button', class: 'fix', 'aria-label': `Quick fix: ${x.fix}` }, x.fix);
      fix.addEventListener('click', () => vscode.postMessage({ type: 'fix', service: r.service, folder: r.folder, index: i }));
      /** @type {HTMLElement} */ (li.lastChild).append(h('div', { class: 'finding-actions' }, fix));
    }
    return li;
  }

  /** A row's details, under it across every column: who calls the service, and each of its findings. */
  function detailsRow(/** @type {any} */ r, /** @type {string} */ id, /** @type {number} */ span) {
    const box = h('div', { class: 'details', id, role: 'region', 'aria-label': `Details of ${r.service}` });
    if (r.callers && r.callers.length) {
      box.append(h('p', { class: 'callers' }, 'Called by ', ...r.callers.flatMap((/** @type {any} */ c, /** @type {number} */ i) => [i ? '; ' : '', h('strong', {}, c.from), ` on ${c.port} (${c.envs.join(', ')})`])));
    }
    const findings = r.findings || [];
    if (findings.length) box.append(h('ul', { class: 'findings', 'aria-label': `Findings of ${r.service}` }, ...findings.map((/** @type {any} */ x, /** @type {number} */ i) => findingItem(r, x, i))));
    return h('tr', { class: 'details-row', role: 'row' }, h('td', { colspan: String(span), role: 'gridcell' }, box));
  }

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
    const head = h('tr', { role: 'row' }, h('th', { scope: 'col', role: 'columnheader', class: 'service-col' }, 'Service'),
      ...envs.map((e) => h('th', { scope: 'col', role: 'columnheader', class: e === mainRef ? 'ref-col' : undefined, title: e === mainRef ? `${envName(e)} is the reference environment` : envNote(e) },
        h('span', { class: 'env-name' }, envName(e)), e === mainRef ? ' ' : undefined, e === mainRef ? h('span', { class: 'badge ref-badge', 'aria-label': ', reference environment' }, '★ reference') : undefined)));
    const [ar, ac] = active.split(':').map(Number);
    active = `${Math.min(ar, rows.length - 1)}:${Math.min(ac, envs.length - 1)}`;
    const body = h('tbody', {});
    rows.forEach((/** @type {any} */ r, ri) => {
      const open = state.open.includes(rowKey(r)) && detailsWord(r) !== '';
      const detailsId = `details-${ri}`;
      const tr = h('tr', { class: `service-row${r.drift ? ' drifting' : ''}`, role: 'row' }, rowHeader(r, open, detailsId));
      envs.forEach((env, ci) => {
        const c = r.cells.find((/** @type {any} */ x) => x.environment === env) || { environment: env, ports: [], status: 'missing', locations: [] };
        tr.append(cell(r, c, `${ri}:${ci}`, env === mainRef));
      });
      body.append(tr);
      if (open) body.append(detailsRow(r, detailsId, envs.length + 1));
    });
    const table = h('table', { role: 'grid', 'aria-label': 'Internal ports per service and environment', 'aria-rowcount': String(rows.length + 1) }, h('thead', {}, head), body);
    table.addEventListener('keydown', onGridKey);
    // Focus that arrives some other way (a click, a screen reader) moves the tab stop along.
    table.addEventListener('focusin', (e) => {
      const td = /** @type {HTMLElement} */ (e.target);
      if (td.classList && td.classList.contains('cell')) moveTo(td, false);
    });
    tableHost.replaceChildren(table);
    fit();
    if (hadFocus) /** @type {HTMLElement | null} */ (table.querySelector(`[data-pos="${active}"]`))?.focus();
  }

  /**
   * The layout for the width there is: the table where every column fits, else one card per service with
   * its environments stacked (the side bar starts about 300 px wide; a table there clips the reference).
   */
  function fit() {
    const table = tableHost.querySelector('table');
    if (!table) return;
    tableHost.classList.remove('cards');
    const fits = table.scrollWidth <= tableHost.clientWidth + 1;
    tableHost.classList.toggle('cards', !fits);
    document.body.dataset.layout = fits ? 'table' : 'cards';
  }
  let lastWidth = -1;
  new ResizeObserver(() => {
    if (tableHost.clientWidth === lastWidth) return;
    lastWidth = tableHost.clientWidth;
    fit();
  }).observe(tableHost);

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
    const rows = tableHost.querySelectorAll('tbody tr.service-row').length;
    const cols = matrix.environments.length;
    // As cards, a service's environments stand one under another: up and down go cell by cell.
    const cards = tableHost.classList.contains('cards');
    const down = !cards ? [r + 1, c] : c + 1 < cols ? [r, c + 1] : r + 1 < rows ? [r + 1, 0] : [r, c];
    const up = !cards ? [r - 1, c] : c > 0 ? [r, c - 1] : r > 0 ? [r - 1, cols - 1] : [r, c];
    const to = { ArrowUp: up, ArrowDown: down, ArrowLeft: [r, c - 1], ArrowRight: [r, c + 1], Home: [r, 0], End: [r, cols - 1], PageUp: [0, c], PageDown: [rows - 1, c] }[e.key];
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
