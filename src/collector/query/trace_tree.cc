#include "collector/query/trace_tree.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <set>
#include <vector>

#include "ops/go_duration.h"
#include "telemetry/common/clock.h"
#include "telemetry/common/time_format.h"

namespace agenthub::collector {
namespace {

using nlohmann::json;

// Trees deeper than this are cut (a cycle of parent ids, or abuse).
constexpr int kMaxDepth = 64;

struct SpanView {
  std::string id;
  std::string parent;  // "" for a root
  std::string name;
  std::string service;
  int64_t start_us = 0;
  int64_t duration_us = 0;
  bool error = false;
  std::string error_message;
  std::vector<std::pair<std::string, std::string>> attributes;
};

std::string TagValue(const json& tag) {
  const json& value = tag.contains("value") ? tag["value"] : json();
  return value.is_string() ? value.get<std::string>() : value.dump();
}

std::string Duration(int64_t us) {
  return ops::FormatGoDuration(std::chrono::microseconds(std::max<int64_t>(us, 0)));
}

// Tags that restate the span's kind, status or scope: shown as the error
// mark, or not at all, rather than as attributes.
bool IsDerivedTag(const std::string& key) {
  return key == "span.kind" || key == "otel.status_code" || key == "otel.status_description" ||
         key == "error" || key == "otel.scope.name" || key == "otel.scope.version" ||
         key == "w3c.tracestate";
}

std::vector<SpanView> ReadSpans(const json& trace) {
  std::vector<SpanView> spans;
  const json& processes = trace.value("processes", json::object());
  for (const json& s : trace.at("spans")) {
    SpanView v;
    v.id = s.value("spanID", "");
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
      const std::string key = tag.value("key", "");
      if (key == "error" && TagValue(tag) == "true") v.error = true;
      if (key == "otel.status_code" && TagValue(tag) == "ERROR") v.error = true;
      if (key == "otel.status_description") v.error_message = TagValue(tag);
      if (!IsDerivedTag(key)) v.attributes.emplace_back(key, TagValue(tag));
    }
    spans.push_back(std::move(v));
  }
  std::stable_sort(spans.begin(), spans.end(),
                   [](const SpanView& a, const SpanView& b) { return a.start_us < b.start_us; });
  return spans;
}

class TreeDrawer {
 public:
  explicit TreeDrawer(const std::vector<TreeSpan>& spans) : spans_(spans) {
    std::set<std::string> ids;
    for (const auto& s : spans) ids.insert(s.id);
    for (size_t i = 0; i < spans.size(); ++i) {
      const bool root =
          spans[i].parent.empty() || !ids.count(spans[i].parent) || spans[i].parent == spans[i].id;
      (root ? roots_ : children_[spans[i].parent]).push_back(i);
    }
  }

  std::string Draw() {
    for (size_t i = 0; i < roots_.size(); ++i) Node(roots_[i], "", i + 1 == roots_.size(), 0);
    return out_;
  }

 private:
  void Node(size_t index, const std::string& prefix, bool last, int depth) {
    const TreeSpan& s = spans_[index];
    out_ += prefix + (last ? "└── " : "├── ") + s.header + "\n";
    const std::string inner = prefix + (last ? "    " : "│   ");
    const auto& kids = children_[s.id];
    if (depth >= kMaxDepth) {
      if (!kids.empty()) out_ += inner + "└── … (deeper spans not shown)\n";
      return;
    }
    for (size_t i = 0; i < s.details.size(); ++i) {
      const bool last_line = i + 1 == s.details.size() && kids.empty();
      out_ += inner + (last_line ? "└── " : "├── ") + s.details[i] + "\n";
    }
    for (size_t i = 0; i < kids.size(); ++i) {
      Node(kids[i], inner, i + 1 == kids.size(), depth + 1);
    }
  }

  const std::vector<TreeSpan>& spans_;
  std::vector<size_t> roots_;
  std::map<std::string, std::vector<size_t>> children_;
  std::string out_;
};

std::string Pad(std::string text, size_t width) {
  if (text.size() > width) return text.substr(0, width - 1) + "…";
  text.resize(width, ' ');
  return text;
}

}  // namespace

std::string DrawSpanTree(const std::vector<TreeSpan>& spans) { return TreeDrawer(spans).Draw(); }

std::string SpanHeader(const std::string& name, const std::string& service, int64_t duration_us,
                       bool error, const std::string& error_message) {
  std::string header = name + " (" + service + ") [" + Duration(duration_us) + "]";
  if (error) header += " ✗ ERROR" + (error_message.empty() ? "" : ": " + error_message);
  return header;
}

bool RenderTraceTree(const json& trace, std::string* out, std::string* error) {
  try {
    std::vector<TreeSpan> tree;
    for (const SpanView& s : ReadSpans(trace)) {
      TreeSpan& node = tree.emplace_back();
      node.id = s.id;
      node.parent = s.parent;
      node.header = SpanHeader(s.name, s.service, s.duration_us, s.error, s.error_message);
      for (const auto& [key, value] : s.attributes) node.details.push_back(key + ": " + value);
    }
    *out = "Trace: " + trace.value("traceID", std::string()) + "\n" + DrawSpanTree(tree);
    return true;
  } catch (const json::exception& e) {
    *error = std::string("unexpected trace JSON: ") + e.what();
    return false;
  }
}

bool RenderTraceList(const json& traces, std::string* out, std::string* error) {
  try {
    std::string text = Pad("TRACE ID", 34) + Pad("ROOT", 28) + Pad("SERVICES", 44) +
                       Pad("SPANS", 7) + Pad("DURATION", 14) + Pad("ERRORS", 8) + "START (UTC)\n";
    for (const json& trace : traces) {
      const auto spans = ReadSpans(trace);
      if (spans.empty()) continue;
      std::set<std::string> ids;
      for (const auto& s : spans) ids.insert(s.id);
      const SpanView* root = &spans.front();
      for (const auto& s : spans) {
        if (s.parent.empty() || !ids.count(s.parent)) {
          root = &s;
          break;
        }
      }
      std::set<std::string> services;
      int64_t start = spans.front().start_us;
      int64_t end = start;
      int errors = 0;
      for (const auto& s : spans) {
        services.insert(s.service);
        end = std::max(end, s.start_us + s.duration_us);
        errors += s.error ? 1 : 0;
      }
      std::string service_list;
      for (const auto& s : services) service_list += (service_list.empty() ? "" : ",") + s;
      std::string when =
          telemetry::FormatRfc3339Nanos(telemetry::Timestamp(std::chrono::microseconds(start)));
      text += Pad(trace.value("traceID", std::string()), 34) + Pad(root->name, 28) +
              Pad(service_list, 44) + Pad(std::to_string(spans.size()), 7) +
              Pad(Duration(end - start), 14) + Pad(errors ? std::to_string(errors) : "-", 8) +
              when + "\n";
    }
    *out = std::move(text);
    return true;
  } catch (const json::exception& e) {
    *error = std::string("unexpected traces JSON: ") + e.what();
    return false;
  }
}

}  // namespace agenthub::collector
