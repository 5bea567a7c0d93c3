// Fuzz target: gzip request bodies as the collector's OTLP/HTTP receiver
// reads them. cpp-httplib inflates (its gzip_decompressor, fed in the
// chunks the socket delivers) and the receiver's reader callback stops at
// the body limit, so a gzip bomb costs at most the limit.
//
// The first byte sets the chunk size; the rest is the body.
// Invariants: the inflated body never exceeds the limit by more than one
// decompressor buffer; a body that inflates completely, compressed again
// and inflated, is the same bytes.
#include <string>

#include "fuzz_check.h"
#include "net/cpp_httplib.h"

namespace {

// Smaller than the receiver's 20 MiB so a run stays fast; the logic is the
// same.
constexpr size_t kLimit = 256 * 1024;
// httplib inflates into a buffer of this size per callback.
constexpr size_t kSlack = 16384;

bool Inflate(std::string_view body, size_t chunk, std::string* out, bool* too_large) {
  httplib::detail::gzip_decompressor inflater;
  if (!inflater.is_valid()) return false;
  for (size_t at = 0; at < body.size(); at += chunk) {
    const std::string_view piece = body.substr(at, chunk);
    const bool ok = inflater.decompress(piece.data(), piece.size(), [&](const char* d, size_t n) {
      if (out->size() + n > kLimit) {
        *too_large = true;
        return false;
      }
      out->append(d, n);
      return true;
    });
    if (!ok) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t chunk = 1 + data[0] * 64u;
  const std::string_view body = agenthub::fuzz::AsView(data + 1, size - 1);
  std::string inflated;
  bool too_large = false;
  const bool ok = Inflate(body, chunk, &inflated, &too_large);
  FUZZ_CHECK(inflated.size() <= kLimit + kSlack);
  if (!ok || too_large) return 0;

  std::string compressed;
  httplib::detail::gzip_compressor deflater;
  FUZZ_CHECK(deflater.compress(inflated.data(), inflated.size(), /*last=*/true,
                               [&](const char* d, size_t n) {
                                 compressed.append(d, n);
                                 return true;
                               }));
  std::string again;
  bool again_too_large = false;
  FUZZ_CHECK(Inflate(compressed, 4096, &again, &again_too_large));
  FUZZ_CHECK(again == inflated);
  return 0;
}
