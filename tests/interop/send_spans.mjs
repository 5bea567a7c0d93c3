// Sends one trace through the OpenTelemetry JavaScript SDK (not ours) and
// one of its OTLP trace exporters to an `agenthub collector`, then prints
// the spans exactly as the SDK finished them, as JSON, so that
// otel_js_interop_test.py can compare what the collector stored field by
// field.
//
//   node send_spans.mjs PROTOCOL ENDPOINT
//     PROTOCOL  grpc | http/protobuf | http/json
//     ENDPOINT  http://127.0.0.1:4317 (gRPC) or http://127.0.0.1:4318/v1/traces
//
// The trace covers every field OTLP carries for a span: attributes of every
// type (string, bool, int, double, and arrays of each), events with
// attributes and explicit times, links with attributes, every kind, OK and
// ERROR status with a message, a recorded exception, a remote parent with
// tracestate, resource attributes, and the instrumentation scope.
import {ROOT_CONTEXT, SpanKind, SpanStatusCode, trace} from '@opentelemetry/api';
import {TraceState} from '@opentelemetry/core';
import {OTLPTraceExporter as GrpcExporter} from '@opentelemetry/exporter-trace-otlp-grpc';
import {OTLPTraceExporter as JsonExporter} from '@opentelemetry/exporter-trace-otlp-http';
import {OTLPTraceExporter as ProtoExporter} from '@opentelemetry/exporter-trace-otlp-proto';
import {resourceFromAttributes} from '@opentelemetry/resources';
import {BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor}
  from '@opentelemetry/sdk-trace-base';

const [protocol, endpoint] = process.argv.slice(2);
const exporters = {
  'grpc': () => new GrpcExporter({url: endpoint}),
  'http/protobuf': () => new ProtoExporter({url: endpoint}),
  'http/json': () => new JsonExporter({url: endpoint}),
};
if (!exporters[protocol]) {
  console.error(`usage: send_spans.mjs grpc|http/protobuf|http/json ENDPOINT`);
  process.exit(2);
}

const exporter = exporters[protocol]();
const memory = new InMemorySpanExporter();
const provider = new BasicTracerProvider({
  resource: resourceFromAttributes({
    'service.name': `otel-js-${protocol.replace('/', '-')}`,
    'service.version': '9.8.7',
    'deployment.environment': 'interop',
    'host.cores': 2,
    'host.load': 0.75,
    'host.virtual': true,
    'host.tags': ['a', 'b'],
  }),
  spanProcessors: [new SimpleSpanProcessor(exporter), new SimpleSpanProcessor(memory)],
});
const tracer = provider.getTracer('agenthub-interop', '1.2.3');

// Fixed times with microsecond digits (and sub-microsecond ones, which the
// Jaeger API truncates), so the test sees they are not rounded to ms.
const base = Math.floor(Date.now() / 1000) - 30;
const at = (ms, extraNs = 0) => [base + Math.floor(ms / 1000), (ms % 1000) * 1e6 + extraNs];

const attributes = {
  'string.attr': 'héllo wörld',
  'empty.string': '',
  'bool.true': true,
  'bool.false': false,
  'int.attr': 42,
  'int.negative': -7,
  'int.large': 9007199254740991,
  'double.attr': 3.25,
  'double.negative': -0.5,
  'string.array': ['x', 'y', 'z'],
  'bool.array': [true, false],
  'int.array': [1, 2, 3],
  'double.array': [1.5, 2.5],
};

const root = tracer.startSpan('interop-root', {kind: SpanKind.SERVER, attributes,
  startTime: at(0, 123456)});
root.addEvent('request.received', {'event.bytes': 512, 'event.ok': true, 'event.note': 'first'},
    at(1, 500000));
root.addEvent('no-attributes', at(2));
const rootContext = trace.setSpan(ROOT_CONTEXT, root);

const client = tracer.startSpan('interop-client', {kind: SpanKind.CLIENT,
  attributes: {'peer.service': 'payments', 'retry': 1}, startTime: at(10, 250000)}, rootContext);
client.recordException({name: 'TimeoutError', message: 'deadline exceeded after 5s',
  stack: 'TimeoutError: deadline exceeded\n    at call (client.js:1:1)'}, at(40));
client.setStatus({code: SpanStatusCode.ERROR, message: 'payment call failed'});
client.end(at(45, 999));

const producer = tracer.startSpan('interop-producer', {kind: SpanKind.PRODUCER,
  startTime: at(50),
  links: [{context: client.spanContext(), attributes: {'link.reason': 'retry-of',
    'link.count': 2}}]}, rootContext);
producer.setStatus({code: SpanStatusCode.OK});
producer.end(at(55));

const consumer = tracer.startSpan('interop-consumer', {kind: SpanKind.CONSUMER, startTime: at(60)},
    trace.setSpan(rootContext, producer));
consumer.end(at(70));

const internal = tracer.startSpan('interop-internal', {kind: SpanKind.INTERNAL, startTime: at(72)},
    rootContext);
internal.updateName('interop-internal-renamed');
internal.end(at(73));
root.end(at(100, 654321));

// A span under a remote parent (as when a request arrives with traceparent
// and tracestate): its own trace, a parent id not in the store, tracestate.
const remote = trace.setSpanContext(ROOT_CONTEXT, {
  traceId: root.spanContext().traceId.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')),
  spanId: '00f067aa0ba902b7', traceFlags: 1, isRemote: true,
  traceState: new TraceState('vendor1=value1,vendor2=value2'),
});
const remoteChild = tracer.startSpan('interop-remote-child',
    {kind: SpanKind.SERVER, startTime: at(200)}, remote);
remoteChild.end(at(210));

// Taken before shutdown, which empties the in-memory exporter.
await provider.forceFlush();
const finished = memory.getFinishedSpans();
await provider.shutdown();

// What the SDK produced, in plain JSON (times as decimal nanoseconds).
// BigInt: nanoseconds since 1970 do not fit a double's 53 bits.
const ns = (t) => String(BigInt(t[0]) * 1000000000n + BigInt(t[1]));
const spans = finished.map((s) => ({
  traceId: s.spanContext().traceId,
  spanId: s.spanContext().spanId,
  traceFlags: s.spanContext().traceFlags,
  traceState: s.spanContext().traceState ? s.spanContext().traceState.serialize() : '',
  parentSpanId: s.parentSpanContext ? s.parentSpanContext.spanId : '',
  name: s.name,
  kind: s.kind,
  startTimeUnixNano: ns(s.startTime),
  endTimeUnixNano: ns(s.endTime),
  attributes: s.attributes,
  events: s.events.map((e) => ({name: e.name, timeUnixNano: ns(e.time),
    attributes: e.attributes || {}})),
  links: s.links.map((l) => ({traceId: l.context.traceId, spanId: l.context.spanId,
    attributes: l.attributes || {}})),
  status: {code: s.status.code, message: s.status.message || ''},
  resource: s.resource.attributes,
  scope: {name: s.instrumentationScope.name, version: s.instrumentationScope.version || ''},
}));
console.log(JSON.stringify({protocol, spans}));
