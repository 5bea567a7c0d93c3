#include "telemetry/metrics/prometheus_naming.h"

#include <array>
#include <stdexcept>
#include <vector>

namespace agenthub::telemetry {
namespace {

// OpenTelemetry's instrument-name limit; Prometheus has none.
constexpr size_t kMaxNameLength = 255;

[[noreturn]] void Fail(std::string_view name, std::string_view problem) {
  throw std::invalid_argument("metric instrument '" + std::string(name) +
                              "': " + std::string(problem));
}

bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Rule 1: the character set, with '.' mapped to '_'.
std::string NormalizeCharacters(std::string_view name) {
  if (name.empty()) Fail(name, "the name is empty");
  if (name.size() > kMaxNameLength) Fail(name, "the name is longer than 255 characters");
  if (!IsLower(name[0])) Fail(name, "the name must start with a lowercase ASCII letter");
  std::string out;
  out.reserve(name.size() + 16);
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (IsLower(c) || IsDigit(c) || c == '_') {
      out.push_back(c);
    } else if (c == '.') {
      out.push_back('_');
    } else if (IsUpper(c)) {
      Fail(name, "uppercase letter at position " + std::to_string(i) +
                     ": Prometheus names are snake_case");
    } else if (c == ':') {
      Fail(name, "':' is reserved for Prometheus recording rules");
    } else {
      Fail(name, "character '" + std::string(1, c) + "' at position " + std::to_string(i) +
                     " is not allowed (use a-z, 0-9, '_' or '.')");
    }
  }
  return out;
}

struct UnitWords {
  std::string_view ucum;
  std::string_view plural;    // as a name suffix: _seconds
  std::string_view singular;  // after "per": _per_second
};

// Base units only: Prometheus names never carry scaled units.
constexpr std::array<UnitWords, 12> kBaseUnits{{
    {"s", "seconds", "second"},
    {"By", "bytes", "byte"},
    {"%", "percent", "percent"},
    {"m", "meters", "meter"},
    {"g", "grams", "gram"},
    {"Cel", "celsius", "celsius"},
    {"K", "kelvin", "kelvin"},
    {"V", "volts", "volt"},
    {"A", "amperes", "ampere"},
    {"J", "joules", "joule"},
    {"W", "watts", "watt"},
    {"Hz", "hertz", "hertz"},
}};

// Rate denominators: "per minute" is a unit of its own, not a scaled second.
constexpr std::array<UnitWords, 4> kPerTimeUnits{{
    {"s", "seconds", "second"},
    {"min", "minutes", "minute"},
    {"h", "hours", "hour"},
    {"d", "days", "day"},
}};

constexpr std::array<std::string_view, 17> kScaledUnits{
    "ms",  "us",  "ns",   "min",  "h",    "d",    "KBy", "MBy", "GBy",
    "TBy", "kBy", "KiBy", "MiBy", "GiBy", "TiBy", "bit", "mBy"};

bool IsAnnotation(std::string_view unit) {
  return unit.size() >= 2 && unit.front() == '{' && unit.back() == '}';
}

bool IsGaugeKind(InstrumentKind kind) {
  return kind == InstrumentKind::kGauge || kind == InstrumentKind::kObservableGauge;
}

std::string_view PluralOf(std::string_view name, std::string_view unit) {
  for (const auto& u : kBaseUnits) {
    if (u.ucum == unit) return u.plural;
  }
  for (auto scaled : kScaledUnits) {
    if (scaled == unit) {
      Fail(name, "unit '" + std::string(unit) +
                     "' is scaled: Prometheus names carry base units, so record seconds "
                     "(\"s\") or bytes (\"By\")");
    }
  }
  Fail(name, "unknown unit '" + std::string(unit) +
                 "': use a UCUM base unit (s, By, %, ...), \"1\", or an annotation such as "
                 "{request}");
}

// Rule 2: the suffix the unit asks for, or "" for none.
std::string UnitSuffix(std::string_view name, std::string_view unit, InstrumentKind kind) {
  if (unit.empty() || IsAnnotation(unit)) return "";
  if (unit == "1") return IsGaugeKind(kind) ? "ratio" : "";
  const size_t slash = unit.find('/');
  if (slash == std::string_view::npos) return std::string(PluralOf(name, unit));
  const std::string_view numerator = unit.substr(0, slash);
  const std::string_view denominator = unit.substr(slash + 1);
  std::string per;
  for (const auto& u : kPerTimeUnits) {
    if (u.ucum == denominator) per = std::string(u.singular);
  }
  if (per.empty()) {
    Fail(name, "unit '" + std::string(unit) + "': only rates per s, min, h or d are supported");
  }
  if (numerator.empty() || numerator == "1" || IsAnnotation(numerator)) return "per_" + per;
  return std::string(PluralOf(name, numerator)) + "_per_" + per;
}

std::vector<std::string_view> Words(std::string_view s) {
  std::vector<std::string_view> words;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find('_', start);
    if (end == std::string_view::npos) end = s.size();
    words.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return words;
}

const char* PrometheusTypeWord(InstrumentKind kind) {
  if (IsMonotonic(kind)) return "counter";
  if (kind == InstrumentKind::kHistogram) return "histogram";
  return "gauge";
}

// Rule 4: what promtool's lint flags inside a name.
void CheckLintWords(std::string_view name, std::string_view base, InstrumentKind kind) {
  static constexpr std::array<std::string_view, 15> kAbbreviations{
      "s", "ms", "us", "ns", "sec", "secs", "b", "kb", "mb", "gb", "tb", "pb", "m", "h", "d"};
  static constexpr std::array<std::string_view, 18> kPrefixes{
      "pico", "nano", "micro", "milli", "centi", "deci", "deca", "hecto", "kilo",
      "kibi", "mega", "mebi",  "giga",  "gibi",  "tera", "tebi", "peta",  "pebi"};
  static constexpr std::array<std::string_view, 6> kBases{"seconds", "bytes",  "meters",
                                                          "grams",   "joules", "volts"};
  const auto words = Words(base);
  for (size_t i = 1; i < words.size(); ++i) {
    const std::string_view w = words[i];
    for (auto abbreviation : kAbbreviations) {
      if (w == abbreviation) {
        Fail(name, "'_" + std::string(w) +
                       "' is an abbreviated unit: give the unit (\"s\", \"By\") and let the "
                       "SDK add the full word");
      }
    }
    for (auto prefix : kPrefixes) {
      for (auto unit : kBases) {
        if (w.size() == prefix.size() + unit.size() && w.starts_with(prefix) && w.ends_with(unit)) {
          Fail(name, "'" + std::string(w) + "' is a scaled unit: use base unit '" +
                         std::string(unit) + "'");
        }
      }
    }
    if (w == PrometheusTypeWord(kind)) {
      Fail(name, "the name repeats its type '" + std::string(w) + "'");
    }
  }
}

}  // namespace

std::string PrometheusMetricName(std::string_view name, std::string_view unit,
                                 InstrumentKind kind) {
  std::string base = NormalizeCharacters(name);
  if (IsMonotonic(kind)) {
    if (EndsWith(base, "_total")) base.resize(base.size() - 6);
  } else if (EndsWith(base, "_total")) {
    Fail(name, "'_total' is reserved for counters; a " + std::string(InstrumentKindName(kind)) +
                   " must not end in it");
  }
  if (kind == InstrumentKind::kHistogram) {
    for (std::string_view reserved : {"_bucket", "_sum", "_count"}) {
      if (EndsWith(base, reserved)) {
        Fail(name, "a histogram must not end in '" + std::string(reserved) +
                       "': the exposition adds that suffix to its series");
      }
    }
  }
  const std::string suffix = UnitSuffix(name, unit, kind);
  if (!suffix.empty() && base != suffix && !EndsWith(base, "_" + suffix)) {
    base += "_" + suffix;
  }
  CheckLintWords(name, base, kind);
  if (IsMonotonic(kind)) base += "_total";
  return base;
}

std::string PrometheusLabelName(std::string_view key, bool histogram) {
  std::string out(key);
  for (char& c : out) {
    if (!IsLower(c) && !IsUpper(c) && !IsDigit(c) && c != '_') c = '_';
  }
  if (out.empty()) return out;
  // "__" names are reserved for Prometheus internals; "le" carries a
  // histogram's bucket bound.
  if (IsDigit(out[0]) || out.starts_with("__") || (histogram && out == "le")) {
    out.insert(0, "key_");
  }
  return out;
}

std::string PrometheusHelpText(std::string_view description, std::string_view fallback) {
  const std::string_view text = description.empty() ? fallback : description;
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace agenthub::telemetry
