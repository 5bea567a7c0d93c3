// Tasks described on the publisher's command line: --param key=value.
#pragma once

#include <string>
#include <utility>

#include <google/protobuf/struct.pb.h>

namespace agenthub::cli {

// Parses "key=value"; the value becomes a number when it reads as one,
// true/false as a bool, anything else a string. False (with *error) when
// there is no '=' or the key is empty.
bool ParseKeyValue(const std::string& text, std::pair<std::string, std::string>* out,
                   std::string* error);
void SetParam(google::protobuf::Struct& params, const std::string& key, const std::string& value);

}  // namespace agenthub::cli
