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
    environments.map((e) => stateCell(e, m.states)));
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
                                 x === e ? 'orphan' : '')));
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
      }));
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
                       el('th', {}, 'date'), environments.map((e) => el('th', { title: e.database }, e.name)))),
    el('tbody', {}, rows));
  show(el('div', {}, filter, count), table,
       data.git_error ? el('p', { class: 'error' }, 'git: ' + data.git_error) : null);
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
    el('h2', {}, 'Up', m.up.transaction ? '' : ' (transaction:false)'), sqlBlock('up-sql', m.up),
    el('h2', {}, 'Down'), sqlBlock('down-sql', m.down));
  document.title = `${m.id} ${m.title}`;
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
