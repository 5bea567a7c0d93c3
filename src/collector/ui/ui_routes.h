// The trace UI's routes on the query port (16686), beside the JSON API:
//
//   GET /                        index.html (the search page)
//   GET /search, /trace/{id}     index.html too: deep links the page's own
//                                router opens (search parameters, a trace)
//   GET /static/{path}           an embedded asset (ui_assets.h), or 404
//   GET /favicon.ico             the SVG icon
//
// Assets carry their content type, an ETag answered with 304 on a match,
// `Cache-Control: no-cache` (names are not content-hashed, so browsers must
// revalidate to see a new build) and `X-Content-Type-Options: nosniff`.
// Pages also carry a Content-Security-Policy allowing only our own origin,
// so the UI cannot load anything from elsewhere even by mistake.
#pragma once

#include "net/net.h"

namespace agenthub::collector {

void RegisterUiRoutes(httplib::Server& server);

}  // namespace agenthub::collector
