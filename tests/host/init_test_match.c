// sources: base/src/config_parse.c base/src/config_query.c base/src/config_write.c os/init/test_driver/match.c
// cflags: -Ios/init/test_driver
/*
 * The matcher of test_init (os/init/test_driver/match.h): patterns against
 * state reports as init writes them.
 */
#include <harness.h>
#include "match.h"

static const char report[] =
	"<state version=\"3\">\n"
	"  <child name=\"srv\" binary=\"init_test_child\" state=\"running\">\n"
	"    <ram assigned=\"1048576\" used=\"40960\" avail=\"1007616\"/>\n"
	"    <provided>\n"
	"      <session service=\"Hello\" label=\"user\" client=\"cl\" state=\"available\" ram=\"8192\" caps=\"2\"/>\n"
	"    </provided>\n"
	"  </child>\n"
	"  <child name=\"cl\" binary=\"dummy\" state=\"exited\" exit=\"3\"/>\n"
	"  <error line=\"5\" col=\"3\" child=\"bad\" msg=\"unknown attribute 'x' in &lt;start&gt;\" outcome=\"the child is not started\"/>\n"
	"</state>\n";

static const struct cfg_node *parse(const char *text)
{
	size_t len = strlen(text), size = cfg_arena_size(len);
	struct cfg_error err;
	struct cfg_node *n = cfg_parse(text, len, test_alloc(16, size), size, &err);
	if (!n)
		fprintf(stderr, "parse: %u:%u: %s\n", err.line, err.col, err.msg);
	return n;
}

static bool expect(const char *pattern)
{
	return tinit_expect(parse(pattern), parse(report));
}

TEST(MATCH_0001, "attributes: equal values, '*' for any value, missing attributes fail")
{
	CHECK(expect("<child name=\"srv\" state=\"running\"/>"));
	CHECK(expect("<child name=\"cl\" state=\"exited\" exit=\"3\"/>"));
	CHECK(expect("<child name=\"cl\" exit=\"*\"/>"));
	CHECK(!expect("<child name=\"cl\" exit=\"4\"/>"));
	CHECK(!expect("<child name=\"srv\" exit=\"*\"/>"));
	CHECK(!expect("<child name=\"sr\"/>"));
	CHECK(!expect("<child name=\"srv\" state=\"Running\"/>"));
	CHECK(expect("<error line=\"5\" child=\"bad\" msg=\"unknown attribute 'x' in &lt;start&gt;\"/>"));
	CHECK(!expect("<error line=\"6\" child=\"bad\"/>"));
}

TEST(MATCH_0002, "types must be equal; sub-nodes match at any depth given, in any order")
{
	CHECK(!expect("<session service=\"Hello\"/>"));   /* not a sub-node of <state> */
	CHECK(expect("<child name=\"srv\"> <provided> <session label=\"user\" client=\"cl\"/> </provided> "
		     "<ram assigned=\"1048576\"/> </child>"));
	CHECK(!expect("<child name=\"srv\"> <provided> <session label=\"srv -&gt; user\"/> </provided> </child>"));
	CHECK(!expect("<child name=\"cl\"> <ram/> </child>"));
	CHECK(!expect("<child name=\"srv\"> <requested/> </child>"));
	CHECK(expect("<child> <ram/> </child>"));   /* the first child does not have to be it */
	CHECK(expect("<child name=\"cl\"/>"));
}

TEST(MATCH_0003, "<absent>: at the top and inside a pattern")
{
	CHECK(expect("<absent> <child name=\"gone\"/> </absent>"));
	CHECK(!expect("<absent> <child name=\"cl\"/> </absent>"));
	CHECK(!expect("<absent> <child name=\"gone\"/> <child name=\"cl\"/> </absent>"));
	CHECK(expect("<absent> <error child=\"other\"/> </absent>"));
	CHECK(expect("<child name=\"cl\"> <absent> <ram/> </absent> </child>"));
	CHECK(!expect("<child name=\"srv\"> <absent> <ram/> </absent> </child>"));
	CHECK(expect("<child name=\"srv\"> <provided> <absent> <session client=\"x\"/> </absent> </provided> </child>"));
}

TEST(MATCH_0006, "ranges [min,max] with K/M/G suffixes; malformed ranges compare as text")
{
	CHECK(expect("<child name=\"srv\"> <ram assigned=\"[960K,1M]\"/> </child>"));
	CHECK(expect("<child name=\"srv\"> <ram assigned=\"[1048576,1048576]\"/> </child>"));
	CHECK(!expect("<child name=\"srv\"> <ram assigned=\"[0,1023K]\"/> </child>"));
	CHECK(!expect("<child name=\"srv\"> <ram assigned=\"[1025K,2G]\"/> </child>"));
	CHECK(expect("<error line=\"[1,5]\"/>"));
	CHECK(!expect("<error line=\"[6,9]\"/>"));
	CHECK(!expect("<child name=\"srv\" state=\"[0,9]\"/>"));   /* not a number */
	CHECK(!expect("<error line=\"[1,5x]\"/>"));  /* malformed: compared as text */
	CHECK(!expect("<error line=\"[,5]\"/>"));
	CHECK(!expect("<error line=\"[99999999999999999999,1]\"/>"));
	CHECK(!expect("<error line=\"[1,99999999999G]\"/>"));
}

TEST(MATCH_0004, "NULL pattern or report never match")
{
	CHECK(!tinit_match(0, parse(report)));
	CHECK(!tinit_match(parse("<state/>"), 0));
	CHECK(!tinit_expect(0, parse(report)));
	CHECK(!tinit_expect(parse("<child/>"), 0));
	CHECK(tinit_match(parse("<state version=\"3\"/>"), parse(report)));
}

TEST(MATCH_0005, "descriptions: one line, folded spaces, cut with ...")
{
	char buf[64];

	tinit_describe(parse("<child name=\"a\">\n  <ram assigned=\"1\"/>\n</child>"), buf, sizeof(buf));
	CHECK(!strcmp(buf, "<child name=\"a\"> <ram assigned=\"1\"/> </child>"));
	tinit_describe(parse("<session label=\"cl -&gt; x\"/>"), buf, sizeof(buf));
	CHECK(!strcmp(buf, "<session label=\"cl -&gt; x\"/>"));
	tinit_describe(parse("<child name=\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"/>"),
		       buf, 16);
	CHECK(!strcmp(buf, "<child name=..."));
	CHECK_EQ(strlen(buf), 15);
}

int main(int argc, char **argv)
{
	return test_main(argc, argv);
}
