#include "collector/ui/ui_routes.h"

#include <algorithm>
#include <string>

#include "collector/ui/ui_assets.h"

namespace agenthub::collector {
namespace {

// 'self' only: every script, style and image is embedded; the API is on the
// same origin. No inline scripts, so injected markup cannot run.
constexpr char kContentSecurityPolicy[] =
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

void NotFound(httplib::Response& res) {
  res.status = 404;
  res.set_header("Cache-Control", "no-store");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_content("not found\n", "text/plain; charset=utf-8");
}

void ServeAsset(const httplib::Request& req, httplib::Response& res, const UiAsset& asset) {
  res.set_header("Cache-Control", "no-cache");
  res.set_header("ETag", std::string(asset.etag));
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Content-Security-Policy", kContentSecurityPolicy);
  res.set_header("Referrer-Policy", "no-referrer");
  const std::string match = req.get_header_value("If-None-Match");
  if (!match.empty() && match.find(asset.etag) != std::string::npos) {
    res.status = 304;
    return;
  }
  res.status = 200;
  // set_content copies; the assets are small (tens of KiB) and this keeps
  // httplib's HEAD and Content-Length handling as for any other body.
  res.set_content(asset.body.data(), asset.body.size(), std::string(asset.content_type).c_str());
}

void ServeIndex(const httplib::Request& req, httplib::Response& res) {
  const UiAsset* index = FindUiAsset("index.html");
  if (!index) return NotFound(res);
  ServeAsset(req, res, *index);
}

}  // namespace

const UiAsset* FindUiAsset(std::string_view path) {
  const auto assets = UiAssets();
  const auto it = std::lower_bound(assets.begin(), assets.end(), path,
                                   [](const UiAsset& a, std::string_view p) { return a.path < p; });
  return it != assets.end() && it->path == path ? &*it : nullptr;
}

void RegisterUiRoutes(httplib::Server& server) {
  server.Get("/", ServeIndex);
  server.Get("/search", ServeIndex);
  // Any id shape: the page itself says "not a trace id" or "not found",
  // which is more useful than a bare 404 for a mistyped link.
  server.Get(R"(/trace/[^/]+)", ServeIndex);
  server.Get(R"(/static/(.+))", [](const httplib::Request& req, httplib::Response& res) {
    const std::string path = req.matches[1].str();
    // Names are looked up, never opened, so ".." cannot escape; it simply
    // finds nothing.
    const UiAsset* asset = FindUiAsset(path);
    if (!asset) return NotFound(res);
    ServeAsset(req, res, *asset);
  });
  server.Get("/favicon.ico", [](const httplib::Request& req, httplib::Response& res) {
    const UiAsset* icon = FindUiAsset("favicon.svg");
    if (!icon) return NotFound(res);
    ServeAsset(req, res, *icon);
  });
}

}  // namespace agenthub::collector
