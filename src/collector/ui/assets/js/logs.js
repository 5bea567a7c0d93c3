// The trace's log records (the /api/traces/{id}/logs extension), in time
// order under the waterfall. Each line names its span; clicking it opens
// that span's details in the waterfall.
import {h} from './dom.js';
import {formatDuration, tagValue} from './format.js';
import {logBody, severityClass} from './span_details.js';

export function renderLogs(logs, model, onSelectSpan) {
  const sorted = [...logs].sort((a, b) => a.timestamp - b.timestamp);
  return h('section', {class: 'trace-logs', id: 'trace-logs'},
      h('h3', {}, `Logs (${sorted.length})`),
      sorted.length ? h('table', {class: 'log-table'},
          h('thead', {}, h('tr', {},
              h('th', {}, 'Time'), h('th', {}, 'Level'), h('th', {}, 'Service'),
              h('th', {}, 'Message'), h('th', {}, 'Span'))),
          h('tbody', {}, sorted.map((log) => logRow(log, model, onSelectSpan)))) :
        h('p', {class: 'muted'}, 'No log records carry this trace id.'));
}

function logRow(log, model, onSelectSpan) {
  const node = model.byId.get(log.spanID);
  const attributes = (log.attributes || []).map((a) => `${a.key}=${tagValue(a)}`).join(' ');
  return h('tr', {class: `log-row sev-${severityClass(log)}`},
      h('td', {class: 'log-time'}, `+${formatDuration(log.timestamp - model.start)}`),
      h('td', {}, h('span', {class: `severity sev-${severityClass(log)}`},
          log.severityText || String(log.severityNumber || '—'))),
      h('td', {}, h('span', {class: 'swatch', style: {background: model.colorOf(log.serviceName)}}),
          log.serviceName),
      h('td', {class: 'log-body'}, logBody(log),
          attributes ? h('div', {class: 'log-attributes muted'}, attributes) : null),
      h('td', {}, node ?
        h('button', {type: 'button', class: 'linkish', onclick: () => onSelectSpan(log.spanID)},
            node.span.operationName) :
        h('code', {class: 'muted'}, log.spanID || '—')));
}
