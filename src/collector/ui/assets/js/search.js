// The search form (left) and the result list. The form's state lives in the
// URL (/search?service=...&lookback=1h), so a search can be bookmarked,
// shared and restored with the back button.
import * as api from './api.js';
import {fill, h} from './dom.js';
import {formatAgo, formatDuration, formatTime, parseDuration, parseLogfmt,
  serviceColors}
  from './format.js';
import {summarize} from './model.js';

const $ = (id) => document.getElementById(id);
const FIELDS = ['service', 'operation', 'tags', 'lookback', 'start', 'end', 'minDuration',
  'maxDuration', 'limit'];

export function initSearchForm(navigate) {
  $('service').addEventListener('change', () => loadOperations($('service').value));
  $('lookback').addEventListener('change', showCustomRange);
  $('search-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const params = formParams();
    if (params) navigate(`/search?${params}`);
  });
  // The service list is loaded by showSearch (restoreForm), each time the
  // search page is shown, so new services appear without a reload.
}

async function loadServices(selected) {
  const select = $('service');
  try {
    const names = await api.services();
    const keep = selected ?? select.value;
    fill(select, h('option', {value: ''}, 'All services'),
        names.map((name) => h('option', {value: name}, name)));
    select.value = names.includes(keep) ? keep : '';
  } catch (e) {
    showFormError(`Services: ${e.message}`);
  }
}

async function loadOperations(service, selected = '') {
  const select = $('operation');
  fill(select, h('option', {value: ''}, 'All operations'));
  if (!service) return;
  try {
    const names = await api.operations(service);
    select.append(...names.map((name) => h('option', {value: name}, name)));
    select.value = names.includes(selected) ? selected : '';
  } catch (e) {
    showFormError(`Operations: ${e.message}`);
  }
}

function showCustomRange() {
  $('custom-range').hidden = $('lookback').value !== 'custom';
}

function showFormError(message) {
  $('form-error').textContent = message || '';
  $('form-error').hidden = !message;
}

// The form as URL parameters, or null (with the reason shown) when a field
// does not parse; checked here so the user sees which field is wrong.
function formParams() {
  showFormError('');
  const form = new FormData($('search-form'));
  const params = new URLSearchParams();
  for (const name of FIELDS) {
    const value = String(form.get(name) ?? '').trim();
    if (value) params.set(name, value);
  }
  try {
    parseLogfmt(params.get('tags') || '');
  } catch (e) {
    showFormError(`Tags: ${e.message}`);
    return null;
  }
  for (const name of ['minDuration', 'maxDuration']) {
    if (params.has(name) && parseDuration(params.get(name)) === null) {
      showFormError(`${name}: "${params.get(name)}" is not a duration like 100ms or 1.5s`);
      return null;
    }
  }
  if (params.get('lookback') !== 'custom') {
    params.delete('start');
    params.delete('end');
  }
  return params;
}

// Puts URL parameters back into the form (a deep link, back/forward).
async function restoreForm(params) {
  for (const name of ['tags', 'minDuration', 'maxDuration', 'start', 'end']) {
    $('search-form').elements[name].value = params.get(name) || '';
  }
  $('limit').value = params.get('limit') || '20';
  $('lookback').value = params.get('lookback') || '1h';
  if (!$('lookback').value) $('lookback').value = '1h';
  showCustomRange();
  await loadServices(params.get('service') || '');
  await loadOperations($('service').value, params.get('operation') || '');
}

// URL parameters to the API's: the lookback becomes start/end in µs now,
// so "last hour" means the hour before each search, not before page load.
function apiQuery(params) {
  const nowUs = Date.now() * 1000;
  let start = '';
  let end = '';
  if (params.get('lookback') === 'custom') {
    const from = Date.parse(params.get('start') || '');
    const to = Date.parse(params.get('end') || '');
    start = Number.isFinite(from) ? from * 1000 : '';
    end = Number.isFinite(to) ? to * 1000 : '';
  } else {
    const lookback = parseDuration(params.get('lookback') || '1h') ?? 3600e6;
    start = nowUs - lookback;
    end = nowUs;
  }
  const tags = parseLogfmt(params.get('tags') || '');
  return {
    service: params.get('service'),
    operation: params.get('operation'),
    tags: Object.keys(tags).length ? JSON.stringify(tags) : '',
    start,
    end,
    minDuration: params.get('minDuration'),
    maxDuration: params.get('maxDuration'),
    limit: params.get('limit') || 20,
  };
}

// Shows the search page; runs the search when the URL carries one.
export async function showSearch(view, params) {
  document.body.classList.remove('trace-page');
  document.title = 'AgentHub traces';
  await restoreForm(params);
  if (![...params.keys()].length) {
    fill(view, h('div', {class: 'empty'},
        h('h2', {}, 'Find traces'),
        h('p', {}, 'Pick a service (or all), then press "Find traces".')));
    return;
  }
  fill(view, h('p', {class: 'loading'}, 'Searching…'));
  try {
    const traces = await api.findTraces(apiQuery(params));
    renderResults(view, traces.map(summarize));
  } catch (e) {
    fill(view, h('p', {class: 'error-message', role: 'alert'}, `Search failed: ${e.message}`));
  }
}

const SORTS = {
  recent: (a, b) => b.start - a.start,
  longest: (a, b) => b.duration - a.duration,
  shortest: (a, b) => a.duration - b.duration,
  spans: (a, b) => b.spanCount - a.spanCount,
};

function renderResults(view, summaries) {
  const list = h('ol', {id: 'results', class: 'results'});
  const longest = Math.max(1, ...summaries.map((s) => s.duration));
  // One palette for the page, so services on screen together differ.
  const colors = serviceColors(summaries.flatMap((s) => s.services.map(([name]) => name)));
  const draw = (sort) => fill(list,
      [...summaries].sort(SORTS[sort]).map((s) => resultItem(s, longest, colors)));
  const sortSelect = h('select', {id: 'sort', 'aria-label': 'Sort results',
    onchange: (e) => draw(e.target.value)},
  h('option', {value: 'recent'}, 'Most recent'),
  h('option', {value: 'longest'}, 'Longest first'),
  h('option', {value: 'shortest'}, 'Shortest first'),
  h('option', {value: 'spans'}, 'Most spans'));
  draw('recent');
  fill(view,
      h('div', {class: 'results-header'},
          h('h2', {id: 'result-count'},
              `${summaries.length} trace${summaries.length === 1 ? '' : 's'}`),
          summaries.length > 1 ? sortSelect : null),
      summaries.length ? list : h('p', {class: 'empty'}, 'No traces match this search.'));
}

function resultItem(s, longest, colors) {
  return h('li', {class: `trace-result${s.errorCount ? ' has-error' : ''}`,
    dataset: {traceId: s.traceID}},
  h('a', {href: `/trace/${s.traceID}`, 'data-nav': true, class: 'result-link'},
      h('div', {class: 'result-title'},
          h('span', {class: 'swatch', style: {background: colors.get(s.rootService)}}),
          h('strong', {}, `${s.rootService}: `), s.rootOperation,
          s.errorCount ? h('span', {class: 'error-badge', title: 'spans with errors'},
              `${s.errorCount} error${s.errorCount === 1 ? '' : 's'}`) : null,
          h('span', {class: 'result-duration'}, formatDuration(s.duration))),
      h('div', {class: 'duration-track'},
          h('div', {class: 'duration-fill',
            style: {width: `${Math.max(0.5, (100 * s.duration) / longest)}%`}})),
      h('div', {class: 'result-meta'},
          h('span', {class: 'span-count'}, `${s.spanCount} span${s.spanCount === 1 ? '' : 's'}`),
          s.services.map(([name, count]) => h('span', {class: 'service-chip',
            style: {borderColor: colors.get(name)}}, `${name} (${count})`)),
          h('span', {class: 'result-time', title: formatTime(s.start)},
              `${formatTime(s.start)} · ${formatAgo(s.start)}`),
          h('code', {class: 'trace-id'}, s.traceID))));
}
