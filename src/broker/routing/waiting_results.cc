#include "broker/routing/waiting_results.h"

namespace agenthub::broker {

void WaitingResults::Add(std::string requester, ResultPtr result,
                         telemetry::SteadyClock::time_point now) {
  if (max_entries_ == 0) {
    ++dropped_;
    return;
  }
  while (live_ >= max_entries_ && !entries_.empty()) {
    if (entries_.front().result) {
      --live_;
      ++dropped_;
    }
    entries_.pop_front();
  }
  entries_.push_back(Entry{now, std::move(requester), std::move(result)});
  ++live_;
}

void WaitingResults::PopTakenFront() {
  while (!entries_.empty() && !entries_.front().result) entries_.pop_front();
}

void WaitingResults::Expire(telemetry::SteadyClock::time_point now) {
  while (!entries_.empty() && (!entries_.front().result || now - entries_.front().at > ttl_)) {
    if (entries_.front().result) {
      --live_;
      ++expired_;
    }
    entries_.pop_front();
  }
}

}  // namespace agenthub::broker
