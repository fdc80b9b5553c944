// sources: base/src/config_parse.c base/src/config_query.c base/src/config_write.c
/*
 * Host unit tests of base/src/config_query.c and config_write.c (argil/config.h):
 * typed getters and navigation, cfg_print and its round trips, cfg_equal and
 * the writer. The parser: config.c.
 *
 * Areas: CFG_04xx navigation and getters, CFG_05xx printer, CFG_06xx
 * cfg_equal, CFG_07xx writer.
 */
#include "config_common.h"

/* ---- CFG_04xx: navigation and getters ---- */

static const char getter_doc[] =
	"<g dec=\"123\" zero=\"0\" max=\"18446744073709551615\" over=\"18446744073709551616\"\n"
	"   hex=\"0x1F\" HEX=\"0XfF\" hexmax=\"0xffffffffffffffff\" hexover=\"0x10000000000000000\"\n"
	"   lead=\"007\" empty=\"\" x=\"0x\" neg=\"-1\" plus=\"+1\" sp=\" 1\" sp2=\"1 \" frac=\"1.5\" tail=\"12a\"\n"
	"   k=\"4K\" m=\"3M\" g=\"2G\" hk=\"0x10K\" gmax=\"17179869183G\" gover=\"17179869184G\"\n"
	"   kover=\"18014398509481984K\" lk=\"1k\" kb=\"1KB\" konly=\"K\" ksp=\"1 K\" kk=\"1KK\"\n"
	"   yes=\"yes\" no=\"no\" true=\"true\" false=\"false\" Yes=\"Yes\" one=\"1\" yess=\"yess\"/>";

static struct cfg_node *getter_node(void)
{
	return check_ok(__LINE__, getter_doc, sizeof(getter_doc) - 1);
}

/* A getter's return value and what it stores (the default 77 unless it
 * returns 1). */
#define CHECK_GET(getter, n, name, ret, val)                                  \
	do {                                                                  \
		uint64_t v_ = 0xdead;                                         \
		CHECK_EQ(getter(n, name, 77, &v_), (uint64_t)(int64_t)(ret)); \
		CHECK_EQ(v_, (ret) == 1 ? (uint64_t)(val) : 77);              \
	} while (0)
#define CHECK_U64(n, name, ret, val) CHECK_GET(cfg_attr_u64, n, name, ret, val)
#define CHECK_SIZE(n, name, ret, val) CHECK_GET(cfg_attr_size, n, name, ret, val)

TEST(CFG_0401, "cfg_attr_u64: decimal, limits, leading zeros")
{
	struct cfg_node *n = getter_node();
	CHECK_U64(n, "dec", 1, 123);
	CHECK_U64(n, "zero", 1, 0);
	CHECK_U64(n, "max", 1, UINT64_MAX);
	CHECK_U64(n, "lead", 1, 7);
	CHECK_U64(n, "over", -1, 0);
}

TEST(CFG_0402, "cfg_attr_u64: hex with 0x and 0X, digits in both cases, overflow")
{
	struct cfg_node *n = getter_node();
	CHECK_U64(n, "hex", 1, 0x1f);
	CHECK_U64(n, "HEX", 1, 0xff);
	CHECK_U64(n, "hexmax", 1, UINT64_MAX);
	CHECK_U64(n, "hexover", -1, 0);
}

TEST(CFG_0403, "cfg_attr_u64: malformed values give -1 and the default")
{
	struct cfg_node *n = getter_node();
	static const char *const bad[] = { "empty", "x", "neg", "plus", "sp", "sp2", "frac", "tail", "k", "yes" };
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_U64(n, bad[i], -1, 0);
}

TEST(CFG_0410, "cfg_attr_colour: #rrggbb in either case; anything else -1 and the default")
{
	static const char doc[] = "<c a=\"#00ff7F\" b=\"#FFFFFF\" z=\"#000000\" short=\"#fff\" "
				  "long=\"#1234567\" nohash=\"1234567\" g=\"#12345g\" sp=\"# 12345\" "
				  "e=\"\" h=\"#\"/>";
	struct cfg_node *n = check_ok(__LINE__, doc, sizeof(doc) - 1);
	static const char *const bad[] = { "short", "long", "nohash", "g", "sp", "e", "h" };
	uint32_t v = 0;

	CHECK_EQ(cfg_attr_colour(n, "a", 7, &v), 1);
	CHECK_EQ(v, 0x00ff7f);
	CHECK_EQ(cfg_attr_colour(n, "b", 7, &v), 1);
	CHECK_EQ(v, 0xffffff);
	CHECK_EQ(cfg_attr_colour(n, "z", 7, &v), 1);
	CHECK_EQ(v, 0);
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = 0;
		CHECK_EQ(cfg_attr_colour(n, bad[i], 7, &v), (uint64_t)-1);
		CHECK_EQ(v, 7);
	}
	CHECK_EQ(cfg_attr_colour(n, "none", 9, &v), 0);
	CHECK_EQ(v, 9);
	CHECK_EQ(cfg_attr_colour(NULL, "a", 9, NULL), 0);
}

TEST(CFG_0404, "absent attributes give 0 and the default; out may be NULL; node may be NULL")
{
	struct cfg_node *n = getter_node();
	CHECK_U64(n, "nope", 0, 0);
	CHECK_SIZE(n, "nope", 0, 0);
	bool b = false;
	CHECK_EQ(cfg_attr_bool(n, "nope", true, &b), 0);
	CHECK(b == true);
	CHECK_EQ(cfg_attr_u64(n, "dec", 0, NULL), 1);
	CHECK_EQ(cfg_attr_u64(n, "over", 0, NULL), (uint64_t)-1);
	CHECK_EQ(cfg_attr_size(NULL, "k", 5, NULL), 0);
	uint64_t v = 1;
	CHECK_EQ(cfg_attr_u64(NULL, "dec", 9, &v), 0);
	CHECK_EQ(v, 9);
	CHECK_EQ(cfg_attr_bool(NULL, "yes", false, NULL), 0);
}

TEST(CFG_0405, "cfg_attr_size: K, M, G suffixes as powers of 1024, with hex, at the limit")
{
	struct cfg_node *n = getter_node();
	CHECK_SIZE(n, "k", 1, 4096);
	CHECK_SIZE(n, "m", 1, 3 << 20);
	CHECK_SIZE(n, "g", 1, (uint64_t)2 << 30);
	CHECK_SIZE(n, "hk", 1, 16 << 10);
	CHECK_SIZE(n, "gmax", 1, (uint64_t)17179869183 << 30);
	CHECK_SIZE(n, "dec", 1, 123);
	CHECK_SIZE(n, "max", 1, UINT64_MAX);
	CHECK_SIZE(n, "hex", 1, 0x1f);
}

TEST(CFG_0406, "cfg_attr_size: overflow by the suffix, lower case, extra letters, spaces")
{
	struct cfg_node *n = getter_node();
	static const char *const bad[] = { "gover", "kover", "lk", "kb", "konly", "ksp", "kk", "over", "empty", "neg", "frac" };
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_SIZE(n, bad[i], -1, 0);
}

TEST(CFG_0407, "cfg_attr_bool: yes/no/true/false exactly; anything else -1 and the default")
{
	struct cfg_node *n = getter_node();
	bool b;
	CHECK(cfg_attr_bool(n, "yes", false, &b) == 1 && b == true);
	CHECK(cfg_attr_bool(n, "true", false, &b) == 1 && b == true);
	CHECK(cfg_attr_bool(n, "no", true, &b) == 1 && b == false);
	CHECK(cfg_attr_bool(n, "false", true, &b) == 1 && b == false);
	static const char *const bad[] = { "Yes", "one", "yess", "empty", "zero" };
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		b = false;
		CHECK(cfg_attr_bool(n, bad[i], true, &b) == -1 && b == true);
	}
}

TEST(CFG_0408, "cfg_attr, cfg_has_attr, cfg_attr_is: exact names, decoded values, NULLs")
{
	const struct cfg_node *n = CHECK_PARSES("<a name='x&amp;y' Name='z' e=''/>");
	CHECK(!strcmp(cfg_attr(n, "name"), "x&y"));
	CHECK(!strcmp(cfg_attr(n, "Name"), "z"));
	CHECK(cfg_attr(n, "nam") == NULL && cfg_attr(n, "names") == NULL);
	CHECK(cfg_has_attr(n, "e") && !cfg_has_attr(n, "f"));
	CHECK(cfg_attr_is(n, "name", "x&y") && !cfg_attr_is(n, "name", "x&amp;y"));
	CHECK(cfg_attr_is(n, "e", "") && !cfg_attr_is(n, "f", ""));
	CHECK(!cfg_attr_is(n, "e", NULL) && cfg_attr(n, NULL) == NULL);
	CHECK(cfg_attr(NULL, "name") == NULL && !cfg_has_attr(NULL, "e") && !cfg_attr_is(NULL, "e", ""));
}

TEST(CFG_0409, "cfg_child, cfg_next, cfg_child_count with and without type; cfg_is")
{
	const struct cfg_node *r = CHECK_PARSES("<r><a i='1'/><b/><a i='2'/><c><a/></c><a i='3'/></r>");
	const struct cfg_node *a = cfg_child(r, "a");
	CHECK(cfg_attr_is(a, "i", "1"));
	a = cfg_next(a, "a");
	CHECK(cfg_attr_is(a, "i", "2"));
	a = cfg_next(a, "a");
	CHECK(cfg_attr_is(a, "i", "3"));
	CHECK(cfg_next(a, "a") == NULL && cfg_next(a, NULL) == NULL);
	CHECK(cfg_is(cfg_child(r, NULL), "a"));
	CHECK(cfg_is(cfg_next(cfg_child(r, NULL), NULL), "b"));
	CHECK(cfg_is(cfg_child(r, "c"), "c") && cfg_child(r, "d") == NULL);
	CHECK_EQ(cfg_child_count(r, "a"), 3);
	CHECK_EQ(cfg_child_count(r, NULL), 5);
	CHECK_EQ(cfg_child_count(r, "d"), 0);
	CHECK_EQ(cfg_child_count(cfg_child(r, "b"), NULL), 0);
	CHECK(!cfg_is(r, "R") && !cfg_is(r, NULL) && !cfg_is(NULL, "r") && cfg_is(r, "r"));
	CHECK(cfg_child(NULL, "a") == NULL && cfg_next(NULL, NULL) == NULL && cfg_child_count(NULL, NULL) == 0);
	CHECK(cfg_child(cfg_child(r, "zz"), "a") == NULL);
}

/* ---- CFG_05xx: printer ---- */

TEST(CFG_0501, "canonical form: indentation, double quotes, comments dropped, text inline")
{
	const struct cfg_node *n = CHECK_PARSES("<config  verbose='yes'>\n<!-- c -->\n<start name=\"timer\" caps='100'>"
					    "<provides> <service name=\"Timer\"/> </provides></start>\n"
					    "<label>hello <!--x-->world</label><empty></empty></config>");
	CHECK_PRINT(n, "<config verbose=\"yes\">\n"
		       "  <start name=\"timer\" caps=\"100\">\n"
		       "    <provides>\n"
		       "      <service name=\"Timer\"/>\n"
		       "    </provides>\n"
		       "  </start>\n"
		       "  <label>hello world</label>\n"
		       "  <empty/>\n"
		       "</config>\n");
	CHECK_ROUND_TRIP(n);
}

TEST(CFG_0502, "values: < > & \" tab LF CR escaped, ' and bytes >= 128 not")
{
	const struct cfg_node *n = CHECK_PARSES("<a v='&lt;&gt;&amp;\"&apos;\t\n\r&#9;&#10;&#13;\xc3\xbc'/>");
	CHECK(!strcmp(cfg_attr(n, "v"), "<>&\"'\t\n\r\t\n\r\xc3\xbc"));
	CHECK_PRINT(n, "<a v=\"&lt;&gt;&amp;&quot;'&#9;&#10;&#13;&#9;&#10;&#13;\xc3\xbc\"/>\n");
	CHECK_ROUND_TRIP(n);
}

TEST(CFG_0503, "text: < > & and CR escaped, quotes, tab and LF not")
{
	const struct cfg_node *n = CHECK_PARSES("<a>x&lt;&gt;&amp;\"'\t\n\r&#13;y</a>");
	CHECK_PRINT(n, "<a>x&lt;&gt;&amp;\"'\t\n&#13;&#13;y</a>\n");
	CHECK_ROUND_TRIP(n);
}

TEST(CFG_0504, "text starting with whitespace starts with a character reference, so it stays text")
{
	const struct cfg_node *n = CHECK_PARSES("<a>&#32; </a>");
	CHECK_PRINT(n, "<a>&#32; </a>\n");
	CHECK_ROUND_TRIP(n);
	n = CHECK_PARSES("<a>\n\tx\n</a>");
	CHECK_PRINT(n, "<a>&#10;\tx\n</a>\n");
	CHECK_ROUND_TRIP(n);
	n = CHECK_PARSES("<a>&#9;</a>");
	CHECK_PRINT(n, "<a>&#9;</a>\n");
	n = CHECK_PARSES("<a>&#13;&#10;</a>");
	CHECK_PRINT(n, "<a>&#13;\n</a>\n");
	CHECK_ROUND_TRIP(n);
}

TEST(CFG_0505, "snprintf-like: the full length is returned, output cut and NUL-terminated")
{
	const struct cfg_node *n = CHECK_PARSES("<a x='1'><b/></a>");
	static const char want[] = "<a x=\"1\">\n  <b/>\n</a>\n";
	size_t full = sizeof(want) - 1;
	CHECK_EQ(cfg_print(n, NULL, 0), full);
	char buf[64];
	for (size_t size = 0; size <= full + 2; size++) {
		memset(buf, 'Z', sizeof(buf));
		CHECK_EQ(cfg_print(n, buf, size), full);
		if (size == 0) {
			CHECK(buf[0] == 'Z');
			continue;
		}
		size_t k = size - 1 < full ? size - 1 : full;
		CHECK(!memcmp(buf, want, k) && buf[k] == 0 && buf[k + 1] == 'Z');
	}
	CHECK_EQ(cfg_print(NULL, buf, sizeof(buf)), 0);
	CHECK(buf[0] == 0);
}

TEST(CFG_0506, "a subtree prints alone, indented from 0, without its siblings")
{
	const struct cfg_node *n = CHECK_PARSES("<r><a><b k='v'><c/></b><d>t</d></a><z/></r>");
	CHECK_PRINT(n->child, "<a>\n  <b k=\"v\">\n    <c/>\n  </b>\n  <d>t</d>\n</a>\n");
	CHECK_PRINT(n->child->child, "<b k=\"v\">\n  <c/>\n</b>\n");
	CHECK_PRINT(n->child->child->next, "<d>t</d>\n");
	CHECK_ROUND_TRIP(n->child);
}

TEST(CFG_0507, "round trip over a set of documents")
{
	static const char *const docs[] = {
		"<a/>",
		"<a x='1' y=\"&quot;'\"/>",
		"<a><b><c><d/></c></b><e/></a>",
		"<a>  mixed &amp; spaced  </a>",
		"<r><t>\r\n</t><u>&#32;</u><v> <!-- c --> y</v></r>",
		"<s v='&#9;&#10;&#13; x'>\xe2\x82\xac</s>",
		"<q a='&lt;&gt;&amp;'>]]&gt;&lt;</q>",
		"<!-- pre --><w><x/><x/><x k=''/></w><!-- post -->",
	};
	for (unsigned i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		struct cfg_node *n = parse_n(docs[i], strlen(docs[i]));
		CHECK_MSG(n != NULL, "doc %u: %s", i, err_msg());
		CHECK_ROUND_TRIP(n);
	}
	size_t len;
	char *doc = nest(CFG_MAX_DEPTH - 1, "<x>&lt;</x>", &len);
	struct cfg_node *n = parse_n(doc, len);
	CHECK(n != NULL);
	CHECK_ROUND_TRIP(n);
}

TEST(CFG_0508, "hand-built trees: empty text prints as no text; sub-nodes win over text")
{
	struct cfg_node a = { .type = "a", .text = "", .text_len = 0 };
	CHECK_PRINT(&a, "<a/>\n");
	struct cfg_attr at = { .name = "k", .value = "v\"", .value_len = 2 };
	struct cfg_node c = { .type = "c", .attrs = &at };
	struct cfg_node b = { .type = "b", .child = &c, .text = "ignored", .text_len = 7 };
	c.parent = &b;
	CHECK_PRINT(&b, "<b>\n  <c k=\"v&quot;\"/>\n</b>\n");
}

/* ---- CFG_06xx: cfg_equal ---- */

TEST(CFG_0601, "equal: whitespace, comments, quotes and escapes do not count")
{
	struct cfg_node *a = CHECK_PARSES("<a x='1' y=\"&lt;\"><b/>\n<c>t&amp;</c></a>");
	struct cfg_node *b = CHECK_PARSES("<!--x--><a   x=\"1\"\ny='&#60;'>\n  <b></b><!-- y --><c>t&#x26;</c>\n</a>\n");
	CHECK(cfg_equal(a, b) && cfg_equal(b, a));
	CHECK(cfg_equal(a, a));
}

#define CHECK_DIFFERS(x, y)                                                   \
	do {                                                                  \
		struct cfg_node *a_ = CHECK_PARSES(x), *b_ = CHECK_PARSES(y);          \
		CHECK_MSG(!cfg_equal(a_, b_) && !cfg_equal(b_, a_), "%s vs %s", x, y); \
	} while (0)

TEST(CFG_0602, "not equal: type, attribute name, value, order, count")
{
	CHECK_DIFFERS("<a/>", "<b/>");
	CHECK_DIFFERS("<a/>", "<ab/>");
	CHECK_DIFFERS("<a x='1'/>", "<a y='1'/>");
	CHECK_DIFFERS("<a x='1'/>", "<a x='2'/>");
	CHECK_DIFFERS("<a x='1'/>", "<a x='12'/>");
	CHECK_DIFFERS("<a x='1' y='2'/>", "<a y='2' x='1'/>");
	CHECK_DIFFERS("<a x='1'/>", "<a x='1' y='2'/>");
	CHECK_DIFFERS("<a x=''/>", "<a/>");
}

TEST(CFG_0603, "not equal: text, sub-nodes, their order, count and depth")
{
	CHECK_DIFFERS("<a>t</a>", "<a/>");
	CHECK_DIFFERS("<a>t</a>", "<a>T</a>");
	CHECK_DIFFERS("<a>t</a>", "<a>t </a>");
	CHECK_DIFFERS("<a><b/></a>", "<a/>");
	CHECK_DIFFERS("<a><b/></a>", "<a>b</a>");
	CHECK_DIFFERS("<a><b/><c/></a>", "<a><c/><b/></a>");
	CHECK_DIFFERS("<a><b/><c/></a>", "<a><b/></a>");
	CHECK_DIFFERS("<a><b/><c/></a>", "<a><b><c/></b></a>");
	CHECK_DIFFERS("<a><b><c/></b><d/></a>", "<a><b><c/><d/></b></a>");
	CHECK_DIFFERS("<a><b><c x='1'/></b></a>", "<a><b><c x='2'/></b></a>");
	CHECK_DIFFERS("<a><b/><c/><d>x</d></a>", "<a><b/><c/><d>y</d></a>");
}

TEST(CFG_0604, "subtrees compare without their siblings and parents; NULL equals only NULL")
{
	struct cfg_node *a = CHECK_PARSES("<r><x k='1'><y/></x><z/></r>");
	struct cfg_node *b = CHECK_PARSES("<q><p/><x k='1'><y/></x></q>");
	CHECK(cfg_equal(a->child, b->child->next));
	CHECK(!cfg_equal(a->child, b->child));
	CHECK(!cfg_equal(a, b));
	CHECK(cfg_equal(NULL, NULL) && !cfg_equal(a, NULL) && !cfg_equal(NULL, a));
}

TEST(CFG_0605, "deep and wide trees compare without recursion")
{
	size_t len;
	char *d1 = nest(CFG_MAX_DEPTH - 1, "<x/><y>t</y>", &len);
	struct cfg_node *a = parse_n(d1, len), *b = parse_n(d1, len);
	CHECK(a && b && cfg_equal(a, b));
	char *d2 = nest(CFG_MAX_DEPTH - 1, "<x/><y>u</y>", &len);
	CHECK(!cfg_equal(a, parse_n(d2, len)));
	d1 = repeat("<r>", "<i v='1'/>", 50000, "</r>", &len);
	a = parse_n(d1, len);
	b = parse_n(d1, len);
	CHECK(cfg_equal(a, b));
	d1[len - 8] = '2';  /* the last item's value */
	CHECK(!cfg_equal(a, parse_n(d1, len)));
}

/* ---- CFG_07xx: writer ---- */

/* The writer's output parses and is exactly cfg_print of the parsed tree. */
static void check_writer_canonical(int line, const char *out, size_t len)
{
	struct cfg_node *n = parse_n(out, len);
	CHECK_MSG(n != NULL, "(line %d) writer output does not parse: %u:%u %s\n%s", line, last_err.line,
		  last_err.col, err_msg(), out);
	size_t plen;
	char *printed = print_alloc(n, &plen);
	CHECK_MSG(plen == len && !memcmp(printed, out, len), "(line %d) writer\n%s\nprint\n%s", line, out, printed);
}

static void write_sample(struct cfg_writer *w)
{
	cfg_node_begin(w, "state");
	cfg_node_attr(w, "version", "1");
	cfg_node_begin(w, "child");
	cfg_node_attr(w, "name", "a<b>&\"c'\t\n\r");
	cfg_node_attr_u64(w, "ram", 18446744073709551615ull);
	cfg_node_attr_u64(w, "caps", 0);
	cfg_node_end(w);
	cfg_node_begin(w, "log");
	cfg_node_text(w, " leading", 8);
	cfg_node_text(w, " & <more>\r\n", 11);
	cfg_node_end(w);
	cfg_node_begin(w, "empty");
	cfg_node_text(w, "", 0);
	cfg_node_end(w);
	cfg_node_begin(w, "outer");
	cfg_node_begin(w, "inner");
	cfg_node_end(w);
	cfg_node_end(w);
	cfg_node_end(w);
}

static const char sample_out[] =
	"<state version=\"1\">\n"
	"  <child name=\"a&lt;b&gt;&amp;&quot;c'&#9;&#10;&#13;\" ram=\"18446744073709551615\" caps=\"0\"/>\n"
	"  <log>&#32;leading &amp; &lt;more&gt;&#13;\n</log>\n"
	"  <empty/>\n"
	"  <outer>\n"
	"    <inner/>\n"
	"  </outer>\n"
	"</state>\n";

TEST(CFG_0701, "the writer's output is the canonical form of the same tree")
{
	char buf[512];
	struct cfg_writer w;
	cfg_writer_init(&w, buf, sizeof(buf));
	write_sample(&w);
	CHECK(cfg_writer_ok(&w));
	CHECK_MSG(!strcmp(buf, sample_out), "got\n%.200s", buf);
	CHECK_EQ(w.len, sizeof(sample_out) - 1);
	check_writer_canonical(__LINE__, buf, w.len);
	struct cfg_node *n = parse_n(buf, w.len);
	CHECK(!strcmp(cfg_attr(cfg_child(n, "child"), "name"), "a<b>&\"c'\t\n\r"));
	CHECK(!strcmp(cfg_child(n, "log")->text, " leading & <more>\r\n"));
	uint64_t v;
	CHECK(cfg_attr_u64(cfg_child(n, "child"), "ram", 0, &v) == 1 && v == UINT64_MAX);
}

TEST(CFG_0702, "overflow: every buffer size gives a NUL-terminated prefix, full len and not ok")
{
	size_t full = sizeof(sample_out) - 1;
	char buf[512];
	for (size_t size = 0; size <= full + 1; size++) {
		struct cfg_writer w;
		memset(buf, 'Z', sizeof(buf));
		cfg_writer_init(&w, size ? buf : NULL, size);
		write_sample(&w);
		CHECK_EQ(w.len, full);
		CHECK_EQ(cfg_writer_ok(&w), size > full);
		if (size) {
			size_t k = size - 1 < full ? size - 1 : full;
			CHECK(!memcmp(buf, sample_out, k) && buf[k] == 0 && buf[k + 1] == 'Z');
		} else {
			CHECK(buf[0] == 'Z');
		}
	}
}

TEST(CFG_0703, "a fresh writer is NUL-terminated; a single empty node; a node holding only text")
{
	char buf[64];
	struct cfg_writer w;
	memset(buf, 'Z', sizeof(buf));
	cfg_writer_init(&w, buf, sizeof(buf));
	CHECK(buf[0] == 0 && w.len == 0 && w.depth == 0);
	cfg_node_begin(&w, "a");
	CHECK(!cfg_writer_ok(&w));  /* not ended yet */
	cfg_node_end(&w);
	CHECK(cfg_writer_ok(&w) && !strcmp(buf, "<a/>\n"));
	cfg_writer_init(&w, buf, sizeof(buf));
	cfg_node_begin(&w, "t");
	cfg_node_text(&w, "x", 1);
	cfg_node_end(&w);
	CHECK(cfg_writer_ok(&w) && !strcmp(buf, "<t>x</t>\n"));
	check_writer_canonical(__LINE__, buf, w.len);
}

/* Runs a misuse and checks: invalid, later calls ignored, NUL-terminated. */
#define CHECK_MISUSE(...)                                                     \
	do {                                                                  \
		char b_[256];                                                 \
		struct cfg_writer w_, *w = &w_;                               \
		cfg_writer_init(w, b_, sizeof(b_));                           \
		__VA_ARGS__;                                                  \
		CHECK_MSG(w->invalid && !cfg_writer_ok(w), "%s", #__VA_ARGS__); \
		size_t len_ = w->len;                                         \
		cfg_node_begin(w, "later");                                   \
		cfg_node_attr(w, "x", "1");                                   \
		cfg_node_end(w);                                              \
		CHECK_EQ(w->len, len_);                                       \
		CHECK_EQ(strlen(b_), len_ < sizeof(b_) ? len_ : sizeof(b_) - 1); \
	} while (0)

TEST(CFG_0704, "writer misuse: bad names, NULL strings, control characters")
{
	CHECK_MISUSE(cfg_node_begin(w, "1a"));
	CHECK_MISUSE(cfg_node_begin(w, ""));
	CHECK_MISUSE(cfg_node_begin(w, NULL));
	CHECK_MISUSE(cfg_node_begin(w, "a b"));
	CHECK_MISUSE(cfg_node_begin(w, "a"); cfg_node_attr(w, "x y", "1"));
	CHECK_MISUSE(cfg_node_begin(w, "a"); cfg_node_attr(w, "x", NULL));
	CHECK_MISUSE(cfg_node_begin(w, "a"); cfg_node_attr(w, NULL, "1"));
	CHECK_MISUSE(cfg_node_begin(w, "a"); cfg_node_attr(w, "x", "\x1b[m"));
	CHECK_MISUSE(cfg_node_begin(w, "a"); cfg_node_attr_u64(w, "-x", 1));
	CHECK_MISUSE(cfg_node_begin(w, "a"); cfg_node_text(w, "a\0b", 3));
	CHECK_MISUSE(cfg_node_begin(w, "a"); cfg_node_text(w, "\x7f", 1));
	CHECK_MISUSE(cfg_node_begin(w, "a"); cfg_node_text(w, NULL, 1));
}

TEST(CFG_0705, "writer misuse: order of calls")
{
	CHECK_MISUSE(cfg_node_end(w));
	CHECK_MISUSE(cfg_node_text(w, "x", 1));
	CHECK_MISUSE(cfg_node_attr(w, "x", "1"));
	CHECK_MISUSE(cfg_node_begin(w, "a"); cfg_node_end(w); cfg_node_begin(w, "b"));
	CHECK_MISUSE(cfg_node_begin(w, "a"); cfg_node_end(w); cfg_node_end(w));
	CHECK_MISUSE(cfg_node_begin(w, "a"); cfg_node_text(w, "t", 1); cfg_node_attr(w, "x", "1"));
	CHECK_MISUSE(cfg_node_begin(w, "a"); cfg_node_text(w, "t", 1); cfg_node_begin(w, "b"));
	CHECK_MISUSE(cfg_node_begin(w, "a"); cfg_node_begin(w, "b"); cfg_node_end(w); cfg_node_text(w, "t", 1));
	CHECK_MISUSE(cfg_node_begin(w, "a"); cfg_node_begin(w, "b"); cfg_node_end(w); cfg_node_attr(w, "x", "1"));
	CHECK_MISUSE(cfg_node_begin(w, "a"); cfg_node_begin(w, "b"); cfg_node_end(w); cfg_node_attr_u64(w, "x", 1));
}

TEST(CFG_0706, "writer depth: CFG_MAX_DEPTH levels fine, one more begin makes the writer invalid")
{
	char *buf = test_alloc(1, (1 << 20));
	struct cfg_writer w;
	cfg_writer_init(&w, buf, (1 << 20));
	for (unsigned i = 0; i < CFG_MAX_DEPTH; i++)
		cfg_node_begin(&w, "n");
	cfg_node_text(&w, "deep", 4);
	for (unsigned i = 0; i < CFG_MAX_DEPTH; i++)
		cfg_node_end(&w);
	CHECK(cfg_writer_ok(&w));
	check_writer_canonical(__LINE__, buf, w.len);
	CHECK_MISUSE(for (unsigned i = 0; i < CFG_MAX_DEPTH + 1; i++) cfg_node_begin(w, "n"));
}

TEST(CFG_0707, "zero-length text is nothing: the node stays empty and may still get attributes")
{
	char buf[64];
	struct cfg_writer w;
	cfg_writer_init(&w, buf, sizeof(buf));
	cfg_node_begin(&w, "a");
	cfg_node_text(&w, "", 0);
	cfg_node_text(&w, NULL, 0);
	cfg_node_attr(&w, "k", "v");
	cfg_node_end(&w);
	CHECK(cfg_writer_ok(&w) && !strcmp(buf, "<a k=\"v\"/>\n"));
}

TEST(CFG_0708, "writer text that is only whitespace, chunk by chunk, stays text")
{
	char buf[128];
	struct cfg_writer w;
	cfg_writer_init(&w, buf, sizeof(buf));
	cfg_node_begin(&w, "r");
	cfg_node_begin(&w, "s");
	cfg_node_text(&w, "\t", 1);
	cfg_node_text(&w, " \n", 2);
	cfg_node_end(&w);
	cfg_node_end(&w);
	CHECK(cfg_writer_ok(&w));
	CHECK_MSG(!strcmp(buf, "<r>\n  <s>&#9; \n</s>\n</r>\n"), "%.100s", buf);
	check_writer_canonical(__LINE__, buf, w.len);
	CHECK(!strcmp(cfg_child(parse_n(buf, w.len), "s")->text, "\t \n"));
}

int main(int argc, char **argv)
{
	return test_main(argc, argv);
}
