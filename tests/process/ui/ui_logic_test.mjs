// The UI's logic without a browser (node --test): the pure modules under
// src/collector/ui/assets/js/ that parse what the user types and shape a
// trace for the waterfall. Registered with ctest as ui_logic.
import assert from 'node:assert/strict';
import path from 'node:path';
import {test} from 'node:test';
import {fileURLToPath, pathToFileURL} from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const js = path.join(here, '..', '..', '..', 'src', 'collector', 'ui', 'assets', 'js');
const load = (name) => import(pathToFileURL(path.join(js, name)).href);
const format = await load('format.js');
const model = await load('model.js');

test('durations read as the API takes them', () => {
  assert.equal(format.parseDuration('100ms'), 100e3);
  assert.equal(format.parseDuration('1.5s'), 1.5e6);
  assert.equal(format.parseDuration('1h30m'), 5400e6);
  assert.equal(format.parseDuration('250us'), 250);
  assert.equal(format.parseDuration('10'), null, 'a unit is required');
  assert.equal(format.parseDuration('10 ms'), null);
  assert.equal(format.parseDuration(''), null);
});

test('durations print with three significant digits at most', () => {
  assert.equal(format.formatDuration(0), '0µs');
  assert.equal(format.formatDuration(999), '999µs');
  assert.equal(format.formatDuration(1234), '1.23ms');
  assert.equal(format.formatDuration(120000), '120ms');
  assert.equal(format.formatDuration(2.5e6), '2.5s');
  assert.equal(format.formatDuration(90e6), '1m30s');
});

test('tags are logfmt with quoted values', () => {
  assert.deepEqual(format.parseLogfmt('error=true http.status_code=500'),
      {'error': 'true', 'http.status_code': '500'});
  assert.deepEqual(format.parseLogfmt('msg="two words" x=1'), {msg: 'two words', x: '1'});
  assert.deepEqual(format.parseLogfmt('q="say \\"hi\\""'), {q: 'say "hi"'});
  assert.deepEqual(format.parseLogfmt('   '), {});
  assert.throws(() => format.parseLogfmt('error'), /key=value/);
});

test('services shown together get distinct colours, stable across calls', () => {
  const names = Array.from({length: 12}, (_, i) => `service-${i}`);
  const colors = format.serviceColors(names);
  assert.equal(new Set(colors.values()).size, 12);
  assert.deepEqual(format.serviceColors([...names].reverse()), colors);
});

const span = (id, parent, start, duration, extra = {}) => ({
  traceID: 't', spanID: id, operationName: `op-${id}`, startTime: start, duration,
  processID: 'p1', tags: [], logs: [],
  references: parent ? [{refType: 'CHILD_OF', traceID: 't', spanID: parent}] : [], ...extra,
});

test('spans are ordered depth-first, children by start time', () => {
  const m = model.buildTrace({traceID: 't', processes: {p1: {serviceName: 's'}}, spans: [
    span('c2', 'root', 50, 10), span('root', null, 0, 100), span('c1', 'root', 10, 10),
    span('g1', 'c1', 12, 2)]});
  assert.deepEqual(m.nodes.map((n) => [n.span.spanID, n.depth]),
      [['root', 0], ['c1', 1], ['g1', 2], ['c2', 1]]);
  assert.equal(m.duration, 100);
  assert.equal(m.maxDepth, 3);
});

test('a span whose parent is missing is drawn as a root', () => {
  const m = model.buildTrace({traceID: 't', processes: {}, spans: [
    span('a', 'gone', 5, 1), span('b', null, 0, 10)]});
  assert.deepEqual(m.roots.map((n) => n.span.spanID), ['b', 'a']);
  assert.equal(m.nodes[1].service, 'unknown');
});

test('parent cycles do not hide spans', () => {
  const m = model.buildTrace({traceID: 't', processes: {}, spans: [
    span('a', 'b', 0, 1), span('b', 'a', 1, 1), span('r', null, 2, 1)]});
  assert.equal(m.nodes.length, 3);
});

test('errors are the error tag or an ERROR status', () => {
  assert.ok(model.isErrorSpan({tags: [{key: 'error', type: 'bool', value: true}]}));
  assert.ok(model.isErrorSpan({tags: [{key: 'otel.status_code', value: 'ERROR'}]}));
  assert.ok(!model.isErrorSpan({tags: [{key: 'otel.status_code', value: 'OK'}]}));
  assert.ok(!model.isErrorSpan({tags: [{key: 'error', type: 'bool', value: false}]}));
});

test('a result line summarizes root, services, spans and errors', () => {
  const s = model.summarize({traceID: 't',
    processes: {p1: {serviceName: 'web'}, p2: {serviceName: 'db'}},
    spans: [span('root', null, 0, 100),
      span('q', 'root', 10, 20, {processID: 'p2', tags: [{key: 'error', value: true}]})]});
  assert.equal(s.rootService, 'web');
  assert.equal(s.rootOperation, 'op-root');
  assert.equal(s.spanCount, 2);
  assert.equal(s.errorCount, 1);
  assert.deepEqual(s.services, [['db', 1], ['web', 1]]);
});
