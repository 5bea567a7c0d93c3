// The one way AgentHub code includes cpp-httplib.
//
// Debian's libcpp-httplib-dev is not header-only: httplib.h declares the
// classes and libcpp-httplib.so implements them, built with OpenSSL, zlib and
// Brotli support. Those switches change the layout of httplib::Request and
// of the client classes, so every translation unit must see the same three
// macros the library was built with (its pkg-config Cflags), or server and
// library disagree about object layouts. Binaries must link -lcpp-httplib.
#pragma once

#ifndef CPPHTTPLIB_OPENSSL_SUPPORT
#define CPPHTTPLIB_OPENSSL_SUPPORT 1
#endif
#ifndef CPPHTTPLIB_ZLIB_SUPPORT
#define CPPHTTPLIB_ZLIB_SUPPORT 1
#endif
#ifndef CPPHTTPLIB_BROTLI_SUPPORT
#define CPPHTTPLIB_BROTLI_SUPPORT 1
#endif

#include <httplib.h>
