// Resource (OpenTelemetry resource SDK): merge rules, the SDK defaults, and
// OTEL_RESOURCE_ATTRIBUTES / OTEL_SERVICE_NAME.
#include "telemetry/resource/resource.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

#include "support/scoped_env.h"

namespace agenthub::telemetry {
namespace {

using testing::DiagnosticCapture;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::ScopedEnv;
using ::testing::StartsWith;

// Clears both variables so a test sees only what it sets itself.
struct CleanResourceEnv {
  ScopedEnv attributes{"OTEL_RESOURCE_ATTRIBUTES", std::nullopt};
  ScopedEnv service{"OTEL_SERVICE_NAME", std::nullopt};
};

Attributes Parse(std::string_view text, bool* ok = nullptr, std::string* error = nullptr) {
  Attributes out;
  std::string ignored;
  const bool parsed = ParseResourceAttributes(text, &out, error ? error : &ignored);
  if (ok) *ok = parsed;
  return out;
}

// --- Construction and lookup ------------------------------------------------

TEST(ResourceTest, DuplicateKeysKeepTheLastValue) {
  Resource resource(Attributes{{"k", "first"}, {"other", "x"}, {"k", "second"}});
  EXPECT_THAT(resource.attributes(),
              ElementsAre(Attribute("k", "second"), Attribute("other", "x")));
}

TEST(ResourceTest, EmptyKeysAreDropped) {
  Resource resource(Attributes{{"", "nameless"}, {"k", "v"}});
  EXPECT_THAT(resource.attributes(), ElementsAre(Attribute("k", "v")));
}

TEST(ResourceTest, GetStringReturnsEmptyForMissingOrNonStringValues) {
  Resource resource(Attributes{{"name", "svc"}, {"pid", 42}});
  EXPECT_EQ(resource.GetString("name"), "svc");
  EXPECT_EQ(resource.GetString("pid"), "");
  EXPECT_EQ(resource.GetString("absent"), "");
  EXPECT_EQ(resource.service_name(), "");
}

// --- Merge --------------------------------------------------------------------

TEST(ResourceMergeTest, ResultHasTheAttributesOfBoth) {
  Resource old_resource(Attributes{{"a", "1"}, {"b", "2"}});
  Resource updating(Attributes{{"c", "3"}});
  EXPECT_THAT(old_resource.Merge(updating).attributes(),
              ElementsAre(Attribute("a", "1"), Attribute("b", "2"), Attribute("c", "3")));
}

TEST(ResourceMergeTest, UpdatingValueWinsOnConflict) {
  Resource old_resource(Attributes{{"service.name", "old"}, {"keep", "yes"}});
  Resource updating(Attributes{{"service.name", "new"}});
  Resource merged = old_resource.Merge(updating);
  EXPECT_EQ(merged.service_name(), "new");
  EXPECT_EQ(merged.GetString("keep"), "yes");
}

TEST(ResourceMergeTest, UpdatingValueWinsEvenWhenEmpty) {
  Resource merged = Resource(Attributes{{"k", "value"}}).Merge(Resource(Attributes{{"k", ""}}));
  EXPECT_THAT(merged.attributes(), ElementsAre(Attribute("k", "")));
}

TEST(ResourceMergeTest, UpdatingValueMayChangeTheType) {
  Resource merged = Resource(Attributes{{"k", "text"}}).Merge(Resource(Attributes{{"k", 7}}));
  EXPECT_THAT(merged.attributes(), ElementsAre(Attribute("k", 7)));
}

TEST(ResourceMergeTest, LeavesBothInputsUnchanged) {
  const Resource old_resource(Attributes{{"k", "old"}}, "https://opentelemetry.io/schemas/1.26.0");
  const Resource updating(Attributes{{"k", "new"}});
  const Resource old_copy = old_resource;
  const Resource updating_copy = updating;
  old_resource.Merge(updating);
  EXPECT_EQ(old_resource, old_copy);
  EXPECT_EQ(updating, updating_copy);
}

TEST(ResourceMergeTest, SchemaUrlComesFromUpdatingWhenOldHasNone) {
  Resource merged = Resource().Merge(Resource(Attributes{}, "https://example.com/schemas/1"));
  EXPECT_EQ(merged.schema_url(), "https://example.com/schemas/1");
}

TEST(ResourceMergeTest, SchemaUrlComesFromOldWhenUpdatingHasNone) {
  Resource merged = Resource(Attributes{}, "https://example.com/schemas/1").Merge(Resource());
  EXPECT_EQ(merged.schema_url(), "https://example.com/schemas/1");
}

TEST(ResourceMergeTest, EqualSchemaUrlsAreKept) {
  Resource merged = Resource(Attributes{}, "https://example.com/schemas/1")
                        .Merge(Resource(Attributes{}, "https://example.com/schemas/1"));
  EXPECT_EQ(merged.schema_url(), "https://example.com/schemas/1");
}

// The specification calls this a merging error with an implementation-
// specific result; ours keeps the attributes, drops the URL and says so.
TEST(ResourceMergeTest, ConflictingSchemaUrlsWarnAndLeaveNoSchemaUrl) {
  DiagnosticCapture diagnostics;
  Resource merged = Resource(Attributes{{"a", "1"}}, "https://example.com/schemas/1")
                        .Merge(Resource(Attributes{{"b", "2"}}, "https://example.com/schemas/2"));
  EXPECT_EQ(merged.schema_url(), "");
  EXPECT_THAT(merged.attributes(), ElementsAre(Attribute("a", "1"), Attribute("b", "2")));
  EXPECT_TRUE(diagnostics.HasWarningContaining(
      {"https://example.com/schemas/1", "https://example.com/schemas/2"}));
}

// --- Default ------------------------------------------------------------------

TEST(ResourceDefaultTest, ServiceNameIsUnknownServiceWithTheExecutableName) {
  EXPECT_EQ(Resource::Default().service_name(), "unknown_service:resource_test");
}

TEST(ResourceDefaultTest, DescribesTheSdk) {
  Resource resource = Resource::Default();
  EXPECT_EQ(resource.GetString("telemetry.sdk.name"), "agenthub");
  EXPECT_EQ(resource.GetString("telemetry.sdk.language"), "cpp");
  EXPECT_THAT(resource.GetString("telemetry.sdk.version"), ::testing::Not(IsEmpty()));
}

TEST(ResourceDefaultTest, DescribesTheHostAndProcess) {
  Resource resource = Resource::Default();
  char host[256] = {};
  ASSERT_EQ(gethostname(host, sizeof(host) - 1), 0);
  EXPECT_EQ(resource.GetString("host.name"), host);
  const AttributeValue* pid = FindAttribute(resource.attributes(), "process.pid");
  ASSERT_NE(pid, nullptr);
  EXPECT_EQ(*pid, AttributeValue(static_cast<int64_t>(getpid())));
  EXPECT_EQ(resource.GetString("process.executable.name"), "resource_test");
  EXPECT_THAT(resource.GetString("process.runtime.name"), ::testing::Not(IsEmpty()));
  EXPECT_THAT(resource.GetString("process.runtime.version"), ::testing::Not(IsEmpty()));
}

TEST(ResourceDefaultTest, IgnoresTheEnvironment) {
  ScopedEnv service("OTEL_SERVICE_NAME", "from-env");
  ScopedEnv attributes("OTEL_RESOURCE_ATTRIBUTES", "team=core");
  Resource resource = Resource::Default();
  EXPECT_EQ(resource.service_name(), "unknown_service:resource_test");
  EXPECT_EQ(FindAttribute(resource.attributes(), "team"), nullptr);
}

TEST(ResourceDefaultTest, HasNoSchemaUrl) { EXPECT_EQ(Resource::Default().schema_url(), ""); }

// --- ParseResourceAttributes --------------------------------------------------

TEST(ParseResourceAttributesTest, ParsesCommaSeparatedPairsAsStrings) {
  bool ok = false;
  EXPECT_THAT(Parse("service.namespace=shop,replicas=3", &ok),
              ElementsAre(Attribute("service.namespace", "shop"), Attribute("replicas", "3")));
  EXPECT_TRUE(ok);
}

TEST(ParseResourceAttributesTest, TrimsSpacesAroundKeysAndValues) {
  EXPECT_THAT(Parse("  a = 1 ,\tb=two words\t"),
              ElementsAre(Attribute("a", "1"), Attribute("b", "two words")));
}

TEST(ParseResourceAttributesTest, PercentDecodesValues) {
  EXPECT_THAT(Parse("k=a%2Cb%3Dc%25d%20e"), ElementsAre(Attribute("k", "a,b=c%d e")));
}

TEST(ParseResourceAttributesTest, PercentDecodesKeys) {
  EXPECT_THAT(Parse("my%20key=v"), ElementsAre(Attribute("my key", "v")));
}

TEST(ParseResourceAttributesTest, AcceptsUpperAndLowerCaseHexDigits) {
  EXPECT_THAT(Parse("k=%2c%2C"), ElementsAre(Attribute("k", ",,")));
}

TEST(ParseResourceAttributesTest, DecodesMultiByteUtf8) {
  EXPECT_THAT(Parse("city=Z%C3%BCrich"), ElementsAre(Attribute("city", "Z\xC3\xBCrich")));
}

TEST(ParseResourceAttributesTest, PlusIsAPlusSignNotASpace) {
  EXPECT_THAT(Parse("k=a+b"), ElementsAre(Attribute("k", "a+b")));
}

TEST(ParseResourceAttributesTest, EncodedSpacesSurviveTrimming) {
  EXPECT_THAT(Parse("k=%20padded%20"), ElementsAre(Attribute("k", " padded ")));
}

TEST(ParseResourceAttributesTest, EmptyValueIsAllowed) {
  bool ok = false;
  EXPECT_THAT(Parse("k=", &ok), ElementsAre(Attribute("k", "")));
  EXPECT_TRUE(ok);
}

TEST(ParseResourceAttributesTest, EmptyMembersAreSkipped) {
  bool ok = false;
  EXPECT_THAT(Parse(",a=1,, ,b=2,", &ok), ElementsAre(Attribute("a", "1"), Attribute("b", "2")));
  EXPECT_TRUE(ok);
}

TEST(ParseResourceAttributesTest, EmptyTextHasNoAttributes) {
  bool ok = false;
  EXPECT_THAT(Parse("", &ok), IsEmpty());
  EXPECT_TRUE(ok);
}

TEST(ParseResourceAttributesTest, PairWithoutEqualsIsMalformed) {
  bool ok = true;
  std::string error;
  EXPECT_THAT(Parse("a=1,novalue,b=2", &ok, &error),
              ElementsAre(Attribute("a", "1"), Attribute("b", "2")));
  EXPECT_FALSE(ok);
  EXPECT_THAT(error, HasSubstr("novalue"));
}

TEST(ParseResourceAttributesTest, EmptyKeyIsMalformed) {
  bool ok = true;
  std::string error;
  Parse(" =value", &ok, &error);
  EXPECT_FALSE(ok);
  EXPECT_THAT(error, HasSubstr("empty key"));
}

TEST(ParseResourceAttributesTest, UnencodedEqualsInValueIsMalformed) {
  bool ok = true;
  std::string error;
  Parse("labels=app=web", &ok, &error);
  EXPECT_FALSE(ok);
  EXPECT_THAT(error, HasSubstr("%3D"));
}

TEST(ParseResourceAttributesTest, BadPercentEscapesAreMalformed) {
  for (const char* text : {"k=%", "k=%4", "k=%G1", "k=100%", "k%zz=v"}) {
    bool ok = true;
    Parse(text, &ok);
    EXPECT_FALSE(ok) << text;
  }
}

TEST(ParseResourceAttributesTest, DecodedBytesThatAreNotUtf8AreMalformed) {
  for (const char* text : {"k=%FF", "k=%C3", "k=%C0%AF", "k=%ED%A0%80", "%80=v"}) {
    bool ok = true;
    std::string error;
    Parse(text, &ok, &error);
    EXPECT_FALSE(ok) << text;
    EXPECT_THAT(error, HasSubstr("UTF-8")) << text;
  }
}

TEST(ParseResourceAttributesTest, ReportsTheFirstProblem) {
  std::string error;
  Parse("first,second", nullptr, &error);
  EXPECT_THAT(error, HasSubstr("first"));
  EXPECT_THAT(error, ::testing::Not(HasSubstr("second")));
}

// --- FromEnvironment ----------------------------------------------------------

TEST(ResourceFromEnvironmentTest, NothingSetGivesAnEmptyResource) {
  CleanResourceEnv clean;
  EXPECT_THAT(Resource::FromEnvironment().attributes(), IsEmpty());
}

TEST(ResourceFromEnvironmentTest, ReadsDecodedAttributes) {
  CleanResourceEnv clean;
  ScopedEnv env("OTEL_RESOURCE_ATTRIBUTES", "service.namespace=shop, owner=team%20a");
  EXPECT_THAT(Resource::FromEnvironment().attributes(),
              ElementsAre(Attribute("service.namespace", "shop"), Attribute("owner", "team a")));
}

TEST(ResourceFromEnvironmentTest, LaterDuplicateKeyWins) {
  CleanResourceEnv clean;
  ScopedEnv env("OTEL_RESOURCE_ATTRIBUTES", "k=1,k=2");
  EXPECT_THAT(Resource::FromEnvironment().attributes(), ElementsAre(Attribute("k", "2")));
}

TEST(ResourceFromEnvironmentTest, ServiceNameVariableWinsOverTheAttributeList) {
  CleanResourceEnv clean;
  ScopedEnv attributes("OTEL_RESOURCE_ATTRIBUTES", "service.name=from-list,team=core");
  ScopedEnv service("OTEL_SERVICE_NAME", "from-variable");
  Resource resource = Resource::FromEnvironment();
  EXPECT_EQ(resource.service_name(), "from-variable");
  EXPECT_EQ(resource.GetString("team"), "core");
}

TEST(ResourceFromEnvironmentTest, ServiceNameFromTheListAppliesWithoutTheVariable) {
  CleanResourceEnv clean;
  ScopedEnv attributes("OTEL_RESOURCE_ATTRIBUTES", "service.name=from-list");
  EXPECT_EQ(Resource::FromEnvironment().service_name(), "from-list");
}

// The resource SDK: on any error the entire variable SHOULD be discarded.
TEST(ResourceFromEnvironmentTest, MalformedListIsDiscardedWholeWithAWarning) {
  CleanResourceEnv clean;
  DiagnosticCapture diagnostics;
  ScopedEnv attributes("OTEL_RESOURCE_ATTRIBUTES", "team=core,broken,region=eu");
  EXPECT_THAT(Resource::FromEnvironment().attributes(), IsEmpty());
  EXPECT_TRUE(diagnostics.HasWarningContaining({"OTEL_RESOURCE_ATTRIBUTES", "broken"}));
}

TEST(ResourceFromEnvironmentTest, ServiceNameStillAppliesWhenTheListIsDiscarded) {
  CleanResourceEnv clean;
  DiagnosticCapture diagnostics;
  ScopedEnv attributes("OTEL_RESOURCE_ATTRIBUTES", "k=%zz");
  ScopedEnv service("OTEL_SERVICE_NAME", "checkout");
  EXPECT_THAT(Resource::FromEnvironment().attributes(),
              ElementsAre(Attribute("service.name", "checkout")));
}

// --- Create ---------------------------------------------------------------------

TEST(ResourceCreateTest, SetsServiceAttributesOverTheDefaults) {
  CleanResourceEnv clean;
  Resource resource = Resource::Create("broker", "1.2.3", "staging");
  EXPECT_EQ(resource.service_name(), "broker");
  EXPECT_EQ(resource.GetString("service.version"), "1.2.3");
  EXPECT_EQ(resource.GetString("deployment.environment.name"), "staging");
  EXPECT_EQ(resource.GetString("deployment.environment"), "staging");
  EXPECT_EQ(resource.GetString("telemetry.sdk.name"), "agenthub");
  EXPECT_EQ(resource.GetString("process.executable.name"), "resource_test");
}

TEST(ResourceCreateTest, EmptyArgumentsAddNothing) {
  CleanResourceEnv clean;
  Resource resource = Resource::Create("broker");
  EXPECT_EQ(FindAttribute(resource.attributes(), "service.version"), nullptr);
  EXPECT_EQ(FindAttribute(resource.attributes(), "deployment.environment"), nullptr);
  EXPECT_EQ(FindAttribute(resource.attributes(), "deployment.environment.name"), nullptr);
}

TEST(ResourceCreateTest, EmptyServiceNameKeepsTheDefault) {
  CleanResourceEnv clean;
  EXPECT_THAT(Resource::Create("").service_name(), StartsWith("unknown_service"));
}

TEST(ResourceCreateTest, EnvironmentHasTheLastWord) {
  CleanResourceEnv clean;
  ScopedEnv attributes("OTEL_RESOURCE_ATTRIBUTES", "service.version=9.9,team=core");
  ScopedEnv service("OTEL_SERVICE_NAME", "renamed");
  Resource resource = Resource::Create("broker", "1.2.3");
  EXPECT_EQ(resource.service_name(), "renamed");
  EXPECT_EQ(resource.GetString("service.version"), "9.9");
  EXPECT_EQ(resource.GetString("team"), "core");
}

}  // namespace
}  // namespace agenthub::telemetry
