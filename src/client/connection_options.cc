#include "client/connection_options.h"

#include <cstdlib>

namespace agenthub::client {

ConnectionOptions ConnectionOptions::FromEnvironment() {
  ConnectionOptions options;
  if (const char* address = std::getenv("AGENTHUB_BROKER_ADDR"); address && *address) {
    options.broker_address = address;
  }
  return options;
}

}  // namespace agenthub::client
