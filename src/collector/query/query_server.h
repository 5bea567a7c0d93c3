// QueryServer: the Jaeger-compatible HTTP JSON API over the trace store
// (port 16686 by default), so that Jaeger's tools and scripts work against
// the collector unchanged:
//
//   GET /api/services                         ["svc", ...]
//   GET /api/services/{service}/operations    ["op", ...]
//   GET /api/operations?service=&spanKind=    [{"name","spanKind"}, ...]
//   GET /api/traces?service=&operation=&tags=&start=&end=&minDuration=
//                   &maxDuration=&limit=      [trace, ...]
//   GET /api/traces/{traceID}                 [trace], or 404
//   GET /api/traces/{traceID}/logs            our extension: the trace's logs
//   GET /, /search, /trace/{id}, /static/...  the web UI (ui/ui_routes.h)
//
// Every answer is the Jaeger envelope (jaeger_json.h); errors fill "errors"
// with {code, msg} and use the same HTTP status (400 bad parameter, 404
// unknown trace, 500 store failure).
#pragma once

#include <memory>
#include <string>

#include "collector/store/trace_store.h"
#include "net/net.h"

namespace agenthub::collector {

class QueryServer {
 public:
  // Null with *error when the port cannot be bound. `store` must outlive
  // the server.
  static std::unique_ptr<QueryServer> Start(net::HttpListenerOptions options, TraceStore& store,
                                            std::string* error);
  ~QueryServer();

  int port() const { return listener_.port(); }
  void Stop() { listener_.Stop(); }

 private:
  QueryServer(net::HttpListenerOptions options, TraceStore& store);
  void Routes();

  TraceStore& store_;
  net::HttpListener listener_;
};

}  // namespace agenthub::collector
