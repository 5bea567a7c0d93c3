// The demo agents' own logic, without a broker: which types they handle,
// the four tasks the demo publisher sends, the seeded random number.
#include "agents/agents.h"

#include <gtest/gtest.h>

namespace agenthub::agents {
namespace {

TEST(DemoAgents, TheFourDemoTasksAreAddressedAndOneHasNoHandler) {
  const auto tasks = DemoTasks("agent_demo_subscriber");
  ASSERT_EQ(tasks.size(), 4u);
  int handled = 0;
  for (const auto& t : tasks) {
    EXPECT_EQ(t.responder_agent_id, "agent_demo_subscriber");
    handled += HasDemoHandler(t.task_type) ? 1 : 0;
  }
  EXPECT_EQ(handled, 3);  // the fourth shows a failure end to end
}

TEST(DemoAgents, TheRandomNumberIsFixedByItsSeedAndInRange) {
  EXPECT_EQ(RandomNumberForSeed(12345), RandomNumberForSeed(12345));
  for (uint64_t seed : {0ull, 1ull, 12345ull, ~0ull}) {
    const int n = RandomNumberForSeed(seed);
    EXPECT_GE(n, 0);
    EXPECT_LE(n, 999);
  }
}

}  // namespace
}  // namespace agenthub::agents
