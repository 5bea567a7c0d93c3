#include "traceview/trace_tree.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

#include "telemetry/telemetry.h"

namespace agenthub::traceview {
namespace {

using nlohmann::json;

// Trees deeper than this are cut (a cycle of parent ids, or abuse).
constexpr int kMaxDepth = 64;

// One drawn span: its header line, then detail lines indented under it.
struct TreeSpan {
  std::string id;
  std::string parent;
  std::string header;
  std::vector<std::string> details;
};

std::string Duration(int64_t us) {
  return telemetry::FormatGoDuration(std::chrono::microseconds(std::max<int64_t>(us, 0)));
}

// "name (service) [duration]", plus " ✗ ERROR: message" for a failed span.
std::string SpanHeader(const TraceSpan& s) {
  std::string header = s.name + " (" + s.service + ") [" + Duration(s.duration_us) + "]";
  if (s.error) header += " ✗ ERROR" + (s.error_message.empty() ? "" : ": " + s.error_message);
  return header;
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

bool IsDerivedTag(std::string_view key) {
  return key == "span.kind" || key == "otel.status_code" || key == "otel.status_description" ||
         key == "error" || key == "otel.scope.name" || key == "otel.scope.version" ||
         key == "w3c.tracestate";
}

TreeStyle FullTreeStyle() {
  return {.show_tag = [](std::string_view key) { return !IsDerivedTag(key); },
          .show_exceptions = false};
}

std::string RenderSpanTree(const std::vector<TraceSpan>& spans, const TreeStyle& style) {
  std::vector<TreeSpan> tree;
  for (const TraceSpan& s : spans) {
    TreeSpan& node = tree.emplace_back();
    node.id = s.id;
    node.parent = s.parent;
    node.header = SpanHeader(s);
    for (const auto& [key, value] : s.tags) {
      if (!style.show_tag || style.show_tag(key)) node.details.push_back(key + ": " + value);
    }
    if (style.show_exceptions) {
      for (const auto& e : s.exceptions) node.details.push_back("exception: " + e);
    }
  }
  return TreeDrawer(tree).Draw();
}

bool RenderTraceTree(const json& trace, std::string* out, std::string* error) {
  std::vector<TraceSpan> spans;
  if (!ReadJaegerSpans(trace, &spans, error)) return false;
  const auto id = trace.find("traceID");
  *out = "Trace: " + (id != trace.end() && id->is_string() ? id->get<std::string>() : "") + "\n" +
         RenderSpanTree(spans, FullTreeStyle());
  return true;
}

bool RenderTraceList(const json& traces, std::string* out, std::string* error) {
  try {
    std::string text = Pad("TRACE ID", 34) + Pad("ROOT", 28) + Pad("SERVICES", 44) +
                       Pad("SPANS", 7) + Pad("DURATION", 14) + Pad("ERRORS", 8) + "START (UTC)\n";
    for (const json& trace : traces) {
      std::vector<TraceSpan> spans;
      if (!ReadJaegerSpans(trace, &spans, error)) return false;
      if (spans.empty()) continue;
      std::set<std::string> ids;
      for (const auto& s : spans) ids.insert(s.id);
      const TraceSpan* root = &spans.front();
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

}  // namespace agenthub::traceview
