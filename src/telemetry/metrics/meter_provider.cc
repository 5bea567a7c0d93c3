#include "telemetry/metrics/meter_provider.h"

#include <prometheus/text_serializer.h>

#include <mutex>
#include <utility>

#include "telemetry/metrics/callback_collectable.h"
#include "telemetry/metrics/labels.h"
#include "telemetry/metrics/meter_core.h"
#include "telemetry/metrics/process_metrics.h"
#include "telemetry/metrics/trace_self_metrics.h"

namespace agenthub::telemetry {
namespace {

// OpenTelemetry's Prometheus mapping puts resource attributes on a
// constant-1 "target_info" gauge rather than on every series.
std::shared_ptr<const prometheus::Collectable> TargetInfo(const Resource& resource) {
  MetricSample sample =
      GaugeSample("target_info", "Target metadata", 1, AttributesToLabels(resource.attributes()));
  return std::make_shared<CallbackCollectable>(
      [sample] { return std::vector<MetricSample>{sample}; });
}

}  // namespace

MeterProvider::MeterProvider() : MeterProvider(MeterProviderOptions{}) {}

MeterProvider::MeterProvider(MeterProviderOptions options)
    : core_(std::make_shared<internal::MeterCore>(std::move(options.resource), Now())) {
  if (options.target_info) core_->AddCollectable(TargetInfo(core_->resource()));
  if (options.process_metrics) core_->AddCollectable(std::make_shared<ProcessMetrics>());
  if (options.trace_self_metrics) core_->AddCollectable(TraceSelfMetrics::ForGlobalProvider());
}

MeterProvider::~MeterProvider() = default;

Meter MeterProvider::GetMeter(std::string_view name, std::string_view version,
                              std::string_view schema_url) {
  return Meter(core_, std::make_shared<const InstrumentationScope>(InstrumentationScope{
                          std::string(name), std::string(version), std::string(schema_url)}));
}

void MeterProvider::AddCollectable(std::shared_ptr<const prometheus::Collectable> collectable) {
  core_->AddCollectable(std::move(collectable));
}

bool MeterProvider::RemoveCollectable(const prometheus::Collectable* collectable) {
  return core_->RemoveCollectable(collectable);
}

std::vector<prometheus::MetricFamily> MeterProvider::Collect() const { return core_->Collect(); }

std::string MeterProvider::ScrapePrometheusText() const {
  return prometheus::TextSerializer().Serialize(core_->Collect());
}

std::vector<InstrumentDescriptor> MeterProvider::descriptors() const {
  return core_->Descriptors();
}

prometheus::Registry& MeterProvider::registry() { return core_->registry(); }
const Resource& MeterProvider::resource() const { return core_->resource(); }
Timestamp MeterProvider::start_time() const { return core_->start_time(); }

namespace {
std::mutex global_mutex;
std::shared_ptr<MeterProvider>& GlobalSlot() {
  // Leaked: instruments may be used during static destruction.
  static auto* slot = new std::shared_ptr<MeterProvider>();
  return *slot;
}
}  // namespace

void SetGlobalMeterProvider(std::shared_ptr<MeterProvider> provider) {
  std::lock_guard lock(global_mutex);
  GlobalSlot() = std::move(provider);
}

std::shared_ptr<MeterProvider> GlobalMeterProvider() {
  std::lock_guard lock(global_mutex);
  auto& slot = GlobalSlot();
  if (!slot) slot = std::make_shared<MeterProvider>();
  return slot;
}

}  // namespace agenthub::telemetry
