// What opens under a waterfall row: the span's summary, attributes, events,
// links, resource (process tags) and its log records.
import {h} from './dom.js';
import {formatDuration, formatTime, tagValue} from './format.js';
import {findTag} from './model.js';

// Tags Jaeger's OTLP translation derives from span fields; shown in the
// summary line, so the attribute table holds what the instrumentation set.
const DERIVED = new Set(['span.kind', 'otel.status_code', 'otel.status_description', 'error',
  'otel.scope.name', 'otel.scope.version', 'w3c.tracestate']);

export function renderSpanDetails(node, model, logs) {
  const {span} = node;
  const tags = span.tags || [];
  const attributes = tags.filter((t) => !DERIVED.has(t.key));
  const status = findTag(tags, 'otel.status_code') || 'UNSET';
  const statusMessage = findTag(tags, 'otel.status_description');
  const scope = [findTag(tags, 'otel.scope.name'), findTag(tags, 'otel.scope.version')]
      .filter(Boolean).join(' ');
  const parent = node.parent ? node.parent.span.spanID :
    (span.references || []).find((r) => r.refType === 'CHILD_OF')?.spanID;
  const links = (span.references || []).filter((r) => r.refType === 'FOLLOWS_FROM');
  const spanLogs = (logs || []).filter((l) => l.spanID === span.spanID);

  return h('div', {class: 'span-details', dataset: {spanId: span.spanID}, hidden: true},
      h('div', {class: 'details-head'},
          h('span', {class: 'swatch', style: {background: model.colorOf(node.service)}}),
          h('strong', {}, span.operationName),
          h('span', {class: 'muted'}, `· ${node.service}`)),
      h('dl', {class: 'details-summary'},
          item('Duration', formatDuration(span.duration)),
          item('Start', `+${formatDuration(span.startTime - model.start)} · ` +
            formatTime(span.startTime)),
          item('Kind', findTag(tags, 'span.kind') || 'unspecified'),
          item('Status', h('span', {class: `status status-${status.toLowerCase()}`}, status,
              statusMessage ? `: ${statusMessage}` : '')),
          item('Span ID', h('code', {}, span.spanID)),
          parent ? item('Parent', h('code', {}, parent)) : null,
          scope ? item('Scope', scope) : null,
          findTag(tags, 'w3c.tracestate') ?
            item('Trace state', h('code', {}, findTag(tags, 'w3c.tracestate'))) : null),
      section('Attributes', attributes.length, tagTable(attributes, 'attributes')),
      section('Events', (span.logs || []).length,
          (span.logs || []).map((log) => eventItem(log, span.startTime))),
      section('Links', links.length, links.map((ref) => linkItem(ref, model))),
      section('Resource', 1, tagTable([
        {key: 'service.name', type: 'string', value: node.service},
        ...(node.process.tags || []),
      ], 'resource')),
      section('Logs', spanLogs.length, spanLogs.map((log) => h('div', {class: 'span-log'},
          h('span', {class: `severity sev-${severityClass(log)}`}, log.severityText || '—'),
          ' ', logBody(log)))));
}

function item(label, value) {
  return [h('dt', {}, label), h('dd', {}, value)];
}

// A <details> so long sections can be folded; empty ones say so instead.
function section(title, count, content) {
  return h('details', {class: `details-section section-${title.toLowerCase()}`, open: count > 0},
      h('summary', {}, `${title} (${count})`),
      count ? content : h('p', {class: 'muted'}, `No ${title.toLowerCase()}.`));
}

export function tagTable(tags, kind) {
  return h('table', {class: `tag-table ${kind}`},
      h('tbody', {}, tags.map((t) => h('tr', {dataset: {key: t.key}},
          h('th', {scope: 'row'}, t.key),
          h('td', {class: `value type-${t.type}`}, tagValue(t)),
          h('td', {class: 'type'}, t.type)))));
}

function eventItem(log, spanStart) {
  const fields = log.fields || [];
  const name = fields.find((f) => f.key === 'event');
  const rest = fields.filter((f) => f !== name);
  return h('div', {class: 'event'},
      h('div', {class: 'event-head'},
          h('span', {class: 'event-time'}, `+${formatDuration(log.timestamp - spanStart)}`),
          h('strong', {class: 'event-name'}, name ? tagValue(name) : '(unnamed event)')),
      rest.length ? tagTable(rest, 'event-attributes') : null);
}

function linkItem(ref, model) {
  const sameTrace = ref.traceID === model.traceID;
  const target = sameTrace && model.byId.get(ref.spanID);
  return h('div', {class: 'link'},
      h('span', {class: 'muted'}, sameTrace ? 'span in this trace ' : 'span in trace '),
      sameTrace ? null :
        h('a', {href: `/trace/${ref.traceID}`, 'data-nav': true}, h('code', {}, ref.traceID)),
      ' ', h('code', {}, ref.spanID),
      target ? h('span', {class: 'muted'}, ` (${target.service}: ${target.span.operationName})`) :
        null);
}

export function severityClass(log) {
  const n = log.severityNumber || 0;
  if (n >= 17) return 'error';
  if (n >= 13) return 'warn';
  if (n >= 9) return 'info';
  return 'debug';
}

export function logBody(log) {
  return typeof log.body === 'string' ? log.body : JSON.stringify(log.body);
}
