// Resource values and Merge (OpenTelemetry resource SDK). Default() and
// FromEnvironment() live in their own files: they detect, this file combines.
#include "telemetry/resource/resource.h"

#include <string>
#include <utility>
#include <variant>

#include "telemetry/common/diagnostics.h"

namespace agenthub::telemetry {
namespace {

// Keys stay unique: a later value replaces an earlier one in place, so the
// order in which attributes first appeared is kept.
void Upsert(Attributes& attributes, Attribute attribute) {
  for (Attribute& existing : attributes) {
    if (existing.key == attribute.key) {
      existing.value = std::move(attribute.value);
      return;
    }
  }
  attributes.push_back(std::move(attribute));
}

}  // namespace

Resource::Resource(Attributes attributes, std::string schema_url)
    : schema_url_(std::move(schema_url)) {
  attributes_.reserve(attributes.size());
  for (Attribute& attribute : attributes) {
    if (attribute.key.empty()) continue;  // not a valid attribute key
    Upsert(attributes_, std::move(attribute));
  }
}

Resource Resource::Merge(const Resource& updating) const {
  Resource merged = *this;
  // The updating value wins even when it is an empty string (the
  // specification is explicit about that case).
  for (const Attribute& attribute : updating.attributes_) Upsert(merged.attributes_, attribute);

  if (schema_url_.empty()) {
    merged.schema_url_ = updating.schema_url_;
  } else if (!updating.schema_url_.empty() && updating.schema_url_ != schema_url_) {
    // A merging error whose result the specification leaves to the
    // implementation. We keep every attribute (dropping either side would
    // lose data the caller asked for) and no schema URL, since either URL
    // would misdescribe half of the attributes.
    ReportWarning("merging resources with different schema URLs (" + schema_url_ + " and " +
                  updating.schema_url_ + "); the merged resource has no schema URL");
    merged.schema_url_.clear();
  }
  return merged;
}

std::string Resource::GetString(std::string_view key) const {
  const AttributeValue* value = FindAttribute(attributes_, key);
  if (value == nullptr) return {};
  const std::string* text = std::get_if<std::string>(value);
  return text != nullptr ? *text : std::string();
}

// The environment is merged last, deliberately: the arguments are the
// program's built-in defaults, and an operator's OTEL_SERVICE_NAME or
// OTEL_RESOURCE_ATTRIBUTES must be able to rename a service or relabel its
// environment without a rebuild.
//
// The environment is recorded under both deployment.environment.name (the
// current semantic conventions, stable) and deployment.environment (its
// deprecated predecessor, which many backends and dashboards still read).
Resource Resource::Create(std::string_view service_name, std::string_view service_version,
                          std::string_view deployment_environment) {
  Attributes service;
  if (!service_name.empty()) service.emplace_back("service.name", service_name);
  if (!service_version.empty()) service.emplace_back("service.version", service_version);
  if (!deployment_environment.empty()) {
    service.emplace_back("deployment.environment.name", deployment_environment);
    service.emplace_back("deployment.environment", deployment_environment);
  }
  return Default().Merge(Resource(std::move(service))).Merge(FromEnvironment());
}

}  // namespace agenthub::telemetry
