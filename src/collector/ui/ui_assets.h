// The web UI's files (src/collector/ui/assets/), compiled into the binary by
// embed_assets.cmake so that the collector serves its UI with no files on
// disk and no network: a fresh machine with only `agenthub` shows traces.
#pragma once

#include <span>
#include <string_view>

namespace agenthub::collector {

struct UiAsset {
  std::string_view path;          // relative to assets/: "index.html", "js/app.js"
  std::string_view content_type;  // "text/javascript; charset=utf-8"
  std::string_view etag;          // quoted, from the content's SHA-256
  std::string_view body;
};

// Every asset, sorted by path. Defined in the generated ui_assets.cc.
std::span<const UiAsset> UiAssets();

// The asset at `path` (relative, no leading '/'), or null.
const UiAsset* FindUiAsset(std::string_view path);

}  // namespace agenthub::collector
