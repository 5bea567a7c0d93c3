#include "traceview/trace_spans.h"

#include <algorithm>
#include <map>

namespace agenthub::traceview {
namespace {

using nlohmann::json;

std::string Text(const json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

std::vector<std::string> Exceptions(const json& span) {
  std::vector<std::string> found;
  for (const json& log : span.value("logs", json::array())) {
    std::map<std::string, std::string> fields;
    for (const json& f : log.value("fields", json::array())) {
      fields[f.value("key", "")] = Text(f.value("value", json()));
    }
    if (fields["event"] != "exception") continue;
    const std::string& type = fields["exception.type"];
    found.push_back((type.empty() ? "" : type + ": ") + fields["exception.message"]);
  }
  return found;
}

TraceSpan ReadSpan(const json& s, const json& processes) {
  TraceSpan v;
  v.id = s.value("spanID", "");
  v.trace_id = s.value("traceID", "");
  v.name = s.value("operationName", "");
  v.start_us = s.value("startTime", int64_t{0});
  v.duration_us = s.value("duration", int64_t{0});
  const std::string process = s.value("processID", "");
  if (processes.is_object() && processes.contains(process)) {
    v.service = processes[process].value("serviceName", "");
  }
  for (const json& ref : s.value("references", json::array())) {
    if (ref.value("refType", "") == "CHILD_OF") {
      v.parent = ref.value("spanID", "");
      break;
    }
  }
  for (const json& tag : s.value("tags", json::array())) {
    v.tags.emplace_back(tag.value("key", ""), Text(tag.value("value", json())));
  }
  v.error = v.Tag("otel.status_code") == "ERROR" || v.Tag("error") == "true";
  v.error_message = v.Tag("otel.status_description");
  v.exceptions = Exceptions(s);
  return v;
}

}  // namespace

std::string TraceSpan::Tag(std::string_view key) const {
  for (const auto& [k, value] : tags) {
    if (k == key) return value;
  }
  return "";
}

bool TraceSpan::HasTag(std::string_view key) const {
  return std::any_of(tags.begin(), tags.end(), [&](const auto& tag) { return tag.first == key; });
}

bool ReadJaegerSpans(const json& trace, std::vector<TraceSpan>* spans, std::string* error) {
  try {
    spans->clear();
    const json& processes = trace.value("processes", json::object());
    for (const json& s : trace.at("spans")) spans->push_back(ReadSpan(s, processes));
    std::stable_sort(spans->begin(), spans->end(), [](const TraceSpan& a, const TraceSpan& b) {
      return a.start_us < b.start_us;
    });
    return true;
  } catch (const json::exception& e) {
    *error = std::string("unexpected trace JSON: ") + e.what();
    return false;
  }
}

}  // namespace agenthub::traceview
