#include "telemetry/trace/trace_state.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <new>

namespace agenthub::telemetry {
namespace {

// Limits from the W3C Trace Context (level 1) key and value grammar.
constexpr size_t kMaxSimpleKeySize = 256;
constexpr size_t kMaxTenantSize = 241;
constexpr size_t kMaxSystemSize = 14;
constexpr size_t kMaxValueSize = 256;

enum CharClass : uint8_t { kKeyChar = 1, kValueChar = 2 };

// One table lookup per character: tracestate is validated on every
// extraction.
constexpr std::array<uint8_t, 256> MakeClassTable() {
  std::array<uint8_t, 256> table{};
  for (int c = 0x20; c <= 0x7e; ++c) {
    const bool key = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
                     c == '*' || c == '/';
    const bool value = c != ',' && c != '=';
    table[c] = static_cast<uint8_t>((key ? kKeyChar : 0) | (value ? kValueChar : 0));
  }
  return table;
}
constexpr std::array<uint8_t, 256> kClass = MakeClassTable();

inline bool Is(char c, CharClass cls) { return (kClass[static_cast<uint8_t>(c)] & cls) != 0; }
inline bool IsLcAlpha(char c) { return c >= 'a' && c <= 'z'; }
inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsKeyChar(char c) { return Is(c, kKeyChar); }
inline bool IsOws(char c) { return c == ' ' || c == '\t'; }

// True when `s` is 1..max_size characters, starts with a character accepted
// by `first_ok`, and continues with keychar only.
template <typename FirstOk>
bool IsKeyPart(std::string_view s, size_t max_size, FirstOk first_ok) {
  if (s.empty() || s.size() > max_size || !first_ok(s.front())) return false;
  for (size_t i = 1; i < s.size(); ++i) {
    if (!IsKeyChar(s[i])) return false;
  }
  return true;
}

std::string_view TrimOws(std::string_view s) {
  while (!s.empty() && IsOws(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsOws(s.back())) s.remove_suffix(1);
  return s;
}

const std::vector<TraceState::Entry>& EmptyEntries() {
  static const std::vector<TraceState::Entry> empty;
  return empty;
}

// Calls `fn(member, key, value)` for each member of a serialized
// (normalized, already valid) header; stops early when `fn` returns false.
template <typename Fn>
void ForEachMember(std::string_view header, Fn fn) {
  while (!header.empty()) {
    const size_t comma = header.find(',');
    const std::string_view member = header.substr(0, comma);
    const size_t eq = member.find('=');
    if (!fn(member, member.substr(0, eq), member.substr(eq + 1))) return;
    if (comma == std::string_view::npos) return;
    header.remove_prefix(comma + 1);
  }
}

// Room for the members of one tracestate, deliberately left uninitialized
// (the union's empty constructor): zeroing 32 views costs more than parsing
// a typical two-member header. Only the first `count` are ever read.
union MemberViews {
  MemberViews() {}
  std::string_view view[TraceState::kMaxMembers];
};

}  // namespace

struct TraceState::Rep {
  explicit Rep(size_t size) : header_size(size) {}
  std::string_view header() const {
    return std::string_view(reinterpret_cast<const char*>(this + 1), header_size);
  }
  char* mutable_header() { return reinterpret_cast<char*>(this + 1); }

  std::atomic<uint32_t> refs{1};
  const size_t header_size;  // "k1=v1,k2=v2" (no whitespace) follows the Rep
  std::once_flag entries_once;
  std::vector<Entry> entries;  // filled from the header on first entries()
};

void TraceState::Release(Rep* rep) {
  if (rep->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    rep->~Rep();
    ::operator delete(rep);
  }
}

void TraceState::AddRef(Rep* rep) { rep->refs.fetch_add(1, std::memory_order_relaxed); }

TraceState TraceState::FromMembers(const std::string_view* members, size_t count) {
  if (count == 0) return TraceState();
  size_t size = count - 1;
  for (size_t i = 0; i < count; ++i) size += members[i].size();
  // One allocation holds the Rep and the header right after it.
  Rep* rep = new (::operator new(sizeof(Rep) + size)) Rep(size);
  char* out = rep->mutable_header();
  for (size_t i = 0; i < count; ++i) {
    if (i > 0) *out++ = ',';
    std::memcpy(out, members[i].data(), members[i].size());
    out += members[i].size();
  }
  return TraceState(rep, count);
}

const std::vector<TraceState::Entry>& TraceState::entries() const {
  if (!rep_) return EmptyEntries();
  std::call_once(rep_->entries_once, [this] {
    rep_->entries.reserve(size_);
    ForEachMember(rep_->header(),
                  [this](std::string_view, std::string_view key, std::string_view value) {
                    rep_->entries.emplace_back(std::string(key), std::string(value));
                    return true;
                  });
  });
  return rep_->entries;
}

bool TraceState::IsValidKey(std::string_view key) {
  const size_t at = key.find('@');
  if (at == std::string_view::npos) return IsKeyPart(key, kMaxSimpleKeySize, IsLcAlpha);
  // Multi-tenant key: tenant@system, exactly one '@' (the system part may not
  // contain another one because '@' is not a keychar).
  const auto tenant_first = [](char c) { return IsLcAlpha(c) || IsDigit(c); };
  return IsKeyPart(key.substr(0, at), kMaxTenantSize, tenant_first) &&
         IsKeyPart(key.substr(at + 1), kMaxSystemSize, IsLcAlpha);
}

bool TraceState::IsValidValue(std::string_view value) {
  if (value.empty() || value.size() > kMaxValueSize || value.back() == ' ') return false;
  for (char c : value) {
    if (!Is(c, kValueChar)) return false;
  }
  return true;
}

std::optional<TraceState> TraceState::Parse(std::string_view header) {
  // Views into `header`: the validated members ("key=value", trimmed) and
  // the length of each key, for the duplicate check.
  MemberViews members;
  uint32_t key_sizes[kMaxMembers];
  size_t count = 0;
  while (true) {
    const size_t comma = header.find(',');
    // Surrounding OWS belongs to the list syntax; a leading space after '='
    // belongs to the value and is kept, as the Recommendation requires.
    const std::string_view member = TrimOws(header.substr(0, comma));
    if (!member.empty()) {
      const size_t eq = member.find('=');
      if (eq == std::string_view::npos) return std::nullopt;
      const std::string_view key = member.substr(0, eq);
      if (!IsValidKey(key) || !IsValidValue(member.substr(eq + 1))) return std::nullopt;
      if (count == kMaxMembers) return std::nullopt;
      for (size_t i = 0; i < count; ++i) {
        if (members.view[i].substr(0, key_sizes[i]) == key) return std::nullopt;
      }
      members.view[count] = member;
      key_sizes[count] = static_cast<uint32_t>(eq);
      ++count;
    }
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  return FromMembers(members.view, count);
}

std::string TraceState::ToHeader() const { return std::string(header_view()); }

std::string_view TraceState::header_view() const {
  return rep_ ? rep_->header() : std::string_view();
}

std::optional<std::string_view> TraceState::Get(std::string_view key) const {
  std::optional<std::string_view> found;
  ForEachMember(header_view(), [&](std::string_view, std::string_view k, std::string_view v) {
    if (k == key) found = v;
    return !found;
  });
  return found;
}

TraceState TraceState::Set(std::string_view key, std::string_view value) const {
  if (!IsValidKey(key) || !IsValidValue(value)) return *this;
  std::string added;
  added.reserve(key.size() + 1 + value.size());
  added.append(key).append("=").append(value);
  MemberViews members;
  size_t count = 0;
  members.view[count++] = added;
  ForEachMember(header_view(), [&](std::string_view member, std::string_view k, std::string_view) {
    // Full: the rightmost entry is the one dropped (the W3C truncation
    // order removes entries from the end).
    if (count == kMaxMembers) return false;
    if (k != key) members.view[count++] = member;
    return true;
  });
  return FromMembers(members.view, count);
}

TraceState TraceState::Remove(std::string_view key) const {
  if (!Get(key)) return *this;
  MemberViews members;
  size_t count = 0;
  ForEachMember(header_view(), [&](std::string_view member, std::string_view k, std::string_view) {
    if (k != key) members.view[count++] = member;
    return true;
  });
  return FromMembers(members.view, count);
}

}  // namespace agenthub::telemetry
