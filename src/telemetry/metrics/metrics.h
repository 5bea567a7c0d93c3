// agenthub::telemetry metrics: the front door of src/telemetry/metrics.
//
//   MeterProvider provider({.resource = Resource::Create("broker")});
//     ├ Meter meter = provider.GetMeter("agenthub.broker", "1.0")
//     │   ├ Int64Counter / DoubleCounter        .Add(v, attrs)   .Bind(attrs).Add(v)
//     │   ├ Int64UpDownCounter / Double...      .Add(+-v, attrs)
//     │   ├ Int64Gauge / DoubleGauge            .Set(v, attrs)
//     │   ├ Histogram (explicit buckets)        .Record(v, attrs)
//     │   └ Observable{Counter,UpDownCounter,Gauge}  callback at collection
//     ├ ScrapePrometheusText()                  /metrics, with process_* and
//     │                                         agenthub_trace_* included
//     └ Collect()                               what the OTLP exporter pushes
//
// Names follow Prometheus conventions (prometheus_naming.h): checked when an
// instrument is created, never when it records.
#pragma once

#include "telemetry/metrics/callback_collectable.h"
#include "telemetry/metrics/histogram_buckets.h"
#include "telemetry/metrics/instrument_descriptor.h"
#include "telemetry/metrics/instruments.h"
#include "telemetry/metrics/meter.h"
#include "telemetry/metrics/meter_provider.h"
#include "telemetry/metrics/observable.h"
#include "telemetry/metrics/process_metrics.h"
#include "telemetry/metrics/prometheus_naming.h"
#include "telemetry/metrics/trace_self_metrics.h"
