// Reads a Jaeger-shaped trace into what the views draw: the spans as a tree
// in display order (each child after its parent, siblings by start time),
// with depth, service and error flag, plus the trace's time bounds.
import {serviceColors} from './format.js';

// Jaeger's OTLP translation marks a failed span with the tag error=true
// (and otel.status_code=ERROR); either is enough.
export function isErrorSpan(span) {
  return (span.tags || []).some((t) =>
    (t.key === 'error' && (t.value === true || t.value === 'true')) ||
    (t.key === 'otel.status_code' && t.value === 'ERROR'));
}

export function findTag(tags, key) {
  const tag = (tags || []).find((t) => t.key === key);
  return tag ? tag.value : undefined;
}

export function buildTrace(trace) {
  const processes = trace.processes || {};
  const nodes = new Map();
  for (const span of trace.spans || []) {
    nodes.set(span.spanID, {
      span,
      process: processes[span.processID] || {serviceName: 'unknown', tags: []},
      service: processes[span.processID]?.serviceName || 'unknown',
      error: isErrorSpan(span),
      children: [],
      parent: null,
      depth: 0,
    });
  }
  for (const node of nodes.values()) {
    const ref = (node.span.references || []).find(
        (r) => r.refType === 'CHILD_OF' && r.traceID === node.span.traceID);
    const parent = ref && nodes.get(ref.spanID);
    if (parent && parent !== node) {
      node.parent = parent;
      parent.children.push(node);
    }
  }
  const byStart = (a, b) => a.span.startTime - b.span.startTime;
  // Spans whose parent never arrived are drawn as roots, as Jaeger does.
  let roots = [...nodes.values()].filter((n) => !n.parent).sort(byStart);
  const ordered = [];
  const seen = new Set();
  const walk = (rootList) => {
    // Iterative, so a very deep trace cannot overflow the JS stack.
    const stack = [...rootList].reverse().map((n) => [n, 0]);
    while (stack.length) {
      const [node, depth] = stack.pop();
      if (seen.has(node)) continue;
      seen.add(node);
      node.depth = depth;
      ordered.push(node);
      const children = node.children.sort(byStart);
      for (let i = children.length - 1; i >= 0; i--) stack.push([children[i], depth + 1]);
    }
  };
  walk(roots);
  // Parent cycles (bad input) leave spans unreachable from any root: show
  // them as roots rather than hide them.
  const orphans = [...nodes.values()].filter((n) => !seen.has(n)).sort(byStart);
  for (const n of orphans) {
    if (seen.has(n)) continue;
    n.parent = null;
    roots = [...roots, n];
    walk([n]);
  }

  const spans = [...nodes.values()];
  const start = Math.min(...spans.map((n) => n.span.startTime));
  const end = Math.max(...spans.map((n) => n.span.startTime + n.span.duration));
  const services = [...new Set(ordered.map((n) => n.service))];
  const colors = serviceColors(services);
  return {
    traceID: trace.traceID,
    nodes: ordered,
    byId: nodes,
    roots,
    root: roots[0],
    start,
    end,
    duration: Math.max(end - start, 0),
    services,
    colors,
    // Log records may name a service that sent no span of this trace.
    colorOf: (name) => colors.get(name) || '#9aa1ad',
    errorCount: spans.filter((n) => n.error).length,
    maxDepth: Math.max(0, ...ordered.map((n) => n.depth)) + 1,
  };
}

// One line of the result list.
export function summarize(trace) {
  const model = buildTrace(trace);
  const spansPerService = new Map();
  for (const n of model.nodes) {
    spansPerService.set(n.service, (spansPerService.get(n.service) || 0) + 1);
  }
  return {
    traceID: model.traceID,
    rootService: model.root ? model.root.service : 'unknown',
    rootOperation: model.root ? model.root.span.operationName : '(no spans)',
    spanCount: model.nodes.length,
    errorCount: model.errorCount,
    start: model.start,
    duration: model.duration,
    services: [...spansPerService.entries()].sort((a, b) => a[0].localeCompare(b[0])),
  };
}
