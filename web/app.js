// migrate-web's page: plain JavaScript, no framework, no build. Three views chosen by the URL's
// hash (#/, #/m/<id>, #/graph), each built from the JSON API on every visit, so a reload shows
// what the files and databases say now. Every string from files, git or a database reaches
// the page through textContent or an attribute, never through innerHTML.
'use strict';

/// An element with attributes and children (strings become text nodes).
function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value !== null && value !== undefined) node.setAttribute(name, value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(typeof child === 'string' || typeof child === 'number' ? String(child) : child);
  }
  return node;
}

function link(id, text) {
  return el('a', { href: '#/m/' + encodeURIComponent(id) }, text || id);
}

async function fetchJson(path) {
  const response = await fetch(path, { cache: 'no-store' });
  const body = await response.json().catch(() => ({ error: response.statusText }));
  if (!response.ok) throw new Error(body.error || `${path}: ${response.status}`);
  return body;
}

function show(...nodes) {
  document.getElementById('main').replaceChildren(...nodes.filter((node) => node));
}

function showEnvironments(environments) {
  const parts = environments.map((e) =>
    el('span', { class: e.reachable ? '' : 'state-unreachable', title: e.error || e.database },
       e.name + (e.reachable ? '' : ' (unreachable)')));
  document.getElementById('environments').replaceChildren(
    el('span', { class: 'muted' }, 'environments: '), ...parts.flatMap((p, i) => i ? [', ', p] : [p]));
}

/// "2026-11-21 14:23" from "2026-11-21T14:23:05.123Z".
function shortTime(text) {
  return text ? text.slice(0, 16).replace('T', ' ') : '';
}

function stateCell(environment, states) {
  if (!environment.reachable) return el('td', { class: 'state-unreachable' }, 'unreachable');
  const state = states[environment.name];
  const applied = state.applied;
  return el('td', { class: 'state-' + state.state }, state.state,
            applied ? el('div', { class: 'muted when' },
                         `${shortTime(applied.applied_at)} · ${applied.duration_ms} ms`) : null);
}

function migrationRow(m, environments) {
  const commit = m.commit;
  const changed = Object.values(m.states).some((s) => s.state === 'changed');
  const row = el('tr', { class: 'migration' + (changed ? ' changed' : ''), 'data-id': m.id },
    el('td', { class: 'id' }, link(m.id)),
    el('td', { class: 'title' }, m.title, changed ? el('span', { class: 'flag' }, 'changed') : null),
    el('td', {}, commit ? commit.author : el('span', { class: 'muted' }, 'not committed')),
    el('td', { class: 'when' }, commit ? shortTime(commit.date) : ''),
    environments.map((e) => stateCell(e, m.states)),
    el('td', { class: 'tables muted' }, '…'));
  // What the filter box searches: id, title, author and the tables the SQL touches.
  row.dataset.search = [m.id, m.stem, m.title, commit ? commit.author : '', commit ? commit.email : '',
                        ...m.tables].join('\n').toLowerCase();
  return row;
}

function orphanRows(environments, columns) {
  return environments.flatMap((e) => e.orphans.map((o) => {
    const row = el('tr', { class: 'orphan', 'data-id': o.id },
      el('td', { class: 'id' }, o.id),
      el('td', { class: 'title' }, o.title, el('span', { class: 'flag' }, 'orphan')),
      el('td', { class: 'muted', colspan: 2 }, `applied in ${e.name}; its file is not here`),
      environments.map((x) => el('td', { class: x === e ? 'state-orphan' : '' },
                                 x === e ? 'orphan' : '')),
      el('td', {}, ''));
    row.dataset.search = [o.id, o.title].join('\n').toLowerCase();
    return row;
  }));
}

// Flyway's repeatables run after every migration, whenever their text changes: a row each,
// at the top, with its state in each environment (applied, due, or removed: its file gone).
function repeatableRows(environments) {
  const byId = new Map();
  for (const e of environments) {
    for (const r of e.repeatables) {
      if (!byId.has(r.id)) byId.set(r.id, r);
    }
  }
  return [...byId.values()].reverse().map((r) => {
    const row = el('tr', { class: 'repeatable', 'data-id': r.id },
      el('td', { class: 'id' }, r.id),
      el('td', { class: 'title' }, r.title || '', el('span', { class: 'flag' }, 'repeatable')),
      el('td', { class: 'muted', colspan: 2 }, 'runs after the migrations whenever its text changes'),
      environments.map((e) => {
        const mine = e.repeatables.find((x) => x.id === r.id);
        if (!mine) return el('td', {}, '');
        const state = mine.state === 'due' ? 'pending' : mine.state === 'removed' ? 'orphan' : 'applied';
        return el('td', { class: 'state-' + state, title: mine.reason || '' }, mine.state,
                  mine.applied ? el('div', { class: 'muted when' }, shortTime(mine.applied.applied_at))
                               : null);
      }),
      el('td', {}, ''));
    row.dataset.search = [r.id, r.title || ''].join('\n').toLowerCase();
    return row;
  });
}

function applyFilter(rows, text) {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  let shown = 0;
  for (const row of rows) {
    const match = words.every((w) => row.dataset.search.includes(w));
    row.hidden = !match;
    shown += match ? 1 : 0;
  }
  return shown;
}

async function showHistory() {
  const data = await fetchJson('/api/migrations');
  const environments = data.environments;
  showEnvironments(environments);
  const rows = [...repeatableRows(environments), ...orphanRows(environments),
                ...data.migrations.slice().reverse().map((m) => migrationRow(m, environments))];
  const count = el('span', { class: 'muted', id: 'count' });
  const filter = el('input', { id: 'filter', type: 'search', autofocus: '',
                               placeholder: 'Filter by id, title, author or table' });
  const update = () => { count.textContent = ` ${applyFilter(rows, filter.value)} of ${rows.length}`; };
  filter.addEventListener('input', update);
  const table = el('table', { id: 'history' },
    el('thead', {}, el('tr', {}, el('th', {}, 'id'), el('th', {}, 'title'), el('th', {}, 'added by'),
                       el('th', {}, 'date'), environments.map((e) => el('th', { title: e.database }, e.name)),
                       el('th', { title: 'the tables its up section changes, read from a development database' },
                          'tables changed'))),
    el('tbody', {}, rows));
  const drift = el('div', { id: 'drift' }, el('span', { class: 'muted' }, 'Checking each environment for drift…'));
  show(drift, el('div', {}, filter, count), table,
       data.git_error ? el('p', { class: 'error' }, 'git: ' + data.git_error) : null);
  update();
  // The schema side comes after the page is shown: it replays migrations on development
  // databases, which takes seconds on PostgreSQL.
  showDrift(drift);
  fillTables(rows, update);
}

/// Each environment's live drift: what was changed by hand since its migrations ran.
async function showDrift(holder) {
  try {
    const data = await fetchJson('/api/drift');
    holder.replaceChildren(el('span', { class: 'muted' }, 'drift: '),
      ...data.environments.flatMap((e, i) => [i ? ' · ' : '', driftState(e)]),
      ...data.environments.filter((e) => e.state === 'drift').map((e) =>
        el('div', { class: 'drift-changes' }, el('strong', {}, `${e.name} was changed by hand:`),
           el('ul', {}, e.changes.map((c) => el('li', {}, c))))));
  } catch (error) {
    holder.replaceChildren(el('span', { class: 'error' }, 'drift: ' + String(error.message || error)));
  }
}

function driftState(e) {
  const words = { none: 'no drift', drift: `drift (${e.changes.length})`, absent: 'not created yet',
                  unknown: 'unknown' };
  return el('span', { class: 'drift-' + e.state, title: e.error || e.database, 'data-env': e.name },
            `${e.name}: ${words[e.state] || e.state}`);
}

/// The tables each migration changes, into the history's last column and its filter.
async function fillTables(rows, update) {
  let data;
  try {
    data = await fetchJson('/api/schema-changes');
  } catch (error) {
    for (const cell of document.querySelectorAll('#history td.tables')) {
      cell.textContent = '';
      cell.title = String(error.message || error);
    }
    return;
  }
  const byId = new Map(data.migrations.map((m) => [m.id, m]));
  for (const row of rows) {
    const m = byId.get(row.dataset.id);
    const cell = row.querySelector('td.tables');
    if (!m || !cell) continue;
    cell.className = 'tables';
    if (m.error) {
      cell.replaceChildren(el('span', { class: 'error', title: m.error }, 'fails'));
    } else {
      cell.textContent = m.tables.join(', ');
      row.dataset.search += '\n' + m.tables.join('\n').toLowerCase();
    }
  }
  update();
}

/// SQL in a table of numbered lines, numbered as in the file.
function sqlBlock(id, section) {
  if (!section) return el('p', { class: 'muted', id }, 'none');
  const lines = section.sql.split('\n');
  return el('table', { class: 'sql', id },
    el('tbody', {}, lines.map((line, i) =>
      el('tr', {}, el('td', { class: 'n' }, section.first_line + i), el('td', {}, line)))));
}

function links(list) {
  if (!list.length) return el('span', { class: 'muted' }, 'none');
  return list.flatMap((m, i) => [i ? ', ' : '', link(m.id, m.stem)]);
}

async function showMigration(id) {
  const m = await fetchJson('/api/migrations/' + encodeURIComponent(id));
  showEnvironments(m.environments);
  const commit = m.commit;
  const states = m.environments.map((e) => el('tr', {}, el('th', { title: e.database }, e.name),
                                               stateCell(e, m.states)));
  show(
    el('h1', { id: 'title' }, m.title),
    el('pre', { class: 'doc', id: 'doc' }, m.doc.slice(1).join('\n')),
    el('dl', { class: 'facts' },
       el('dt', {}, 'id'), el('dd', { class: 'id' }, m.id),
       el('dt', {}, 'file'), el('dd', {}, m.file),
       el('dt', {}, 'parents'), el('dd', { id: 'parents' }, links(m.parent_migrations)),
       el('dt', {}, 'children'), el('dd', { id: 'children' }, links(m.child_migrations)),
       el('dt', {}, 'added'), el('dd', {}, commit
         ? `${commit.short_id} by ${commit.author} <${commit.email}>, ${commit.date}: ${commit.summary}`
         : 'not committed yet'),
       el('dt', {}, 'checksum'), el('dd', { class: 'id' }, m.checksum),
       el('dt', {}, 'reversible'), el('dd', {}, m.reversible ? 'yes' : 'no')),
    el('h2', {}, 'State'), el('table', { id: 'states' }, el('tbody', {}, states)),
    el('h2', {}, 'Schema change'),
    el('div', { id: 'schema-change' }, el('p', { class: 'muted' }, 'Reading it from a development database…')),
    el('h2', {}, 'Up', m.up.transaction ? '' : ' (transaction:false)'), sqlBlock('up-sql', m.up),
    el('h2', {}, 'Down'), sqlBlock('down-sql', m.down));
  document.title = `${m.id} ${m.title}`;
  showSchemaChange(m.id);
}

/// One side of an object's change: its statements, or a word when it does not exist there.
function definition(side, sql) {
  return el('div', {}, el('div', { class: 'muted' }, side),
            sql ? el('pre', { class: side }, sql) : el('pre', { class: 'none muted' }, 'does not exist'));
}

/// The objects the migration adds, alters and drops, with their definitions before and after.
async function showSchemaChange(id) {
  const holder = document.getElementById('schema-change');
  try {
    const change = await fetchJson('/api/migrations/' + encodeURIComponent(id) + '/schema');
    if (change.error) {
      holder.replaceChildren(el('p', { class: 'error' }, change.error));
    } else if (!change.changes.length) {
      holder.replaceChildren(el('p', { class: 'muted' }, 'No object changes: it changes data only.'));
    } else {
      holder.replaceChildren(...change.changes.map((c) => el('div', { class: 'object-change change-' + c.change },
        el('div', {}, el('span', { class: 'flag' }, c.change), ' ', el('code', {}, c.object)),
        el('div', { class: 'before-after' }, definition('before', c.before), definition('after', c.after)))));
    }
  } catch (error) {
    holder.replaceChildren(el('p', { class: 'error' }, String(error.message || error)));
  }
}

async function showGraph() {
  const response = await fetch('/graph.svg', { cache: 'no-store' });
  if (!response.ok) throw new Error(await response.text());
  // Parsed as XML (no script runs from it) and adopted, so the nodes are live and clickable.
  const svg = new DOMParser().parseFromString(await response.text(), 'image/svg+xml');
  const holder = el('div', { id: 'graph' }, document.importNode(svg.documentElement, true));
  holder.addEventListener('click', (event) => {
    const node = event.target.closest('g.node');
    if (node && node.id.startsWith('m')) location.hash = '#/m/' + encodeURIComponent(node.id.slice(1));
  });
  show(holder);
}

async function route() {
  const hash = decodeURIComponent(location.hash.replace(/^#/, '')) || '/';
  try {
    if (hash.startsWith('/m/')) await showMigration(hash.slice(3));
    else if (hash === '/graph') await showGraph();
    else await showHistory();
  } catch (error) {
    show(el('p', { class: 'error', id: 'error' }, String(error.message || error)));
  }
}

window.addEventListener('hashchange', route);
route();
