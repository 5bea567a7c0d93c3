// The entity producing telemetry (OpenTelemetry Resource): service name,
// version, environment, host, process and SDK attributes.
#pragma once

#include <string>
#include <string_view>

#include "telemetry/common/attribute.h"

namespace agenthub::telemetry {

class Resource {
 public:
  Resource() = default;
  explicit Resource(Attributes attributes, std::string schema_url = {});

  // The SDK's defaults: service.name=unknown_service:<executable>,
  // telemetry.sdk.{name,language,version}, host.name, process.pid,
  // process.executable.name, process.runtime.*.
  static Resource Default();

  // Attributes from OTEL_RESOURCE_ATTRIBUTES (key=value pairs separated by
  // commas, keys and values percent-decoded) and OTEL_SERVICE_NAME (which
  // wins over service.name from the list). As the specification asks, a
  // malformed list is reported and discarded whole; OTEL_SERVICE_NAME still
  // applies.
  static Resource FromEnvironment();

  // Default() merged with `service` (service.name, service.version,
  // deployment.environment.name and the older deployment.environment, empty
  // ones skipped), then with FromEnvironment(). The arguments are the
  // program's built-in defaults, so the operator's OTEL_SERVICE_NAME and
  // OTEL_RESOURCE_ATTRIBUTES have the last word (`OTEL_SERVICE_NAME=x
  // agenthub broker` renames the broker), a deliberate choice over the
  // resource specification's "code-provided wins".
  static Resource Create(std::string_view service_name, std::string_view service_version = {},
                         std::string_view deployment_environment = {});

  // A new resource with the attributes of both; on conflicting keys `updating`
  // wins. The schema URL is kept when only one side has it or both agree.
  Resource Merge(const Resource& updating) const;

  const Attributes& attributes() const { return attributes_; }
  const std::string& schema_url() const { return schema_url_; }
  // The string value of an attribute, or "" when absent or not a string.
  std::string GetString(std::string_view key) const;
  std::string service_name() const { return GetString("service.name"); }

  friend bool operator==(const Resource&, const Resource&) = default;

 private:
  Attributes attributes_;
  std::string schema_url_;
};

// Parses the OTEL_RESOURCE_ATTRIBUTES format (exposed for tests).
// Returns false and leaves a message in *error for a malformed pair; the
// well-formed pairs are still added to *out.
bool ParseResourceAttributes(std::string_view text, Attributes* out, std::string* error);

}  // namespace agenthub::telemetry
