// sources: os/rom_filter/filter.c base/src/config_parse.c base/src/config_query.c base/src/config_write.c
// cflags: -Ios/rom_filter
/*
 * Host unit tests of rom_filter's engine (os/rom_filter/filter.c): template
 * checking with line and column, input paths, conditions, attributes,
 * nodes, inline copies, absent and changing ROMs, output overflow.
 */
#include <harness.h>
#include "filter.h"

#define MAX_ROMS 4
static struct { const char *name; struct cfg_node *root; } roms[MAX_ROMS];
static unsigned nroms;

static struct cfg_node *parse(const char *doc)
{
	size_t len = strlen(doc);
	size_t size = cfg_arena_size(len);
	void *arena = test_alloc(16, size);
	struct cfg_error err;
	struct cfg_node *n = cfg_parse(doc, len, arena, size, &err);
	if (!n)
		fprintf(stderr, "parse error %u:%u %s\n", err.line, err.col, err.msg);
	return n;
}

static void set_rom(const char *name, const char *doc)
{
	for (unsigned i = 0; i < nroms; i++)
		if (!strcmp(roms[i].name, name)) {
			roms[i].root = doc ? parse(doc) : NULL;
			return;
		}
	roms[nroms].name = name;
	roms[nroms].root = doc ? parse(doc) : NULL;
	nroms++;
}

static const struct cfg_node *rom_fn(void *ctx, const char *name)
{
	(void)ctx;
	for (unsigned i = 0; i < nroms; i++)
		if (!strcmp(roms[i].name, name))
			return roms[i].root;
	return NULL;
}

static char out[8192];

/* Evaluate template 'tpl'; the output without the final newline. */
static const char *eval(const char *tpl)
{
	struct cfg_node *c = parse(tpl);
	struct cfg_error err;
	if (!c || !rf_check(c, &err))
		return "(check failed)";
	struct cfg_writer w;
	cfg_writer_init(&w, out, sizeof(out));
	if (!rf_eval(c, rom_fn, NULL, &w))
		return "(eval failed)";
	size_t n = strlen(out);
	if (n && out[n - 1] == '\n')
		out[n - 1] = 0;
	return out;
}

static struct cfg_error check_err(const char *tpl)
{
	struct cfg_error err = { 0, 0, NULL };
	struct cfg_node *c = parse(tpl);
	if (c && rf_check(c, &err))
		err.msg = NULL;
	return err;
}

#define CHECK_STR(a, b)                                                         \
	do {                                                                    \
		const char *a_ = (a), *b_ = (b);                               \
		if (strcmp(a_, b_)) {                                          \
			fprintf(stderr, "got:\n%s\nwant:\n%s\n", a_, b_);      \
			CHECK(!"strings differ");                              \
		}                                                               \
	} while (0)

#define CHECK_ERR(tpl, l, c)                                                    \
	do {                                                                    \
		struct cfg_error e_ = check_err(tpl);                          \
		CHECK(e_.msg != NULL);                                         \
		CHECK_EQ(e_.line, (l));                                        \
		CHECK_EQ(e_.col, (c));                                         \
	} while (0)

TEST(RF_0001, "an output of only literal attributes and nodes")
{
	CHECK_STR(eval("<config><output node=\"config\"><attribute name=\"v\" value=\"1\"/>"
	               "<node type=\"a\"><attribute name=\"x\" value=\"&lt;\"/></node></output></config>"),
	          "<config v=\"1\">\n  <a x=\"&lt;\"/>\n</config>");
}

TEST(RF_0002, "an attribute after a sub-node still lands on its node")
{
	CHECK_STR(eval("<config><output node=\"o\"><node type=\"a\"/><attribute name=\"late\" value=\"y\"/></output></config>"),
	          "<o late=\"y\">\n  <a/>\n</o>");
}

TEST(RF_0003, "an input attribute value is copied into the output")
{
	set_rom("r", "<state><kbd layout=\"de\"/></state>");
	CHECK_STR(eval("<config><input name=\"l\" rom=\"r\" node=\"state\"><node type=\"kbd\"><attribute name=\"layout\"/></node></input>"
	               "<output node=\"c\"><attribute name=\"layout\" input=\"l\"/></output></config>"),
	          "<c layout=\"de\"/>");
}

TEST(RF_0004, "an absent ROM, a wrong top node, a missing path or attribute omit the attribute")
{
	const char *tpl = "<config><input name=\"l\" rom=\"r2\" node=\"state\"><node type=\"kbd\"><attribute name=\"layout\"/></node></input>"
	                  "<output node=\"c\"><attribute name=\"layout\" input=\"l\"/><attribute name=\"k\" value=\"v\"/></output></config>";
	CHECK_STR(eval(tpl), "<c k=\"v\"/>");
	set_rom("r2", "<other><kbd layout=\"de\"/></other>");
	CHECK_STR(eval(tpl), "<c k=\"v\"/>");
	set_rom("r2", "<state><mouse/></state>");
	CHECK_STR(eval(tpl), "<c k=\"v\"/>");
	set_rom("r2", "<state><kbd/></state>");
	CHECK_STR(eval(tpl), "<c k=\"v\"/>");
	set_rom("r2", "<state><kbd layout=\"us\"/></state>");
	CHECK_STR(eval(tpl), "<c layout=\"us\" k=\"v\"/>");
}

TEST(RF_0005, "has_value selects then or else; the result follows the ROM as it changes")
{
	const char *tpl = "<config><input name=\"l\" rom=\"r3\" node=\"s\"><attribute name=\"mode\"/></input>"
	                  "<output node=\"c\"><if><has_value input=\"l\" value=\"fast\"/>"
	                  "<then><node type=\"fast\"/></then><else><node type=\"slow\"/></else></if></output></config>";
	CHECK_STR(eval(tpl), "<c>\n  <slow/>\n</c>");
	set_rom("r3", "<s mode=\"fast\"/>");
	CHECK_STR(eval(tpl), "<c>\n  <fast/>\n</c>");
	set_rom("r3", "<s mode=\"faster\"/>");
	CHECK_STR(eval(tpl), "<c>\n  <slow/>\n</c>");
}

TEST(RF_0006, "has_input holds when the path exists, with or without an attribute")
{
	const char *tpl = "<config><input name=\"d\" rom=\"r4\" node=\"devs\"><node type=\"dev\" name=\"nic\"/></input>"
	                  "<output node=\"c\"><if><has_input input=\"d\"/><then><node type=\"net\"/></then></if></output></config>";
	CHECK_STR(eval(tpl), "<c/>");
	set_rom("r4", "<devs><dev name=\"ahci\"/></devs>");
	CHECK_STR(eval(tpl), "<c/>");
	set_rom("r4", "<devs><dev name=\"ahci\"/><dev name=\"nic\"/></devs>");
	CHECK_STR(eval(tpl), "<c>\n  <net/>\n</c>");
}

TEST(RF_0007, "a node with name= picks the sub-node with that name, not the first of its type")
{
	set_rom("r5", "<s><dev name=\"a\" v=\"1\"/><dev name=\"b\" v=\"2\"/></s>");
	CHECK_STR(eval("<config><input name=\"b\" rom=\"r5\" node=\"s\"><node type=\"dev\" name=\"b\"><attribute name=\"v\"/></node></input>"
	               "<input name=\"f\" rom=\"r5\" node=\"s\"><node type=\"dev\"><attribute name=\"v\"/></node></input>"
	               "<output node=\"c\"><attribute name=\"b\" input=\"b\"/><attribute name=\"f\" input=\"f\"/></output></config>"),
	          "<c b=\"2\" f=\"1\"/>");
}

TEST(RF_0008, "all conditions of an if must hold")
{
	set_rom("r6", "<s a=\"1\" b=\"2\"/>");
	const char *pre = "<config><input name=\"a\" rom=\"r6\" node=\"s\"><attribute name=\"a\"/></input>"
	                  "<input name=\"b\" rom=\"r6\" node=\"s\"><attribute name=\"b\"/></input><output node=\"c\"><if>";
	char tpl[1024];
	snprintf(tpl, sizeof(tpl), "%s<has_value input=\"a\" value=\"1\"/><has_value input=\"b\" value=\"2\"/>"
	         "<then><node type=\"yes\"/></then><else><node type=\"no\"/></else></if></output></config>", pre);
	CHECK_STR(eval(tpl), "<c>\n  <yes/>\n</c>");
	snprintf(tpl, sizeof(tpl), "%s<has_value input=\"a\" value=\"1\"/><has_value input=\"b\" value=\"3\"/>"
	         "<then><node type=\"yes\"/></then><else><node type=\"no\"/></else></if></output></config>", pre);
	CHECK_STR(eval(tpl), "<c>\n  <no/>\n</c>");
}

TEST(RF_0009, "inline copies its sub-nodes verbatim: attributes, text, nesting")
{
	CHECK_STR(eval("<config><output node=\"c\"><inline><a x=\"1\"><b>t&amp;x</b></a><d/></inline></output></config>"),
	          "<c>\n  <a x=\"1\">\n    <b>t&amp;x</b>\n  </a>\n  <d/>\n</c>");
}

TEST(RF_0010, "attributes inside if branches of a node apply to that node; nested ifs work")
{
	set_rom("r7", "<s on=\"yes\" lvl=\"2\"/>");
	CHECK_STR(eval("<config><input name=\"on\" rom=\"r7\" node=\"s\"><attribute name=\"on\"/></input>"
	               "<input name=\"lvl\" rom=\"r7\" node=\"s\"><attribute name=\"lvl\"/></input>"
	               "<output node=\"c\"><node type=\"n\"><node type=\"k\"/><if><has_value input=\"on\" value=\"yes\"/><then>"
	               "<attribute name=\"enabled\" value=\"yes\"/><if><has_value input=\"lvl\" value=\"2\"/><then><node type=\"two\"/>"
	               "</then></if></then></if></node></output></config>"),
	          "<c>\n  <n enabled=\"yes\">\n    <k/>\n    <two/>\n  </n>\n</c>");
}

TEST(RF_0011, "rf_for_each_rom names every input's ROM")
{
	struct cfg_node *c = parse("<config><input name=\"a\" rom=\"x\" node=\"s\"/><input name=\"b\" rom=\"y\" node=\"s\"/>"
	                           "<output node=\"o\"/></config>");
	static char names[64];
	names[0] = 0;
	void fn(void *ctx, const char *rom) { (void)ctx; strcat(names, rom); strcat(names, ","); }
	rf_for_each_rom(c, fn, NULL);
	CHECK_STR(names, "x,y,");
}

TEST(RF_0012, "an output that does not fit the buffer fails instead of being cut")
{
	struct cfg_node *c = parse("<config><output node=\"c\"><inline><a x=\"0123456789\"/></inline></output></config>");
	struct cfg_error err;
	CHECK(rf_check(c, &err));
	char small[16];
	struct cfg_writer w;
	cfg_writer_init(&w, small, sizeof(small));
	CHECK(!rf_eval(c, rom_fn, NULL, &w));
}

TEST(RF_0013, "an invalid node type in the template fails the evaluation")
{
	struct cfg_node *c = parse("<config><output node=\"c\"><node type=\"a b\"/></output></config>");
	struct cfg_error err;
	CHECK(rf_check(c, &err));
	struct cfg_writer w;
	cfg_writer_init(&w, out, sizeof(out));
	CHECK(!rf_eval(c, rom_fn, NULL, &w));
}

TEST(RF_0014, "template errors name the offending node's line and column")
{
	CHECK_ERR("<config/>", 1, 1);                                                    /* no output */
	CHECK_ERR("<config>\n  <output node=\"a\"/>\n  <output node=\"b\"/></config>", 3, 3);
	CHECK_ERR("<config><output/></config>", 1, 9);                                   /* node missing */
	CHECK_ERR("<config>\n<foo/><output node=\"a\"/></config>", 2, 1);
	CHECK_ERR("<config><output node=\"a\">\n <bogus/></output></config>", 2, 2);
	CHECK_ERR("<config><output node=\"a\"><attribute value=\"1\"/></output></config>", 1, 26);
	CHECK_ERR("<config><output node=\"a\"><attribute name=\"x\"/></output></config>", 1, 26);
	CHECK_ERR("<config><output node=\"a\"><attribute name=\"x\" value=\"1\" input=\"i\"/></output></config>", 1, 26);
	CHECK_ERR("<config><output node=\"a\"><attribute name=\"x\" input=\"nope\"/></output></config>", 1, 26);
	CHECK_ERR("<config><output node=\"a\"><node/></output></config>", 1, 26);
	CHECK_ERR("<config><output node=\"a\"><inline>text</inline></output></config>", 1, 26);
	CHECK_ERR("<config><output node=\"a\">text</output></config>", 1, 9);
}

TEST(RF_0015, "input declaration errors: name, rom, node, duplicates, branching paths, content")
{
	CHECK_ERR("<config><input rom=\"r\" node=\"s\"/><output node=\"a\"/></config>", 1, 9);
	CHECK_ERR("<config><input name=\"i\" node=\"s\"/><output node=\"a\"/></config>", 1, 9);
	CHECK_ERR("<config><input name=\"i\" rom=\"r\"/><output node=\"a\"/></config>", 1, 9);
	CHECK_ERR("<config><input name=\"i\" rom=\"r\" node=\"s\"/>\n<input name=\"i\" rom=\"q\" node=\"s\"/><output node=\"a\"/></config>", 2, 1);
	CHECK_ERR("<config><input name=\"i\" rom=\"r\" node=\"s\"><node type=\"a\"/><node type=\"b\"/></input><output node=\"a\"/></config>", 1, 58);
	CHECK_ERR("<config><input name=\"i\" rom=\"r\" node=\"s\"><node/></input><output node=\"a\"/></config>", 1, 42);
	CHECK_ERR("<config><input name=\"i\" rom=\"r\" node=\"s\"><attribute/></input><output node=\"a\"/></config>", 1, 42);
	CHECK_ERR("<config><input name=\"i\" rom=\"r\" node=\"s\"><x/></input><output node=\"a\"/></config>", 1, 42);
	CHECK_ERR("<config><input name=\"i\" rom=\"r\" node=\"s\">t</input><output node=\"a\"/></config>", 1, 9);
	CHECK_ERR("<config><input name=\"i\" rom=\"r\" node=\"s\"><attribute name=\"a\"><x/></attribute></input><output node=\"a\"/></config>", 1, 42);
}

TEST(RF_0016, "if errors: unknown condition, undeclared input, missing value, then twice")
{
	const char *in = "<config><input name=\"i\" rom=\"r\" node=\"s\"/>";
	char t[512];
	snprintf(t, sizeof(t), "%s<output node=\"a\"><if><is input=\"i\"/></if></output></config>", in);
	CHECK_ERR(t, 1, 64);
	snprintf(t, sizeof(t), "%s<output node=\"a\"><if><has_input input=\"j\"/></if></output></config>", in);
	CHECK_ERR(t, 1, 64);
	snprintf(t, sizeof(t), "%s<output node=\"a\"><if><has_value input=\"i\"/></if></output></config>", in);
	CHECK_ERR(t, 1, 64);
	snprintf(t, sizeof(t), "%s<output node=\"a\"><if><then/><then/></if></output></config>", in);
	CHECK_ERR(t, 1, 71);
	snprintf(t, sizeof(t), "%s<output node=\"a\"><if><else><bad/></else></if></output></config>", in);
	CHECK_ERR(t, 1, 70);
}

/* An output whose template nests <node>s n deep. */
static char *nested_template(unsigned n)
{
	char *b = test_alloc(1, 64 + n * 32), *p = b;
	p += sprintf(p, "<config><output node=\"a\">");
	for (unsigned i = 0; i < n; i++)
		p += sprintf(p, "<node type=\"n\">");
	for (unsigned i = 0; i < n; i++)
		p += sprintf(p, "</node>");
	sprintf(p, "</output></config>");
	return b;
}

TEST(RF_0017, "templates nest at most 64 deep (<output> and 63 <node>s): the next is an error at its position")
{
	struct cfg_error err = { 0, 0, NULL };
	struct cfg_node *c = parse(nested_template(63));
	CHECK(c && rf_check(c, &err));
	c = parse(nested_template(64));
	CHECK(c && !rf_check(c, &err));
	CHECK(err.msg && !strcmp(err.msg, "template nested too deep"));
	CHECK_EQ(err.line, 1);
	CHECK_EQ(err.col, 26 + 15 * 63);   /* the 64th <node> */
	c = parse(nested_template(200));   /* the parser takes it, rom_filter refuses */
	CHECK(c && !rf_check(c, &err));
}

int main(int argc, char **argv)
{
	return test_main(argc, argv);
}
