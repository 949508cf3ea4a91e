// The inspector page: the hub's profile, device list, one twin live, its editor, connection facts and the query console.
// It talks only to this inspector's /api (same origin; the secret is an HttpOnly cookie it never sees).
import { validateTwinEdit } from './twin-rules.js';

const $ = (id) => document.getElementById(id);
const state = {
  limits: null,
  open: null,          // key of the twin shown
  twin: null,          // the twin as last received
  editorEtag: null,    // the etag the editor's text was based on
  editorDirty: false,
  devicesAfter: null,
  continuation: null,
  throttlePoll: false, // a read of the throttles is running or waiting
};

async function api(method, path, body, headers) {
  const init = { method, headers: Object.assign({}, headers || {}), credentials: 'same-origin' };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const text = await response.text();
  let json = null;
  if (text.length > 0 && (response.headers.get('Content-Type') || '').startsWith('application/json')) {
    json = JSON.parse(text);
  }
  return { status: response.status, ok: response.ok, json, text };
}

function errorText(reply) {
  const error = reply.json && reply.json.error;
  if (error) {
    return reply.status + (error.errorCode ? ' (' + error.errorCode + ')' : '') + ': ' + error.message;
  }
  return reply.status + ': ' + reply.text;
}

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (name === 'class') {
      node.className = value;
    } else {
      node.setAttribute(name, value);
    }
  }
  for (const child of children) {
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// ---- device list ----

function deviceRow(row, isModule) {
  const tags = row.tags && Object.keys(row.tags).length > 0 ? JSON.stringify(row.tags) : '';
  const tr = el('tr', { 'data-key': row.key, class: isModule ? 'module' : 'device', tabindex: '0' },
    el('td', { class: 'id' }, isModule ? '↳ ' + row.moduleId : row.deviceId),
    el('td', {}, row.status || ''),
    el('td', { class: 'connection ' + String(row.connectionState).toLowerCase() }, row.connectionState),
    el('td', {}, row.lastActivityTime && !row.lastActivityTime.startsWith('0001') ? row.lastActivityTime : '—'),
    el('td', { class: 'version' }, row.version),
    el('td', { class: 'tags' }, tags));
  tr.addEventListener('click', () => openTwin(row.key));
  tr.addEventListener('keydown', (e) => { if (e.key === 'Enter') { openTwin(row.key); } });
  return tr;
}

async function loadDevices(append) {
  const params = new URLSearchParams();
  const filter = $('filter').value.trim();
  if (filter) {
    params.set('filter', filter);
  }
  if (append && state.devicesAfter) {
    params.set('after', state.devicesAfter);
  }
  const reply = await api('GET', '/api/identities?' + params);
  if (!reply.ok) {
    $('devices-message').textContent = errorText(reply);
    return;
  }
  const body = $('device-list').tBodies[0];
  if (!append) {
    body.replaceChildren();
  }
  for (const row of reply.json.items) {
    body.append(deviceRow(row, false));
    for (const module of row.modules || []) {
      body.append(deviceRow(module, true));
    }
  }
  state.devicesAfter = reply.json.next || null;
  $('more-devices').hidden = !state.devicesAfter;
}

function updateDeviceRow(event) {
  const current = document.querySelector('#device-list tr[data-key="' + CSS.escape(event.key) + '"]');
  if (event.kind === 'deleted') {
    if (current) {
      current.remove();
    }
    return;
  }
  if (!event.twin) {
    return;
  }
  const row = Object.assign({ key: event.key }, event.twin);
  if (current) {
    const replacement = deviceRow(row, !!event.moduleId);
    replacement.classList.add('flash');
    current.replaceWith(replacement);
  } else if (event.kind === 'created' && !event.moduleId) {
    loadDevices(false);
  }
}

// ---- one twin ----

function renderTree(container, value, section, changed) {
  container.replaceChildren();
  const list = el('ul', {});
  addMembers(list, value, '', section, changed);
  container.append(list);
  if (list.children.length === 0) {
    container.append(el('p', { class: 'empty' }, '(empty)'));
  }
}

function addMembers(list, object, prefix, section, changed) {
  for (const [key, value] of Object.entries(object || {})) {
    if (key === '$metadata' || key === '$version') {
      continue;
    }
    const path = prefix ? prefix + '.' + key : key;
    const item = el('li', { 'data-path': path, class: changed.has(section + ':' + path) ? 'changed' : '' },
      el('span', { class: 'key' }, key), ': ');
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const inner = el('ul', {});
      addMembers(inner, value, path, section, changed);
      item.append('{', inner, '}');
    } else {
      item.append(el('span', { class: 'value' }, JSON.stringify(value)));
    }
    list.append(item);
  }
}

function changedPaths(changes) {
  const set = new Set();
  for (const change of changes || []) {
    // the value and every object above it is marked
    const parts = change.path.split('.');
    for (let i = 1; i <= parts.length; i++) {
      set.add(change.section + ':' + parts.slice(0, i).join('.'));
    }
  }
  return set;
}

function editorText(twin) {
  const desired = Object.assign({}, twin.properties.desired);
  delete desired.$metadata;
  delete desired.$version;
  return JSON.stringify({ tags: twin.tags || {}, properties: { desired } }, null, 2);
}

function showTwin(twin, changes) {
  state.twin = twin;
  const changed = changedPaths(changes);
  $('twin-panel').hidden = false;
  $('twin-id').textContent = twin.moduleId ? twin.deviceId + '/' + twin.moduleId : twin.deviceId;
  $('twin-etag').textContent = twin.etag;
  $('twin-version').textContent = twin.version;
  $('twin-status').textContent = twin.status || '(module)';
  $('twin-connection').textContent = twin.connectionState;
  $('toggle-status').hidden = !!twin.moduleId;
  $('toggle-status').textContent = twin.status === 'disabled' ? 'Enable' : 'Disable';
  $('desired-version').textContent = '$version ' + twin.properties.desired.$version;
  $('reported-version').textContent = '$version ' + twin.properties.reported.$version;
  renderTree($('twin-tags'), twin.tags, 'tags', changed);
  renderTree($('twin-desired'), twin.properties.desired, 'desired', changed);
  renderTree($('twin-reported'), twin.properties.reported, 'reported', changed);
  $('twin-metadata').textContent = JSON.stringify({
    desired: twin.properties.desired.$metadata, reported: twin.properties.reported.$metadata }, null, 2);
  if (!state.editorDirty) {
    $('editor').value = editorText(twin);
    state.editorEtag = twin.etag;
    $('editor-etag').textContent = twin.etag;
  }
}

function historyItem(entry) {
  const what = entry.changes && entry.changes.length > 0
    ? entry.changes.map((c) => c.section + '.' + c.path + ' ' + c.op
        + (c.after !== undefined ? ' → ' + JSON.stringify(c.after) : '')).join('; ')
    : entry.kind;
  return el('li', { class: 'entry ' + entry.writer },
    el('span', { class: 'when' }, entry.at), ' ',
    el('span', { class: 'who' }, entry.writer), ' ',
    el('span', { class: 'versions' }, 'v' + entry.version + ' (desired ' + entry.desiredVersion + ', reported '
      + entry.reportedVersion + ')'), ' ',
    el('span', { class: 'what' }, what));
}

async function openTwin(key) {
  state.open = key;
  state.editorDirty = false;
  $('editor-message').textContent = '';
  const reply = await api('GET', '/api/twin?id=' + encodeURIComponent(key));
  if (!reply.ok) {
    $('devices-message').textContent = errorText(reply);
    return;
  }
  showTwin(reply.json, []);
  const history = $('history');
  history.replaceChildren();
  for (const entry of reply.json.history) {
    history.prepend(historyItem(entry));
  }
  loadConnection();
}

async function loadConnection() {
  const key = state.open;
  const reply = await api('GET', '/api/connection?id=' + encodeURIComponent(key));
  const box = $('connection-facts');
  box.replaceChildren();
  if (!reply.ok) {
    box.textContent = errorText(reply);
    return;
  }
  const facts = reply.json;
  $('drop-connection').disabled = !facts.connected;
  if (!facts.connected) {
    box.textContent = 'not connected';
    return;
  }
  box.append(el('p', {}, 'connected since ' + facts.since + ', keep-alive ' + facts.keepAliveSeconds + ' s, '
    + (facts.cleanSession ? 'clean session' : 'persistent session')));
  const subscriptions = el('ul', { id: 'subscriptions' });
  for (const [filter, qos] of Object.entries(facts.subscriptions)) {
    subscriptions.append(el('li', {}, filter + ' (QoS ' + qos + ')'));
  }
  box.append(subscriptions);
}

async function saveTwin() {
  const message = $('editor-message');
  message.className = 'message';
  const checked = validateTwinEdit($('editor').value, state.limits);
  if (!checked.ok) {
    message.classList.add('error');
    message.replaceChildren(el('strong', {}, 'Not sent: '),
      ...checked.errors.map((e) => el('div', { class: 'problem' }, (e.path ? e.path + ': ' : '') + e.message)));
    return;
  }
  const reply = await api('PUT', '/api/twin?id=' + encodeURIComponent(state.open), checked.body,
    { 'If-Match': '"' + state.editorEtag + '"' });
  if (reply.ok) {
    state.editorDirty = false;
    message.textContent = 'Saved: twin $version ' + reply.json.version + ', etag ' + reply.json.etag;
    showTwin(reply.json, []);
    return;
  }
  message.classList.add('error');
  message.replaceChildren(el('div', { id: 'editor-error' }, errorText(reply)));
  if (reply.status === 412 && reply.json.twin) {
    message.append(el('div', {}, 'The twin changed after your edit began (now etag ' + reply.json.twin.etag
      + ', $version ' + reply.json.twin.version + '). Your text is kept; "Load current twin" replaces it.'));
    state.twin = reply.json.twin;
  }
}

// ---- live updates ----

function connectEvents() {
  const source = new EventSource('/api/events');
  source.addEventListener('open', () => {
    $('live').textContent = 'live';
    $('live').className = 'live on';
  });
  source.addEventListener('error', () => {
    $('live').textContent = 'reconnecting…';
    $('live').className = 'live off';
  });
  source.addEventListener('change', (message) => {
    const event = JSON.parse(message.data);
    updateDeviceRow(event);
    if (event.key !== state.open) {
      return;
    }
    if (event.kind === 'deleted') {
      $('twin-panel').hidden = true;
      state.open = null;
      return;
    }
    showTwin(event.twin, event.changes);
    if (event.kind !== 'connection') {
      $('history').prepend(historyItem(event));
    } else {
      loadConnection();
    }
  });
}

// ---- queries ----

function queryTable(items) {
  const table = $('query-results');
  const columns = [];
  for (const item of items) {
    for (const key of Object.keys(item)) {
      if (!columns.includes(key)) {
        columns.push(key);
      }
    }
  }
  table.tHead.replaceChildren(el('tr', {}, ...columns.map((c) => el('th', {}, c))));
  const body = table.tBodies[0];
  for (const item of items) {
    body.append(el('tr', {}, ...columns.map((c) => el('td', {},
      item[c] === undefined ? '' : typeof item[c] === 'object' ? JSON.stringify(item[c]) : String(item[c])))));
  }
}

async function runQuery(next) {
  const error = $('query-error');
  error.hidden = true;
  if (!next) {
    state.continuation = null;
    state.pages = 0;
  }
  const pageSize = Number($('query-page-size').value) || undefined;
  const reply = await api('POST', '/api/query', { query: $('query-text').value, pageSize,
    continuation: next ? state.continuation : null });
  if (!reply.ok) {
    const e = reply.json && reply.json.error;
    let text = errorText(reply);
    if (e && e.line) {
      const lines = $('query-text').value.split('\n');
      const line = lines[e.line - 1] || '';
      text += '\n' + line + '\n' + ' '.repeat(Math.max(0, e.column - 1)) + '^ line ' + e.line + ', column ' + e.column;
    }
    error.textContent = text;
    error.hidden = false;
    $('next-page').hidden = true;
    return;
  }
  state.pages = (state.pages || 0) + 1;
  // one page at a time: the next page replaces the rows of this one
  $('query-results').tBodies[0].replaceChildren();
  queryTable(reply.json.items);
  state.continuation = reply.json.continuation || null;
  $('next-page').hidden = !state.continuation;
  $('query-status').textContent = 'page ' + state.pages + ': ' + reply.json.items.length + ' ' + reply.json.itemType
    + ' rows' + (state.continuation ? ', more to come' : ', last page');
}

// ---- profile ----

// the throttles' tallies are read this often while the panel is open and the page visible; never for local
const THROTTLE_POLL_MS = 2000;

function showProfile(profile) {
  $('profile-name').textContent = profile.title;
  $('profile-knobs').replaceChildren(...profile.knobs.flatMap((knob) => [
    el('dt', {}, knob.name),
    el('dd', { 'data-knob': knob.name, title: knob.source }, knob.value, el('span', { class: 'source' }, knob.source))]));
  $('profile-throttles').hidden = !profile.throttles;
  $('throttle-table').tBodies[0].replaceChildren(...profile.operations.map((op) => el('tr', { 'data-operation': op.operation },
    // the rate goes under the operation's name, so that a phone shows the counts beside it without scrolling
    el('td', { title: op.source }, op.description, el('span', { class: 'rate' }, op.rate),
      el('span', { class: 'source' }, op.source)),
    el('td', { class: 'count admitted' }, '0'),
    el('td', { class: 'count shaped' }, '0'),
    el('td', { class: 'count throttled' }, '0'))));
  if (!profile.throttles) {
    return;
  }
  $('profile-panel').open = true;
  $('profile-panel').addEventListener('toggle', pollThrottles);
  document.addEventListener('visibilitychange', pollThrottles);
  pollThrottles();
}

function pollThrottles() {
  if (state.throttlePoll || !$('profile-panel').open || document.visibilityState !== 'visible') {
    return;
  }
  state.throttlePoll = true;
  loadThrottles().finally(() => setTimeout(() => {
    state.throttlePoll = false;
    pollThrottles();
  }, THROTTLE_POLL_MS));
}

async function loadThrottles() {
  const reply = await api('GET', '/api/throttles');
  if (!reply.ok) {
    $('profile-refused').textContent = errorText(reply);
    return;
  }
  let refused = 0;
  for (const counts of reply.json.operations) {
    const row = document.querySelector('#throttle-table tr[data-operation="' + CSS.escape(counts.operation) + '"]');
    if (!row) {
      continue;
    }
    for (const name of ['admitted', 'shaped', 'throttled']) {
      const cell = row.querySelector('td.' + name);
      const text = String(counts[name]);
      if (cell.textContent !== text) {
        cell.textContent = text;
        cell.classList.remove('flash');
        void cell.offsetWidth; // restarts the highlight
        cell.classList.add('flash');
      }
    }
    row.classList.toggle('refusing', counts.throttled > 0);
    refused += counts.throttled;
  }
  $('profile-refused').textContent = refused > 0 ? '· ' + refused + ' refused with 429' : '';
}

// ---- start ----

async function start() {
  const hub = await api('GET', '/api/hub');
  if (!hub.ok) {
    document.body.textContent = errorText(hub);
    return;
  }
  state.limits = hub.json.limits;
  showProfile(hub.json.profile);
  $('filter').addEventListener('input', () => loadDevices(false));
  $('more-devices').addEventListener('click', () => loadDevices(true));
  $('create-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const reply = await api('POST', '/api/devices', { deviceId: $('new-device-id').value.trim() });
    $('devices-message').textContent = reply.ok ? 'Created ' + reply.json.deviceId : errorText(reply);
    if (reply.ok) {
      $('new-device-id').value = '';
      loadDevices(false);
    }
  });
  $('toggle-status').addEventListener('click', async () => {
    const status = state.twin.status === 'disabled' ? 'enabled' : 'disabled';
    const reply = await api('POST', '/api/devices/status?id=' + encodeURIComponent(state.open), { status });
    $('devices-message').textContent = reply.ok ? state.open + ' is ' + status : errorText(reply);
  });
  $('delete-identity').addEventListener('click', async () => {
    if (!window.confirm('Delete ' + state.open + ' and its twin? This cannot be undone.')) {
      return;
    }
    const key = state.open;
    const reply = await api('DELETE', '/api/identities?id=' + encodeURIComponent(key));
    $('devices-message').textContent = reply.ok ? 'Deleted ' + key : errorText(reply);
  });
  $('editor').addEventListener('input', () => { state.editorDirty = true; });
  $('save-twin').addEventListener('click', saveTwin);
  $('reload-editor').addEventListener('click', async () => {
    state.editorDirty = false;
    await openTwin(state.open);
  });
  $('drop-connection').addEventListener('click', async () => {
    const reply = await api('POST', '/api/connection/drop?id=' + encodeURIComponent(state.open), {});
    $('connection-facts').textContent = reply.ok ? 'dropped; the device SDK reconnects on its own' : errorText(reply);
  });
  for (const example of document.querySelectorAll('button.example')) {
    example.addEventListener('click', () => { $('query-text').value = example.dataset.query; runQuery(false); });
  }
  $('run-query').addEventListener('click', () => runQuery(false));
  $('next-page').addEventListener('click', () => runQuery(true));
  connectEvents();
  await loadDevices(false);
  document.body.dataset.ready = 'true';
}

start();
