// The waterfall timeline: one row per span in tree order, the bar placed at
// the span's start and sized by its duration on the trace's time axis, the
// label indented by depth, coloured by service, failed spans marked.
// Clicking a row opens its details below it; the arrow folds its subtree.
import {h} from './dom.js';
import {formatDuration} from './format.js';
import {renderSpanDetails} from './span_details.js';

const TICKS = [0, 0.25, 0.5, 0.75, 1];
const INDENT_PX = 14;

// `logs` are the trace's log records, shown again in each span's details.
export function renderWaterfall(model, logs) {
  const rows = h('div', {class: 'wf-rows'});
  const collapsed = new Set();
  const rowOf = new Map();
  const detailsOf = new Map();
  // Zero-length traces (one instant span) still get a visible axis.
  const scale = model.duration || 1;
  const pct = (us) => `${(100 * us) / scale}%`;

  const applyCollapse = () => {
    for (const node of model.nodes) {
      let hidden = false;
      for (let p = node.parent; p && !hidden; p = p.parent) hidden = collapsed.has(p);
      rowOf.get(node).hidden = hidden;
      const details = detailsOf.get(node);
      if (details) details.hidden = hidden || !details.classList.contains('open');
    }
  };

  const toggleDetails = (node) => {
    let details = detailsOf.get(node);
    const row = rowOf.get(node);
    if (!details) {
      // Built on first open: a trace of thousands of spans stays cheap.
      details = renderSpanDetails(node, model, logs);
      detailsOf.set(node, details);
      row.after(details);
    }
    const open = !details.classList.contains('open');
    details.classList.toggle('open', open);
    details.hidden = !open;
    row.classList.toggle('selected', open);
    row.setAttribute('aria-expanded', String(open));
  };

  for (const node of model.nodes) {
    const {span} = node;
    const color = model.colorOf(node.service);
    const offset = span.startTime - model.start;
    const toggle = node.children.length ?
      h('button', {class: 'fold', type: 'button', title: 'Fold or unfold children',
        'aria-label': 'Fold children', onclick: (e) => {
          e.stopPropagation();
          if (collapsed.has(node)) collapsed.delete(node); else collapsed.add(node);
          e.currentTarget.classList.toggle('folded', collapsed.has(node));
          applyCollapse();
        }}, '▾') :
      h('span', {class: 'fold-spacer'});
    const row = h('div', {
      class: `span-row${node.error ? ' error' : ''}`,
      role: 'button', tabindex: '0', 'aria-expanded': 'false',
      dataset: {spanId: span.spanID, service: node.service, depth: String(node.depth)},
      onclick: () => toggleDetails(node),
      onkeydown: (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          toggleDetails(node);
        }
      }},
    h('div', {class: 'span-label', style: {paddingLeft: `${4 + node.depth * INDENT_PX}px`},
      title: `${node.service}: ${span.operationName}`},
    toggle,
    h('span', {class: 'swatch', style: {background: color}}),
    h('span', {class: 'span-service'}, node.service),
    h('span', {class: 'span-operation'}, span.operationName),
    node.error ? h('span', {class: 'error-icon', title: 'error', 'aria-label': 'error'}, '!') :
      null),
    h('div', {class: 'span-timeline'},
        h('div', {class: 'span-bar', title: `${formatDuration(span.duration)} at +` +
          `${formatDuration(offset)}`,
        style: {left: pct(offset), width: `max(${pct(span.duration)}, 2px)`,
          background: color}}),
        (span.logs || []).map((log) => h('div', {class: 'event-mark',
          title: eventName(log), style: {left: pct(log.timestamp - model.start)}})),
        durationLabel(offset, span.duration, scale, pct)));
    rowOf.set(node, row);
    rows.append(row);
  }

  return h('div', {class: 'waterfall', id: 'waterfall'},
      h('div', {class: 'wf-header'},
          h('div', {class: 'span-label'}, 'Service & operation'),
          h('div', {class: 'span-timeline ruler'},
              TICKS.map((t) => h('span', {class: 'tick', style: {left: `${t * 100}%`}},
                  formatDuration(model.duration * t))))),
      rows);
}

// The duration beside its bar where there is room: after it, else before
// it, else (a bar across the whole axis) inside its right end.
function durationLabel(offset, duration, scale, pct) {
  const text = formatDuration(duration);
  if (offset + duration < scale * 0.85) {
    return h('span', {class: 'span-bar-label', style: {left: `calc(${pct(offset + duration)} + 4px)`}},
        text);
  }
  if (offset > scale * 0.15) {
    return h('span', {class: 'span-bar-label', style: {right: `calc(${pct(scale - offset)} + 4px)`}},
        text);
  }
  return h('span', {class: 'span-bar-label inside',
    style: {right: `calc(${pct(scale - offset - duration)} + 4px)`}}, text);
}

function eventName(log) {
  const field = (log.fields || []).find((f) => f.key === 'event');
  return field ? String(field.value) : 'event';
}

// Opens (and scrolls to) the details of a span, for links from elsewhere.
export function selectSpan(container, spanId) {
  const row = container.querySelector(`.span-row[data-span-id="${CSS.escape(spanId)}"]`);
  if (!row) return;
  if (row.hidden) {
    // Unfold its ancestors first.
    for (const fold of container.querySelectorAll('.fold.folded')) fold.click();
  }
  if (row.getAttribute('aria-expanded') !== 'true') row.click();
  row.scrollIntoView({block: 'center', behavior: 'smooth'});
  row.focus({preventScroll: true});
}

