#include "telemetry/export/console_span_exporter.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <vector>

namespace agenthub::telemetry {
namespace {

constexpr const char* kBranch = "├── ";
constexpr const char* kLastBranch = "└── ";
constexpr const char* kPipe = "│   ";
constexpr const char* kBlank = "    ";

// A value with a line break would tear the tree apart, so breaks are escaped.
std::string OneLine(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else {
      out += c;
    }
  }
  return out;
}

bool StartsEarlier(const SpanData* a, const SpanData* b) { return a->start_time < b->start_time; }

// The spans of one trace within a batch, arranged as a forest.
class TraceForest {
 public:
  explicit TraceForest(std::vector<const SpanData*> spans) : spans_(std::move(spans)) {
    std::stable_sort(spans_.begin(), spans_.end(), StartsEarlier);
    std::map<SpanId, const SpanData*> by_id;
    for (const SpanData* span : spans_) by_id.emplace(span->context.span_id(), span);
    for (const SpanData* span : spans_) {
      if (span->has_parent() && by_id.contains(span->parent_span_id)) {
        children_[span->parent_span_id].push_back(span);
      } else {
        roots_.push_back(span);
      }
    }
    AdoptUnreachable();
  }

  const std::vector<const SpanData*>& roots() const { return roots_; }
  const std::vector<const SpanData*>& ChildrenOf(const SpanData& span) const {
    static const std::vector<const SpanData*> kNone;
    auto it = children_.find(span.context.span_id());
    return it == children_.end() ? kNone : it->second;
  }

 private:
  // Malformed input (parent links forming a cycle) leaves spans no root
  // reaches; each such cycle is cut at its earliest span, which becomes a root.
  void AdoptUnreachable() {
    std::set<const SpanData*> reached;
    for (const SpanData* root : roots_) Reach(root, reached);
    for (const SpanData* span : spans_) {
      if (reached.contains(span)) continue;
      auto& siblings = children_[span->parent_span_id];
      siblings.erase(std::remove(siblings.begin(), siblings.end(), span), siblings.end());
      roots_.push_back(span);
      Reach(span, reached);
    }
  }

  void Reach(const SpanData* span, std::set<const SpanData*>& reached) const {
    if (!reached.insert(span).second) return;
    for (const SpanData* child : ChildrenOf(*span)) Reach(child, reached);
  }

  std::vector<const SpanData*> spans_;  // sorted by start time
  std::vector<const SpanData*> roots_;
  std::map<SpanId, std::vector<const SpanData*>> children_;  // by parent span id
};

class TreeWriter {
 public:
  explicit TreeWriter(std::string& out) : out_(out) {}

  void WriteTrace(const TraceId& trace_id, const TraceForest& forest) {
    out_ += "Trace: " + trace_id.ToHex() + "\n";
    const auto& roots = forest.roots();
    for (size_t i = 0; i < roots.size(); ++i) {
      WriteSpan(*roots[i], forest, "", i + 1 == roots.size());
    }
  }

 private:
  void Line(const std::string& prefix, bool last, std::string_view text) {
    out_ += prefix;
    out_ += last ? kLastBranch : kBranch;
    out_ += text;
    out_ += '\n';
  }

  static std::string ChildPrefix(const std::string& prefix, bool last) {
    return prefix + (last ? kBlank : kPipe);
  }

  static std::string Header(const SpanData& span) {
    std::string header = OneLine(span.name);
    if (span.resource != nullptr) {
      std::string service = span.resource->service_name();
      if (!service.empty()) header += " (" + OneLine(service) + ")";
    }
    header += " [" + FormatDurationMs(span.end_time - span.start_time) + "] ";
    header += SpanKindName(span.kind);
    if (span.status.code == StatusCode::kError) {
      header += " ✗ ERROR";
      if (!span.status.description.empty()) header += ": " + OneLine(span.status.description);
    }
    return header;
  }

  void WriteAttributes(const Attributes& attributes, const std::string& prefix, size_t& remaining) {
    for (const auto& attribute : attributes) {
      Line(prefix, --remaining == 0,
           OneLine(attribute.key) + ": " + OneLine(AttributeValueToString(attribute.value)));
    }
  }

  void WriteEvent(const SpanEvent& event, const SpanData& span, const std::string& prefix,
                  bool last) {
    Line(prefix, last,
         "event: " + OneLine(event.name) + " (+" + FormatDurationMs(event.time - span.start_time) +
             ")");
    size_t remaining = event.attributes.size();
    WriteAttributes(event.attributes, ChildPrefix(prefix, last), remaining);
  }

  void WriteSpan(const SpanData& span, const TraceForest& forest, const std::string& prefix,
                 bool last) {
    // Defends against duplicate span ids, which could otherwise repeat a subtree.
    if (!written_.insert(&span).second) return;
    Line(prefix, last, Header(span));
    const std::string inner = ChildPrefix(prefix, last);
    std::vector<const SpanData*> children;
    for (const SpanData* child : forest.ChildrenOf(span)) {
      if (!written_.contains(child)) children.push_back(child);
    }
    size_t remaining = span.attributes.size() + span.events.size() + children.size();
    WriteAttributes(span.attributes, inner, remaining);
    for (const auto& event : span.events) WriteEvent(event, span, inner, --remaining == 0);
    for (const SpanData* child : children) WriteSpan(*child, forest, inner, --remaining == 0);
  }

  std::string& out_;
  std::set<const SpanData*> written_;
};

}  // namespace

std::string FormatDurationMs(std::chrono::nanoseconds duration) {
  const double ms = std::max<double>(0.0, static_cast<double>(duration.count()) / 1e6);
  const int decimals = ms < 1 ? 3 : ms < 10 ? 2 : ms < 1000 ? 1 : 0;
  char buf[48];
  std::snprintf(buf, sizeof(buf), "%.*fms", decimals, ms);
  return buf;
}

std::string FormatSpanTree(std::span<const SpanData* const> spans) {
  // Traces in order of first appearance in the batch.
  std::vector<TraceId> order;
  std::map<TraceId, std::vector<const SpanData*>> by_trace;
  for (const SpanData* span : spans) {
    if (span == nullptr) continue;
    auto [it, inserted] = by_trace.try_emplace(span->context.trace_id());
    if (inserted) order.push_back(span->context.trace_id());
    it->second.push_back(span);
  }
  std::string out;
  TreeWriter writer(out);
  for (const TraceId& trace_id : order) {
    writer.WriteTrace(trace_id, TraceForest(std::move(by_trace[trace_id])));
  }
  return out;
}

ExportResult ConsoleSpanExporter::Export(std::span<const SpanData* const> batch,
                                         Deadline /*deadline*/) {
  // Formatted outside the lock: only the write needs exclusion.
  std::string text = FormatSpanTree(batch);
  std::lock_guard lock(mu_);
  if (shut_down_) return ExportResult::kFailure;
  out_ << text << std::flush;
  return out_.good() ? ExportResult::kSuccess : ExportResult::kFailure;
}

bool ConsoleSpanExporter::ForceFlush(std::chrono::milliseconds /*timeout*/) {
  std::lock_guard lock(mu_);
  out_.flush();
  return out_.good();
}

bool ConsoleSpanExporter::Shutdown(std::chrono::milliseconds /*timeout*/) {
  std::lock_guard lock(mu_);
  shut_down_ = true;
  out_.flush();
  return true;
}

}  // namespace agenthub::telemetry
