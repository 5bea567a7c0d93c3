// One trace: a header with its summary, the waterfall, and its log lines.
import * as api from './api.js';
import {fill, h} from './dom.js';
import {formatDuration, formatTime} from './format.js';
import {renderLogs} from './logs.js';
import {buildTrace} from './model.js';
import {renderWaterfall, selectSpan} from './waterfall.js';

export async function showTrace(view, id, backHref) {
  document.body.classList.add('trace-page');
  document.title = `Trace ${id.slice(0, 8)} · AgentHub`;
  fill(view, h('p', {class: 'loading'}, `Loading trace ${id}…`));
  // Logs are an extension; a trace must still show if they fail.
  const [traceResult, logsResult] = await Promise.allSettled([api.trace(id), api.traceLogs(id)]);
  if (traceResult.status === 'rejected') {
    const e = traceResult.reason;
    fill(view, backLink(backHref), h('div', {class: 'error-message', role: 'alert'},
        e.status === 404 ? `Trace ${id} was not found (it may have expired).` :
          `Cannot load trace ${id}: ${e.message}`));
    return;
  }
  const model = buildTrace(traceResult.value);
  const logs = logsResult.status === 'fulfilled' ? logsResult.value : [];
  const root = model.root;
  document.title = `${root.service}: ${root.span.operationName} · AgentHub`;

  const waterfall = renderWaterfall(model, logs);
  fill(view,
      backLink(backHref),
      h('header', {class: 'trace-header'},
          h('h2', {class: 'trace-title'},
              h('span', {class: 'swatch', style: {background: model.colorOf(root.service)}}),
              h('strong', {}, `${root.service}: `), root.span.operationName,
              model.errorCount ? h('span', {class: 'error-badge'},
                  `${model.errorCount} error${model.errorCount === 1 ? '' : 's'}`) : null),
          h('code', {class: 'trace-id', id: 'trace-id'}, model.traceID),
          h('dl', {class: 'trace-summary'},
              stat('Start', formatTime(model.start)),
              stat('Duration', formatDuration(model.duration)),
              stat('Spans', String(model.nodes.length)),
              stat('Depth', String(model.maxDepth)),
              stat('Services', model.services.map((name) =>
                h('span', {class: 'service-chip', style: {borderColor: model.colorOf(name)}},
                    name)))),
          h('a', {class: 'raw-json', href: `/api/traces/${model.traceID}`, target: '_blank',
            rel: 'noopener'}, 'JSON')),
      logsResult.status === 'rejected' ?
        h('p', {class: 'error-message'}, `Logs unavailable: ${logsResult.reason.message}`) :
        null,
      waterfall,
      renderLogs(logs, model, (spanId) => selectSpan(waterfall, spanId)));

  // /trace/{id}#span-{spanId} opens that span, so a span can be linked to.
  const hash = /^#span-([0-9a-f]+)$/i.exec(location.hash);
  if (hash) selectSpan(waterfall, hash[1]);
}

function stat(label, value) {
  return h('div', {}, h('dt', {}, label), h('dd', {}, value));
}

function backLink(href) {
  return h('a', {class: 'back', href, 'data-nav': true}, '← Search');
}
