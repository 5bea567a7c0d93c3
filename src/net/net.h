// agenthub::net, the front door of src/net: the HTTP layer every AgentHub
// process shares.
//
//   cpp_httplib.h    the one way to include cpp-httplib (Debian builds it
//                    with OpenSSL, zlib and Brotli; every translation unit
//                    must agree with the library about that)
//   HttpListener     http_listener.h: a server on one port with a bounded
//                    worker pool and accept queue, an exclusive port, and
//                    "cannot listen on HOST:PORT: why" when it cannot bind
//
//   net::HttpListener listener({.port = 8080});
//   listener.server().Get("/x", handler);
//   if (auto error = listener.Start(); !error.empty()) { ... }
//
// It depends on nothing else of AgentHub, so the SDK's OTLP/HTTP exporter,
// the ops endpoint, the collector and the CLI's HTTP clients can all use it.
#pragma once

#include "net/cpp_httplib.h"
#include "net/http_listener.h"
