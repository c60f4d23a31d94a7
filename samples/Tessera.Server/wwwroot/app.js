// Tessera viewport search page: plain JS, no build step.
'use strict';

const state = { viewport: null, info: null, scale: 1, factor: 1 };
const $ = (id) => document.getElementById(id);

async function api(path, options) {
  const response = await fetch(path, options);
  if (!response.ok) {
    let detail = response.statusText;
    try { detail = (await response.json()).detail || detail; } catch { /* not JSON */ }
    throw new Error(`${response.status}: ${detail}`);
  }
  return response;
}

async function loadViewports(select) {
  const { viewports } = await (await api('/api/viewports')).json();
  const list = $('viewport-select');
  list.innerHTML = '';
  for (const id of viewports) {
    const option = document.createElement('option');
    option.value = id;
    option.textContent = id;
    list.appendChild(option);
  }
  if (select && viewports.includes(select)) list.value = select;
  if (list.value) await openViewport(list.value);
}

async function openViewport(id) {
  state.viewport = id;
  state.info = await (await api(`/api/viewports/${encodeURIComponent(id)}`)).json();
  const preview = $('preview');
  const size = 768;
  await new Promise((resolve, reject) => {
    preview.onload = resolve;
    preview.onerror = () => reject(new Error('preview failed'));
    preview.src = `/api/viewports/${encodeURIComponent(id)}/preview.png?mode=${$('preview-mode').value}&size=${size}`;
  });
  // Show small viewports enlarged so single pixels can be clicked.
  state.factor = Math.ceil(Math.max(state.info.width, state.info.height) / size);
  state.scale = Math.max(1, Math.floor(512 / Math.max(preview.naturalWidth, preview.naturalHeight)));
  for (const element of [preview, $('heatmap')]) {
    element.style.width = `${preview.naturalWidth * state.scale}px`;
    element.style.height = `${preview.naturalHeight * state.scale}px`;
  }
  const overlay = $('overlay');
  overlay.width = preview.naturalWidth * state.scale;
  overlay.height = preview.naturalHeight * state.scale;
  overlay.getContext('2d').clearRect(0, 0, overlay.width, overlay.height);
  $('heatmap').hidden = true;
  $('match-count').textContent = '';
  $('distribution').textContent = '';
}

function searchBody(row, col) {
  const body = { viewport_id: state.viewport, row, col, metric: $('metric').value, limit: 5000, distribution: true };
  const value = Number($('mode-value').value);
  const mode = $('mode').value;
  if (mode === 'threshold') body.threshold = value;
  else if (mode === 'k') body.k = Math.round(value);
  else body.top_percent = value;
  return body;
}

async function onClick(event) {
  if (!state.viewport) return;
  const overlay = $('overlay');
  const rect = overlay.getBoundingClientRect();
  const col = Math.min(state.info.width - 1, Math.floor((event.clientX - rect.left) / state.scale * state.factor));
  const row = Math.min(state.info.height - 1, Math.floor((event.clientY - rect.top) / state.scale * state.factor));
  $('match-count').textContent = `Searching from pixel (${row}, ${col})...`;
  try {
    const result = await (await api('/api/faiss/search', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(searchBody(row, col)),
    })).json();
    drawMatches(result, row, col);
    if ($('show-heatmap').checked) showHeatmap(row, col);
  } catch (error) {
    $('match-count').textContent = `Search failed: ${error.message}`;
  }
}

function drawMatches(result, row, col) {
  const overlay = $('overlay');
  const context = overlay.getContext('2d');
  context.clearRect(0, 0, overlay.width, overlay.height);
  const cell = Math.max(2, state.scale / state.factor);
  context.fillStyle = 'rgba(255, 40, 40, 0.75)';
  for (const match of result.results) {
    context.fillRect(match.col / state.factor * state.scale, match.row / state.factor * state.scale, cell, cell);
  }
  context.strokeStyle = '#00e5ff';
  context.lineWidth = 2;
  context.strokeRect(col / state.factor * state.scale - 3, row / state.factor * state.scale - 3, cell + 6, cell + 6);
  overlay.dataset.matches = String(result.results.length);
  const q = result.query;
  const where = q && q.lat !== null && q.lat !== undefined ? ` from lat ${q.lat.toFixed(6)}, lon ${q.lon.toFixed(6)} (WGS84)` : '';
  $('match-count').textContent =
    `${result.total} matching pixel(s)${where}, ${result.results.length} drawn (${result.strategy}, ${result.elapsed_ms} ms)`;
  const d = result.distribution;
  $('distribution').textContent = d
    ? `scores: min ${d.min.toFixed(3)} · p5 ${d.p5.toFixed(3)} · p50 ${d.p50.toFixed(3)} · p95 ${d.p95.toFixed(3)} · p99 ${d.p99.toFixed(3)} · max ${d.max.toFixed(3)}`
    : '';
}

function showHeatmap(row, col) {
  const heatmap = $('heatmap');
  heatmap.src = `/api/viewports/${encodeURIComponent(state.viewport)}/similarity.png?row=${row}&col=${col}&metric=${$('metric').value}&size=768`;
  heatmap.hidden = false;
}

async function pollStatus(id) {
  for (;;) {
    const status = await (await api(`/api/viewports/${encodeURIComponent(id)}/status`)).json();
    $('progress-bar').style.width = `${status.percent}%`;
    $('status-text').textContent = `${status.stage} · ${status.percent}% · ${status.message}`;
    $('feature-list').innerHTML = status.features
      .map((f) => `<li>${f.feature}: ${f.state}${f.error ? ` (${f.error})` : ''}</li>`).join('');
    if (status.finished) {
      if (status.stage === 'ready') await loadViewports(id);
      return status;
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

async function onProcess(event) {
  event.preventDefault();
  const id = $('process-id').value.trim();
  try {
    await api(`/api/viewports/${encodeURIComponent(id)}/process`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ mosaic_path: $('process-mosaic').value.trim(), force: $('process-force').checked }),
    });
    await pollStatus(id);
  } catch (error) {
    $('status-text').textContent = `Processing failed: ${error.message}`;
  }
}

$('overlay').addEventListener('click', onClick);
$('process-form').addEventListener('submit', onProcess);
$('viewport-select').addEventListener('change', (e) => openViewport(e.target.value));
$('preview-mode').addEventListener('change', () => state.viewport && openViewport(state.viewport));
loadViewports().then(() => { document.body.dataset.ready = 'true'; })
  .catch((error) => { $('status-text').textContent = error.message; document.body.dataset.ready = 'true'; });
