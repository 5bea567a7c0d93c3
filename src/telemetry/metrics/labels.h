// Attributes as Prometheus labels, the conversion every unbound record and
// every Bind() goes through.
#pragma once

#include <prometheus/labels.h>

#include "telemetry/common/attribute.h"

namespace agenthub::telemetry {

// Keys become label names by PrometheusLabelName (never throws); values are
// rendered as text (arrays as [a, b]). Empty keys are dropped. When two keys
// map to one label name (a.b and a_b), their values are joined with ';' in
// the order of the original keys, as the OpenTelemetry Prometheus
// compatibility rules ask; a key given twice keeps its last value.
prometheus::Labels AttributesToLabels(const Attributes& attributes, bool histogram = false);

}  // namespace agenthub::telemetry
