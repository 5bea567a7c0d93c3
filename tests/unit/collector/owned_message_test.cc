// OwnedMessage: a request owned by the heap or by an arena of its own is
// freed exactly once, whichever way it was made (ASan builds check).
#include "collector/receiver/owned_message.h"

#include <gtest/gtest.h>

#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

namespace agenthub::collector {
namespace {

using opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest;

void AddSpans(ExportTraceServiceRequest& request, int spans) {
  auto* scope = request.add_resource_spans()->add_scope_spans();
  for (int i = 0; i < spans; ++i) {
    scope->add_spans()->set_name("a span name longer than the small-string buffer");
  }
}

TEST(OwnedMessage, ArenaMessageLivesOnItsArena) {
  OwnedMessage<ExportTraceServiceRequest> request =
      NewArenaMessage<ExportTraceServiceRequest>(100000);
  ASSERT_NE(request->GetArena(), nullptr);
  // More than one arena block's worth, so the arena grows.
  AddSpans(*request, 5000);
  EXPECT_EQ(request->resource_spans(0).scope_spans(0).spans_size(), 5000);
  request.reset();  // frees the arena and everything on it
  EXPECT_EQ(request, nullptr);
}

TEST(OwnedMessage, HeapMessagesConvertAndAreDeleted) {
  auto heap = std::make_unique<ExportTraceServiceRequest>();
  AddSpans(*heap, 3);
  OwnedMessage<ExportTraceServiceRequest> owned = std::move(heap);
  EXPECT_EQ(owned->GetArena(), nullptr);
  EXPECT_EQ(owned->resource_spans(0).scope_spans(0).spans_size(), 3);
}

TEST(OwnedMessage, MovesCarryTheArena) {
  auto first = NewArenaMessage<ExportTraceServiceRequest>(10);
  AddSpans(*first, 10);
  OwnedMessage<ExportTraceServiceRequest> second = std::move(first);
  EXPECT_EQ(second->resource_spans(0).scope_spans(0).spans_size(), 10);
}

}  // namespace
}  // namespace agenthub::collector
