// The status page: reads the service's own JSON endpoints every two seconds and draws them.
// Every value from a file or an API is put into the page as text (textContent, text nodes,
// attribute values): never as HTML, so a row holding <script> shows literally. No inline script,
// no eval: the page runs under a strict Content-Security-Policy.
'use strict';

(function statusPage() {
  const REFRESH_MS = 2000;
  const RUNS_PER_PAGE = 20;
  const REJECTIONS_SHOWN = 100;
  // A CSV source's running run whose heartbeat is older than this is stuck: "late".
  const STALE_HEARTBEAT_MS = 60000;
  // The API source of the service before GET /sources lists the sources with their schedules.
  const FALLBACK_API_SOURCES = { coingecko_api: '0 0/5 * * * ?' };
  const TOKEN_KEY = 'kasparro-etl.admin-token';

  const state = {
    paths: new Set(),
    runsOffset: 0,
    selectedRun: null,
    chartKey: '',
    charts: [],
    busy: false,
  };

  const $ = (id) => document.getElementById(id);

  // ---- DOM, always as text -------------------------------------------------------------------

  /** An element with text children; attributes are set as values, never parsed as markup. */
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === 'className') node.className = value;
      else node.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function replaceChildren(parent, children) {
    parent.replaceChildren(...children);
  }

  /** What identifies a control across redraws: its data-* attributes, as a selector. */
  function focusKey(node) {
    const keys = ['run', 'action', 'source'].filter((k) => node.dataset && node.dataset[k] !== undefined);
    return keys.length ? keys.map((k) => `[data-${k}="${CSS.escape(node.dataset[k])}"]`).join('') : null;
  }

  /**
   * Redraws {@code parent} only when its data changed, and gives the focus back to the same
   * control afterwards, so that a keyboard user is not thrown out every two seconds.
   */
  const drawn = new WeakMap();

  function redraw(parent, data, build) {
    const key = JSON.stringify(data);
    if (drawn.get(parent) === key) return;
    const focused = parent.contains(document.activeElement) ? focusKey(document.activeElement) : null;
    replaceChildren(parent, build());
    drawn.set(parent, key);
    const again = focused && parent.querySelector(focused);
    if (again) again.focus();
  }

  // ---- formatting ------------------------------------------------------------------------------

  function time(iso) {
    if (!iso) return '—';
    const date = new Date(iso);
    const pad = (n) => String(n).padStart(2, '0');
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} `
      + `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  }

  function ago(iso) {
    if (!iso) return '';
    const seconds = Math.max(0, Math.round((Date.now() - new Date(iso).getTime()) / 1000));
    if (seconds < 60) return `${seconds} s ago`;
    if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
    if (seconds < 172800) return `${Math.round(seconds / 3600)} h ago`;
    return `${Math.round(seconds / 86400)} days ago`;
  }

  function duration(run) {
    if (!run.started_at) return '—';
    const end = run.finished_at ? new Date(run.finished_at) : new Date();
    const ms = Math.max(0, end - new Date(run.started_at));
    if (ms < 1000) return `${ms} ms`;
    if (ms < 60000) return `${(ms / 1000).toFixed(1)} s`;
    const minutes = Math.floor(ms / 60000);
    return `${minutes} min ${Math.round((ms % 60000) / 1000)} s`;
  }

  const number = (n) => (n === null || n === undefined ? '—' : Number(n).toLocaleString('en'));

  // ---- the service's endpoints -----------------------------------------------------------------

  async function getJson(url) {
    const response = await fetch(url, { headers: { Accept: 'application/json' }, cache: 'no-store' });
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
    return response.json();
  }

  const query = (params) => new URLSearchParams(
    Object.entries(params).filter(([, v]) => v !== null && v !== undefined)).toString();

  /** What the service offers, from its OpenAPI document: endpoints still to come are not called. */
  async function loadCapabilities() {
    const openapi = await getJson('/openapi.json');
    state.paths = new Set(Object.keys(openapi.paths || {}));
  }

  // The one place that names the URL of "poll now": the generic per-source endpoint when the
  // service has it, the CoinGecko trigger for coingecko_api until then.
  function pollUrl(source) {
    if (state.paths.has('/sources/{name}/poll')) return `/sources/${encodeURIComponent(source)}/poll`;
    return source === 'coingecko_api' ? '/runs/coingecko' : null;
  }

  function replayUrl(run) {
    if (!state.paths.has('/rejections/replay')) return null;
    return `/rejections/replay?${query({ source: run.source, run_id: run.id })}`;
  }

  /** The configured sources: GET /sources when the service has it, else the names /stats counts. */
  async function sources(stats) {
    if (state.paths.has('/sources')) {
      return (await getJson('/sources')).map((s) => ({
        name: s.name, kind: s.kind, schedule: s.schedule || null, enabled: s.enabled !== false,
      }));
    }
    return Object.keys(stats.records_by_source).map((name) => ({
      name,
      kind: name in FALLBACK_API_SOURCES ? 'json-api' : 'csv',
      schedule: FALLBACK_API_SOURCES[name] || null,
      enabled: true,
    }));
  }

  // ---- freshness -------------------------------------------------------------------------------

  /**
   * The period of a Quartz cron, estimated from its first field that is not one fixed value: a
   * step ("0/5") counts that many units, a star or a list one unit. Enough to tell late.
   */
  function cronPeriodMs(cron) {
    const units = [1000, 60000, 3600000, 86400000, 2592000000, 86400000, 31536000000];
    const fields = String(cron || '').trim().split(/\s+/);
    for (let i = 0; i < fields.length && i < units.length; i += 1) {
      const field = fields[i];
      if (field === '?' || /^\d+$/.test(field)) continue;
      const step = field.match(/\/(\d+)$/);
      return units[i] * (step ? Number(step[1]) : 1);
    }
    return units[units.length - 1];
  }

  /**
   * fresh, late or failing: failing when the last run failed; an API source is late when its last
   * success is older than two periods of its schedule (and a minute); a file source, when a file
   * has been running without a heartbeat for a minute. idle: no run yet, or the source is disabled
   * on this instance.
   */
  function freshness(source, lastRun, lastSuccess) {
    if (!source.enabled) return { badge: 'idle', text: 'disabled' };
    if (!lastRun) return { badge: 'idle', text: 'no runs yet' };
    if (lastRun.status === 'failed') return { badge: 'failing', text: 'failing' };
    const now = Date.now();
    if (source.kind === 'csv') {
      const beat = lastRun.heartbeat_at || lastRun.started_at;
      if (lastRun.status === 'running' && beat && now - new Date(beat) > STALE_HEARTBEAT_MS) {
        return { badge: 'late', text: 'late' };
      }
      return { badge: 'fresh', text: 'fresh' };
    }
    const success = lastSuccess && (lastSuccess.finished_at || lastSuccess.started_at);
    if (!success) return lastRun.status === 'running' ? { badge: 'fresh', text: 'fresh' } : { badge: 'late', text: 'late' };
    const allowed = 2 * cronPeriodMs(source.schedule) + 60000;
    return now - new Date(success) > allowed ? { badge: 'late', text: 'late' } : { badge: 'fresh', text: 'fresh' };
  }

  // ---- source cards ----------------------------------------------------------------------------

  async function renderSources(stats) {
    const list = await sources(stats);
    const cards = await Promise.all(list.map(async (source) => {
      const [last, success] = await Promise.all([
        getJson(`/runs?${query({ source: source.name, limit: 1 })}`),
        getJson(`/runs?${query({ source: source.name, status: 'success', limit: 1 })}`),
      ]);
      return [source, stats.records_by_source[source.name], last.items[0], success.items[0]];
    }));
    // Freshness and "ago" move with the clock: part of what is drawn.
    const minute = Math.floor(Date.now() / 60000);
    redraw($('source-cards'), [cards, Boolean(token()), minute], () => cards.map((card) => sourceCard(...card)));
  }

  function sourceCard(source, records, lastRun, lastSuccess) {
    const fresh = freshness(source, lastRun, lastSuccess);
    const lastRunText = lastRun
      ? [el('span', { className: `status-${lastRun.status}` }, lastRun.status), ` · run ${lastRun.id} · ${time(lastRun.created_at)}`]
      : ['—'];
    const lastSuccessAt = lastSuccess && (lastSuccess.finished_at || lastSuccess.started_at);
    const card = el('article', { className: 'card', 'data-source': source.name, 'aria-label': `Source ${source.name}` },
      el('h3', {}, el('span', {}, source.name), el('span', { className: `badge ${fresh.badge}`, 'data-freshness': fresh.badge }, fresh.text)),
      el('dl', {},
        el('dt', {}, 'Kind'), el('dd', {}, source.kind === 'csv' ? 'CSV files' : `API, ${source.schedule || 'no schedule'}`),
        el('dt', {}, 'Records'), el('dd', { 'data-field': 'records' }, number(records || 0)),
        el('dt', {}, 'Last run'), el('dd', { 'data-field': 'last-run' }, ...lastRunText),
        el('dt', {}, 'Last success'), el('dd', { 'data-field': 'last-success', title: lastSuccessAt || '' },
          lastSuccessAt ? `${time(lastSuccessAt)} (${ago(lastSuccessAt)})` : '—')));
    const url = source.kind !== 'csv' && source.enabled ? pollUrl(source.name) : null;
    if (url && token()) {
      const button = el('button', { type: 'button', 'data-action': 'poll', 'data-source': source.name }, 'Poll now');
      button.addEventListener('click', () => adminPost(url, `poll of ${source.name}`, button));
      card.append(button);
    }
    return card;
  }

  // ---- runs ------------------------------------------------------------------------------------

  async function renderRuns() {
    const page = await getJson(`/runs?${query({ limit: RUNS_PER_PAGE, offset: state.runsOffset })}`);
    if (page.items.length === 0 && state.runsOffset > 0 && page.total > 0) {
      state.runsOffset = Math.max(0, Math.floor((page.total - 1) / RUNS_PER_PAGE) * RUNS_PER_PAGE);
      return renderRuns();
    }
    redraw($('runs-body'), [page, state.selectedRun], () => (page.items.length ? page.items.map(runRow)
      : [el('tr', {}, el('td', { colspan: 12, className: 'muted' }, 'No runs yet: drop a file in the inbox.'))]));
    const pages = Math.max(1, Math.ceil(page.total / RUNS_PER_PAGE));
    const current = Math.floor(state.runsOffset / RUNS_PER_PAGE) + 1;
    $('runs-page').textContent = `page ${current} of ${pages} · ${number(page.total)} runs`;
    offered($('runs-newer'), state.runsOffset > 0);
    offered($('runs-older'), state.runsOffset + RUNS_PER_PAGE < page.total);
    return page;
  }

  /** aria-disabled, not disabled: a disabled button loses the focus, and a keyboard user their place. */
  function offered(button, yes) {
    if (yes) button.removeAttribute('aria-disabled');
    else button.setAttribute('aria-disabled', 'true');
  }

  function isOffered(button) {
    return button.getAttribute('aria-disabled') !== 'true';
  }

  function runRow(run) {
    const open = el('button', { type: 'button', 'data-run': run.id, 'aria-label': `Details of run ${run.id}` }, `#${run.id}`);
    open.addEventListener('click', () => selectRun(run.id));
    let last;
    if (run.status === 'running') {
      const percent = run.progress_percent;
      last = el('td', { className: 'progress' },
        percent === null || percent === undefined ? 'running'
          : el('progress', { max: 100, value: percent, 'aria-label': `Run ${run.id} progress` }),
        percent === null || percent === undefined ? null : ` ${percent} %`);
    } else if (run.status === 'failed') {
      last = el('td', { className: 'error', title: run.error_message || '' }, run.error_message || 'failed');
    } else {
      last = el('td', { className: 'muted' }, run.note || '');
    }
    return el('tr', { 'data-run-id': run.id, 'data-status': run.status, className: run.id === state.selectedRun ? 'selected' : null },
      el('td', {}, open),
      el('td', {}, run.source),
      el('td', { className: `status-${run.status}` }, run.status),
      el('td', { className: 'file' }, run.file_name || run.trigger || '—'),
      el('td', { title: run.started_at || '' }, time(run.started_at || run.created_at)),
      el('td', {}, duration(run)),
      el('td', { className: 'num' }, number(run.records_read)),
      el('td', { className: 'num' }, number(run.records_inserted)),
      el('td', { className: 'num' }, number(run.records_updated)),
      el('td', { className: 'num' }, number(run.records_skipped)),
      el('td', { className: 'num' }, number(run.records_rejected)),
      last);
  }

  // ---- a run's details -------------------------------------------------------------------------

  function selectRun(id) {
    state.selectedRun = id;
    for (const row of document.querySelectorAll('#runs-body tr')) {
      row.classList.toggle('selected', row.dataset.runId === String(id));
    }
    renderRunDetails().then(() => $('run-details').focus(), showOffline);
  }

  async function renderRunDetails() {
    if (state.selectedRun === null) return;
    const id = state.selectedRun;
    const [run, rejections, unresolved] = await Promise.all([
      getJson(`/runs/${encodeURIComponent(id)}`),
      getJson(`/rejections?${query({ run_id: id, limit: REJECTIONS_SHOWN })}`),
      getJson(`/rejections?${query({ run_id: id, resolved: false, limit: 1 })}`),
    ]);
    if (id !== state.selectedRun) return;
    $('run-details').hidden = false;
    $('run-details-title').textContent = `Run #${run.id}: ${run.source}`;
    const facts = [
      ['Status', run.status], ['File or trigger', run.file_name || run.trigger || '—'],
      ['Started', time(run.started_at)], ['Finished', time(run.finished_at)], ['Duration', duration(run)],
      ['Read / inserted / updated / skipped / rejected',
        [run.records_read, run.records_inserted, run.records_updated, run.records_skipped, run.records_rejected].map(number).join(' / ')],
      ['Progress', run.progress_percent === null || run.progress_percent === undefined ? '—' : `${run.progress_percent} %`],
      ['Resumed from line', run.resumed_from_line === null || run.resumed_from_line === undefined ? '—' : number(run.resumed_from_line)],
      ['Instance', run.instance_id || '—'],
    ];
    redraw($('run-summary'), facts, () => facts.flatMap(([term, value]) => [el('dt', {}, term), el('dd', {}, value)]));
    $('run-error').hidden = !run.error_message;
    $('run-error').textContent = run.error_message || '';

    // Download and replay concern the rows still unresolved: once a replay has loaded them all, both go.
    // A replay run's own rejected rows are copies of rows that stay unresolved in their first run, where
    // they are replayed; and it names that run where a file run names its file.
    const open = run.trigger === 'replay' ? 0 : unresolved.total;
    const csv = $('rejections-csv');
    const isFile = Boolean(run.file_name) && open > 0;
    csv.hidden = !isFile;
    if (isFile) csv.setAttribute('href', `/rejections.csv?${query({ source: run.source, run_id: run.id })}`);
    else csv.removeAttribute('href');

    const replay = $('replay');
    const replayTo = replayUrl(run);
    const hadFocus = document.activeElement === replay;
    replay.hidden = !(token() && replayTo && open > 0);
    // A replay that loaded every row takes its button away: the keyboard user stays in the run's details.
    if (hadFocus && replay.hidden) $('run-details').focus();
    replay.dataset.url = replayTo || '';

    $('rejections-count').textContent = rejections.total === 0 ? 'No rejected rows.'
      : `${number(rejections.total)} rejected rows${rejections.total > rejections.items.length ? `, the first ${rejections.items.length} shown` : ''}.`;
    redraw($('rejections-body'), rejections.items, () => rejections.items.map(rejectedRow));
  }

  /** A rejected row: its line, raw text and reason, and the run that has loaded it since, if any. */
  function rejectedRow(row) {
    const resolved = row.resolved_by_run !== null && row.resolved_by_run !== undefined;
    return el('tr', { 'data-line': row.line_number, 'data-resolved-by': resolved ? row.resolved_by_run : null },
      el('td', { className: 'num' }, row.line_number === null ? '—' : row.line_number),
      el('td', {}, el('pre', { className: 'raw' }, row.raw_text)),
      el('td', {}, row.reason, resolved ? el('span', { className: 'resolved' }, `loaded since by run ${row.resolved_by_run}`) : null));
  }

  // ---- schema drift ----------------------------------------------------------------------------

  async function renderDrift() {
    const snapshots = (await getJson('/schema-drift')).items;
    if (snapshots.length === 0) {
      redraw($('drift-list'), [], () => [el('li', { className: 'muted empty' }, 'No schema snapshots yet.')]);
      return;
    }
    redraw($('drift-list'), snapshots, () => snapshots.map((snapshot) => {
      const head = el('p', {}, el('strong', {}, snapshot.source), ` · ${time(snapshot.created_at)}`,
        snapshot.run_id ? ` · run ${snapshot.run_id}` : '');
      if (!snapshot.diff) {
        const fields = snapshot.signature && typeof snapshot.signature === 'object' ? Object.keys(snapshot.signature).length : 0;
        return el('li', { 'data-snapshot': snapshot.id }, head, el('p', { className: 'muted' }, `baseline: ${fields} fields`));
      }
      const section = (title, entries) => (entries.length === 0 ? null
        : el('div', {}, title, el('ul', {}, ...entries.map((text) => el('li', {}, el('code', {}, text))))));
      const diff = snapshot.diff;
      return el('li', { 'data-snapshot': snapshot.id }, head,
        section('Added', Object.entries(diff.added || {}).map(([path, type]) => `${path}: ${type}`)),
        section('Removed', Object.entries(diff.removed || {}).map(([path, type]) => `${path}: ${type}`)),
        section('Changed', Object.entries(diff.changed || {}).map(([path, change]) => `${path}: ${change.from} → ${change.to}`)));
    }));
  }

  // ---- chart -----------------------------------------------------------------------------------

  const COUNT_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6, 2e6, 5e6, 1e7];
  const BUCKET_SECONDS = { minute: 60, hour: 3600, day: 86400 };
  const PALETTE = ['#1a56db', '#d97706', '#16a34a', '#9333ea', '#dc2626', '#0891b2', '#4b5563'];

  async function renderChart() {
    const [bucket, buckets] = $('chart-range').value.split(':');
    const timeline = await getJson(`/stats/timeline?${query({ bucket, buckets })}`);
    const key = JSON.stringify(timeline);
    if (key === state.chartKey && state.charts.length) return;
    state.chartKey = key;
    // Every bucket of the window, empty ones as 0, so that the lines fall back to 0 between runs.
    const size = BUCKET_SECONDS[timeline.bucket];
    const last = Math.floor(Date.now() / 1000 / size) * size;
    const xs = Array.from({ length: timeline.buckets }, (_, i) => last - (timeline.buckets - 1 - i) * size);
    const index = new Map(xs.map((x, i) => [x, i]));
    const names = [...new Set(timeline.items.map((p) => p.source))].sort();
    const series = (field) => names.map((name) => {
      const values = xs.map(() => 0);
      for (const point of timeline.items.filter((p) => p.source === name)) {
        const i = index.get(Math.floor(Date.parse(point.bucket_start) / 1000 / size) * size);
        if (i !== undefined) values[i] += point[field];
      }
      return values;
    });
    const totals = timeline.items.reduce((sum, p) => ({ runs: sum.runs + p.runs, records: sum.records + p.records_loaded }), { runs: 0, records: 0 });
    $('chart-summary').textContent = timeline.items.length === 0 ? 'No runs in this window.'
      : `${number(totals.records)} records loaded in ${number(totals.runs)} runs in this window.`;
    state.charts.forEach((chart) => chart.destroy());
    state.charts = [];
    if (timeline.items.length === 0 || typeof window.uPlot !== 'function') {
      replaceChildren($('chart-records'), []);
      replaceChildren($('chart-runs'), []);
      return;
    }
    state.charts = [
      drawChart($('chart-records'), 'Records loaded', xs, names, series('records_loaded')),
      drawChart($('chart-runs'), 'Runs', xs, names, series('runs')),
    ];
  }

  function drawChart(container, title, xs, names, values) {
    replaceChildren(container, []);
    const width = Math.max(260, container.clientWidth - 2);
    const options = {
      title,
      width,
      height: width < 500 ? 180 : 220,
      scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(1, max * 1.1)] } },
      // Whole numbers on the y axis: runs and records are counts.
      axes: [{}, { size: 60, incrs: COUNT_STEPS }],
      series: [{}, ...names.map((name, i) => ({
        label: name,
        stroke: PALETTE[i % PALETTE.length],
        width: 2,
        points: { show: false },
        fill: `${PALETTE[i % PALETTE.length]}22`,
      }))],
    };
    return new window.uPlot(options, [xs, ...values], container);
  }

  function resizeCharts() {
    for (const chart of state.charts) {
      const width = Math.max(260, chart.root.parentElement.clientWidth - 2);
      chart.setSize({ width, height: width < 500 ? 180 : 220 });
    }
  }

  // ---- admin token and actions -----------------------------------------------------------------

  // sessionStorage only: the token lives as long as the tab; it is never logged or put in a URL.
  const token = () => sessionStorage.getItem(TOKEN_KEY) || '';

  function showTokenState() {
    const set = Boolean(token());
    $('token-state').textContent = set ? 'admin actions on' : 'read-only';
    $('token-forget').hidden = !set;
  }

  function actionResult(text, bad) {
    const result = $('action-result');
    result.textContent = text;
    result.classList.toggle('bad', Boolean(bad));
  }

  async function adminPost(url, what, button) {
    if (button && !isOffered(button)) return;
    if (button) offered(button, false);
    try {
      const response = await fetch(url, { method: 'POST', headers: { Authorization: `Bearer ${token()}`, Accept: 'application/json' } });
      const body = await response.json().catch(() => ({}));
      if (response.ok) {
        const runId = body.run_id !== undefined ? body.run_id : body.runId;
        actionResult(`${what} started${runId !== undefined ? `: run ${runId}` : ''}.`, false);
      } else {
        actionResult(`${what} refused (${response.status}): ${body.detail || body.title || 'no reason given'}`, true);
      }
    } catch (error) {
      actionResult(`${what} failed: the service did not answer.`, true);
    } finally {
      if (button) offered(button, true);
    }
    refresh();
  }

  // ---- the refresh loop ------------------------------------------------------------------------

  function showOffline() {
    $('live').textContent = `Service unreachable at ${time(new Date().toISOString())}; retrying every ${REFRESH_MS / 1000} s.`;
    $('live').classList.add('offline');
  }

  async function refresh() {
    if (state.busy) return;
    state.busy = true;
    try {
      if (state.paths.size === 0) await loadCapabilities();
      const stats = await getJson('/stats');
      await Promise.all([renderSources(stats), renderRuns(), renderRunDetails(), renderDrift(), renderChart()]);
      $('live').textContent = `Live: updated ${time(new Date().toISOString())}, every ${REFRESH_MS / 1000} s.`;
      $('live').classList.remove('offline');
    } catch (error) {
      showOffline();
    } finally {
      state.busy = false;
    }
  }

  function loop() {
    // A hidden tab costs the service nothing; it catches up when shown again.
    const next = document.hidden ? Promise.resolve() : refresh();
    next.finally(() => setTimeout(loop, REFRESH_MS));
  }

  function start() {
    $('token-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const value = $('token').value.trim();
      if (value) sessionStorage.setItem(TOKEN_KEY, value);
      $('token').value = '';
      showTokenState();
      refresh();
    });
    $('token-forget').addEventListener('click', () => {
      sessionStorage.removeItem(TOKEN_KEY);
      showTokenState();
      refresh();
    });
    $('runs-newer').addEventListener('click', (event) => {
      if (!isOffered(event.currentTarget)) return;
      state.runsOffset = Math.max(0, state.runsOffset - RUNS_PER_PAGE);
      refresh();
    });
    $('runs-older').addEventListener('click', (event) => {
      if (!isOffered(event.currentTarget)) return;
      state.runsOffset += RUNS_PER_PAGE;
      refresh();
    });
    $('replay').addEventListener('click', (event) => {
      const url = event.currentTarget.dataset.url;
      if (url) adminPost(url, `replay of run ${state.selectedRun}`, event.currentTarget);
    });
    $('chart-range').addEventListener('change', () => {
      state.chartKey = '';
      refresh();
    });
    window.addEventListener('resize', resizeCharts);
    document.addEventListener('visibilitychange', () => {
      if (!document.hidden) refresh();
    });
    showTokenState();
    loop();
  }

  start();
}());
