// sources: base/src/config_parse.c base/src/config_query.c base/src/config_write.c
/*
 * Host unit tests of base/src/config_*.c, the config format (argil/config.h):
 * every grammar rule, every error message with its exact line and column,
 * entities, limits (depth, long inputs, arena sizes), typed getters,
 * cfg_print round trips, cfg_equal and the writer.
 *
 * Every input is parsed from an exact-size heap copy, so that AddressSanitizer
 * catches any read at or past 'len'.
 *
 * Areas: CFG_00xx valid documents, CFG_01xx errors, CFG_02xx entities,
 * CFG_03xx limits and arenas, CFG_04xx navigation and getters, CFG_05xx
 * printer, CFG_06xx cfg_equal, CFG_07xx writer.
 */
#include <harness.h>

#include <argil/config.h>

static struct cfg_error last_err;

/* Parse len bytes of s from an exact-size heap copy into an arena of
 * cfg_arena_size(len) bytes. The tree does not point into the input. */
static struct cfg_node *parse_n(const char *s, size_t len)
{
	char *copy = malloc(len ? len : 1);
	if (!copy)
		abort();
	memcpy(copy, s, len);
	size_t size = cfg_arena_size(len);
	void *arena = test_alloc(8, size);
	struct cfg_node *n = cfg_parse(copy, len, arena, size, &last_err);
	free(copy);
	return n;
}

static const char *err_msg(void)
{
	return last_err.msg ? last_err.msg : "(null)";
}

#define CHECK_PARSES(lit) check_ok(__LINE__, lit, sizeof(lit) - 1)
static struct cfg_node *check_ok(int line, const char *s, size_t len)
{
	struct cfg_node *n = parse_n(s, len);
	CHECK_MSG(n != NULL, "(line %d) error %u:%u %s", line, last_err.line, last_err.col, err_msg());
	CHECK_MSG(last_err.msg == NULL && last_err.line == 0 && last_err.col == 0,
		  "(line %d) error not cleared on success", line);
	return n;
}

#define CHECK_ERR(lit, l, c, m) check_err(__LINE__, lit, sizeof(lit) - 1, l, c, m)
static void check_err(int line, const char *s, size_t len, unsigned l, unsigned c, const char *m)
{
	struct cfg_node *n = parse_n(s, len);
	CHECK_MSG(n == NULL && last_err.msg && !strcmp(last_err.msg, m) && last_err.line == l &&
		  last_err.col == c,
		  "(line %d) want %u:%u \"%s\", got %s %u:%u \"%s\"", line, l, c, m,
		  n ? "success" : "error", last_err.line, last_err.col, err_msg());
}

static char *print_alloc(const struct cfg_node *n, size_t *len)
{
	size_t need = cfg_print(n, NULL, 0);
	char *buf = test_alloc(1, need + 1);
	CHECK_EQ(cfg_print(n, buf, need + 1), need);
	CHECK_EQ(strlen(buf), need);
	*len = need;
	return buf;
}

/* parse -> print -> parse gives an equal tree; printing that again gives
 * the same bytes. */
#define CHECK_ROUND_TRIP(n) check_round_trip(__LINE__, n)
static void check_round_trip(int line, const struct cfg_node *n)
{
	size_t len1, len2;
	char *out1 = print_alloc(n, &len1);
	struct cfg_node *m = parse_n(out1, len1);
	CHECK_MSG(m != NULL, "(line %d) printed output does not parse: %u:%u %s\n%s", line,
		  last_err.line, last_err.col, err_msg(), out1);
	CHECK_MSG(cfg_equal(n, m), "(line %d) printed tree differs:\n%s", line, out1);
	char *out2 = print_alloc(m, &len2);
	CHECK_MSG(len1 == len2 && !memcmp(out1, out2, len1), "(line %d) second print differs", line);
}

#define CHECK_PRINT(n, lit) check_print(__LINE__, n, lit)
static void check_print(int line, const struct cfg_node *n, const char *want)
{
	size_t len;
	char *out = print_alloc(n, &len);
	CHECK_MSG(!strcmp(out, want), "(line %d) printed\n%s\nwant\n%s", line, out, want);
}

static unsigned nattrs(const struct cfg_node *n)
{
	unsigned k = 0;
	for (const struct cfg_attr *a = n->attrs; a; a = a->next)
		k++;
	return k;
}

/* A buffer of 'reps' copies of 'unit' between 'head' and 'tail'. */
static char *repeat(const char *head, const char *unit, size_t reps, const char *tail, size_t *len)
{
	size_t h = strlen(head), u = strlen(unit), t = strlen(tail);
	*len = h + u * reps + t;
	char *b = test_alloc(1, *len + 1);
	memcpy(b, head, h);
	for (size_t i = 0; i < reps; i++)
		memcpy(b + h + i * u, unit, u);
	memcpy(b + h + u * reps, tail, t);
	return b;
}

/* depth nested <n> nodes, the innermost empty or holding 'inner' */
static char *nest(unsigned depth, const char *inner, size_t *len)
{
	size_t in = strlen(inner);
	*len = depth * 7 + in;
	char *b = test_alloc(1, *len + 1), *p = b;
	for (unsigned i = 0; i < depth; i++, p += 3)
		memcpy(p, "<n>", 3);
	memcpy(p, inner, in);
	p += in;
	for (unsigned i = 0; i < depth; i++, p += 4)
		memcpy(p, "</n>", 4);
	return b;
}

/* ---- CFG_00xx: valid documents ---- */

TEST(CFG_0001, "<a/> is one node without attributes, sub-nodes or text at 1:1")
{
	struct cfg_node *n = CHECK_PARSES("<a/>");
	CHECK(!strcmp(n->type, "a"));
	CHECK(n->attrs == NULL && n->child == NULL && n->next == NULL && n->parent == NULL);
	CHECK(n->text == NULL && n->text_len == 0);
	CHECK_EQ(n->line, 1);
	CHECK_EQ(n->col, 1);
}

TEST(CFG_0002, "<a></a> holds no text; neither does whitespace-only or comment-only content")
{
	const struct cfg_node *n = CHECK_PARSES("<a></a>");
	CHECK(n->text == NULL && n->child == NULL);
	n = CHECK_PARSES("<a> \t\r\n </a>");
	CHECK(n->text == NULL && n->text_len == 0);
	n = CHECK_PARSES("<a> <!-- c --> \n<!---->\t</a>");
	CHECK(n->text == NULL);
}

TEST(CFG_0003, "whitespace and comments before and after the top-level node")
{
	const struct cfg_node *n = CHECK_PARSES(" \t\r\n<!-- head -->\n <top x='1'/> <!-- tail -->\n\n");
	CHECK(!strcmp(n->type, "top"));
	CHECK_EQ(n->line, 3);
	CHECK_EQ(n->col, 2);
	CHECK(!strcmp(cfg_attr(n, "x"), "1"));
}

TEST(CFG_0004, "attributes keep document order; both quote kinds; the other quote inside")
{
	const struct cfg_node *n = CHECK_PARSES("<a x=\"1\" y='2' z=\"it's\" w='say \"hi\"'/>");
	const struct cfg_attr *a = n->attrs;
	CHECK(a && !strcmp(a->name, "x") && !strcmp(a->value, "1") && a->value_len == 1);
	a = a->next;
	CHECK(a && !strcmp(a->name, "y") && !strcmp(a->value, "2"));
	a = a->next;
	CHECK(a && !strcmp(a->name, "z") && !strcmp(a->value, "it's") && a->value_len == 4);
	a = a->next;
	CHECK(a && !strcmp(a->name, "w") && !strcmp(a->value, "say \"hi\"") && a->value_len == 8);
	CHECK(a->next == NULL);
}

TEST(CFG_0005, "whitespace around '=', between attributes and before '>' or '/>'")
{
	const struct cfg_node *n = CHECK_PARSES("<a\n\tx = \"1\"\r\n  y\t=\n'2'   \n/>");
	CHECK_EQ(nattrs(n), 2);
	CHECK(cfg_attr_is(n, "x", "1") && cfg_attr_is(n, "y", "2"));
	n = CHECK_PARSES("<b  k='v'  >  </b  >");
	CHECK(cfg_attr_is(n, "k", "v") && n->text == NULL);
}

TEST(CFG_0006, "an empty attribute value is present with length 0")
{
	const struct cfg_node *n = CHECK_PARSES("<a x=\"\" y=''/>");
	CHECK(cfg_has_attr(n, "x") && cfg_has_attr(n, "y"));
	CHECK(!strcmp(cfg_attr(n, "x"), "") && n->attrs->value_len == 0);
}

TEST(CFG_0007, "names: [A-Za-z_][A-Za-z0-9_.:-]* for node types and attribute names")
{
	const struct cfg_node *n = CHECK_PARSES("<_Az.09:-_ Z9.a-b:c_='1' _='2' q-='3'></_Az.09:-_>");
	CHECK(!strcmp(n->type, "_Az.09:-_"));
	CHECK(cfg_attr_is(n, "Z9.a-b:c_", "1") && cfg_attr_is(n, "_", "2") && cfg_attr_is(n, "q-", "3"));
}

TEST(CFG_0008, "sub-nodes: parent, child and next links in document order")
{
	const struct cfg_node *r = CHECK_PARSES("<r>\n  <a/>\n  <b><c/><d/></b>\n  <a k='2'/>\n</r>");
	const struct cfg_node *a = r->child, *b = a->next, *a2 = b->next;
	CHECK(a && b && a2 && a2->next == NULL);
	CHECK(!strcmp(a->type, "a") && !strcmp(b->type, "b") && !strcmp(a2->type, "a"));
	CHECK(a->parent == r && b->parent == r && a2->parent == r);
	const struct cfg_node *c = b->child, *d = c->next;
	CHECK(!strcmp(c->type, "c") && !strcmp(d->type, "d") && d->next == NULL);
	CHECK(c->parent == b && d->parent == b);
	CHECK(r->text == NULL && b->text == NULL);
	CHECK_EQ(b->line, 3);
	CHECK_EQ(b->col, 3);
	CHECK_EQ(d->line, 3);
	CHECK_EQ(d->col, 10);
}

TEST(CFG_0009, "text is kept as written: inner and outer whitespace, CR and LF included")
{
	const struct cfg_node *n = CHECK_PARSES("<a>  hello\r\n\tworld  </a>");
	CHECK(n->text && n->text_len == 17 && !strcmp(n->text, "  hello\r\n\tworld  "));
	n = CHECK_PARSES("<a>x</a>");
	CHECK(n->text_len == 1 && !strcmp(n->text, "x"));
}

TEST(CFG_0010, "comments inside text are removed, the text around them joined")
{
	const struct cfg_node *n = CHECK_PARSES("<a> foo<!-- c -->bar <!-- d --></a>");
	CHECK(n->text && !strcmp(n->text, " foobar ") && n->text_len == 8);
}

TEST(CFG_0011, "whitespace and comments between sub-nodes are no text")
{
	const struct cfg_node *n = CHECK_PARSES("<a>\n <!-- x -->\n <b>t</b> \n\t<c/>\r\n</a>");
	CHECK(n->text == NULL);
	CHECK(!strcmp(n->child->text, "t") && n->child->next->text == NULL);
}

TEST(CFG_0012, "'>' and ']' are allowed in text, '>' in attribute values")
{
	const struct cfg_node *n = CHECK_PARSES("<a v='x>y]]>'>a > b ]] ]>]</a>");
	CHECK(!strcmp(cfg_attr(n, "v"), "x>y]]>"));
	CHECK(!strcmp(n->text, "a > b ]] ]>]"));
}

TEST(CFG_0013, "bytes 128..255 are taken as they are in text, values and comments")
{
	const struct cfg_node *n = CHECK_PARSES("<a v=\"gr\xc3\xbc\xc3\x9f\xff\"><!-- \xe2\x82\xac -->\xe2\x82\xac\x80</a>");
	CHECK(!strcmp(cfg_attr(n, "v"), "gr\xc3\xbc\xc3\x9f\xff"));
	CHECK(!strcmp(n->text, "\xe2\x82\xac\x80"));
}

TEST(CFG_0014, "node positions: lines end at LF only, columns count bytes (tab and CR are one)")
{
	const struct cfg_node *r = CHECK_PARSES("<r>\r\n\t<a/>\n\n   <b/>\r<c/>\n<!---->\n</r>");
	CHECK_EQ(r->child->line, 2);
	CHECK_EQ(r->child->col, 2);
	CHECK_EQ(r->child->next->line, 4);
	CHECK_EQ(r->child->next->col, 4);
	CHECK_EQ(r->child->next->next->line, 4);
	CHECK_EQ(r->child->next->next->col, 9);
}

TEST(CFG_0015, "end tags may have whitespace before '>'")
{
	const struct cfg_node *n = CHECK_PARSES("<a><b></b \n\t></a\r\n>");
	CHECK(!strcmp(n->child->type, "b"));
}

TEST(CFG_0016, "comment forms: empty, single dashes, '->' inside, '>' inside")
{
	CHECK_PARSES("<!----><a/>");
	CHECK_PARSES("<a><!-- - a-b - --></a>");
	CHECK_PARSES("<a><!--->--></a>");
	CHECK_PARSES("<a><!-- <b> x > y --></a>");
	CHECK_PARSES("<a/><!--\t\r\n-->");
}

TEST(CFG_0017, "a node may hold sub-nodes or text; both types in one tree")
{
	const struct cfg_node *n = CHECK_PARSES("<config verbose=\"yes\">\n"
					    "  <!-- a comment -->\n"
					    "  <start name=\"timer\" caps=\"100\" ram=\"1M\">\n"
					    "    <provides> <service name=\"Timer\"/> </provides>\n"
					    "  </start>\n"
					    "  <label>hello</label>\n"
					    "</config>\n");
	const struct cfg_node *s = cfg_child(n, "start");
	CHECK(cfg_attr_is(s, "name", "timer"));
	CHECK(cfg_attr_is(cfg_child(cfg_child(s, "provides"), "service"), "name", "Timer"));
	CHECK(!strcmp(cfg_child(n, "label")->text, "hello"));
	CHECK_EQ(cfg_child_count(n, NULL), 2);
}

TEST(CFG_0018, "the same attribute name in different nodes is no duplicate; prefixes are no duplicates")
{
	const struct cfg_node *n = CHECK_PARSES("<a x='1' xy='2' xyz='3' y='4'><b x='5' xy='6'/><b x='7'/></a>");
	CHECK_EQ(nattrs(n), 4);
	CHECK(cfg_attr_is(n->child, "x", "5") && cfg_attr_is(n->child->next, "x", "7"));
}

/* ---- CFG_01xx: errors, each with its position ---- */

TEST(CFG_0101, "no top-level node: empty, whitespace only, comment only")
{
	CHECK_ERR("", 1, 1, "no top-level node");
	CHECK_ERR(" \n  ", 2, 3, "no top-level node");
	CHECK_ERR("<!-- x -->\n", 2, 1, "no top-level node");
	CHECK(cfg_parse(NULL, 0, NULL, 0, &last_err) == NULL && !strcmp(last_err.msg, "no top-level node"));
}

TEST(CFG_0102, "more than one top-level node")
{
	CHECK_ERR("<a/><b/>", 1, 5, "more than one top-level node");
	CHECK_ERR("<a></a>\n  <a></a>", 2, 3, "more than one top-level node");
}

TEST(CFG_0103, "text outside the top-level node, before and after it")
{
	CHECK_ERR("x<a/>", 1, 1, "text outside the top-level node");
	CHECK_ERR("<a/>\n x", 2, 2, "text outside the top-level node");
	CHECK_ERR("<a/>&amp;", 1, 5, "text outside the top-level node");
	CHECK_ERR("<a/>>", 1, 5, "text outside the top-level node");
}

TEST(CFG_0104, "a byte order mark is an error")
{
	CHECK_ERR("\xef\xbb\xbf<a/>", 1, 1, "byte order mark");
}

TEST(CFG_0105, "processing instructions, the XML declaration too")
{
	CHECK_ERR("<?xml version=\"1.0\"?>\n<a/>", 1, 1, "processing instructions are not allowed");
	CHECK_ERR("<a>\n  <?pi x?></a>", 2, 3, "processing instructions are not allowed");
}

TEST(CFG_0106, "DOCTYPE and CDATA")
{
	CHECK_ERR("<!DOCTYPE a>\n<a/>", 1, 1, "DOCTYPE and CDATA are not allowed");
	CHECK_ERR("<a><![CDATA[x]]></a>", 1, 4, "DOCTYPE and CDATA are not allowed");
	CHECK_ERR("<a/><!-", 1, 5, "DOCTYPE and CDATA are not allowed");
	CHECK_ERR("<a/><!", 1, 5, "DOCTYPE and CDATA are not allowed");
}

TEST(CFG_0107, "unterminated comment points at its '<'")
{
	CHECK_ERR("<a/>\n <!-- x", 2, 2, "unterminated comment");
	CHECK_ERR("<a><!--", 1, 4, "unterminated comment");
	CHECK_ERR("<a><!-- x -", 1, 4, "unterminated comment");
	CHECK_ERR("<a><!-- x --", 1, 4, "unterminated comment");
}

TEST(CFG_0108, "'--' inside a comment, also as '--->'")
{
	CHECK_ERR("<a><!-- a -- b --></a>", 1, 11, "'--' in comment");
	CHECK_ERR("<a><!-- a ---></a>", 1, 11, "'--' in comment");
	CHECK_ERR("<!------><a/>", 1, 5, "'--' in comment");
}

TEST(CFG_0109, "'<' not followed by a node type")
{
	CHECK_ERR("< a/>", 1, 2, "expected a node type after '<'");
	CHECK_ERR("<a><1/></a>", 1, 5, "expected a node type after '<'");
	CHECK_ERR("<a>x < y</a>", 1, 7, "expected a node type after '<'");
	CHECK_ERR("<.a/>", 1, 2, "expected a node type after '<'");
}

TEST(CFG_0110, "unterminated start tag points at its '<'")
{
	CHECK_ERR("<", 1, 1, "unterminated start tag");
	CHECK_ERR("<a/>\n<", 2, 1, "unterminated start tag");
	CHECK_ERR("<abc", 1, 1, "unterminated start tag");
	CHECK_ERR("<a x='1'", 1, 1, "unterminated start tag");
	CHECK_ERR("<a><b x='1' ", 1, 4, "unterminated start tag");
	CHECK_ERR("<a x", 1, 1, "unterminated start tag");
	CHECK_ERR("<a x =", 1, 1, "unterminated start tag");
	CHECK_ERR("<a x = ", 1, 1, "unterminated start tag");
	CHECK_ERR("<a /", 1, 1, "unterminated start tag");
}

TEST(CFG_0111, "bad bytes in a start tag")
{
	CHECK_ERR("<a $/>", 1, 4, "expected an attribute name, '>' or '/>'");
	CHECK_ERR("<a x='1' 9='2'/>", 1, 10, "expected an attribute name, '>' or '/>'");
	CHECK_ERR("<a\xc3\xbc/>", 1, 3, "expected an attribute name, '>' or '/>'");
	CHECK_ERR("<a/ >", 1, 4, "expected '>' after '/'");
	CHECK_ERR("<a x='1'/x>", 1, 10, "expected '>' after '/'");
}

TEST(CFG_0112, "attributes need whitespace between them")
{
	CHECK_ERR("<a x=\"1\"y=\"2\"/>", 1, 9, "missing whitespace before attribute");
	CHECK_ERR("<a x='1'\n  y='2'z='3'/>", 2, 8, "missing whitespace before attribute");
}

TEST(CFG_0113, "duplicate attributes point at the second name")
{
	CHECK_ERR("<a x=\"1\" x=\"2\"/>", 1, 10, "duplicate attribute");
	CHECK_ERR("<a ab='1' a='2' abc='3'\n ab='4'/>", 2, 2, "duplicate attribute");
	CHECK_ERR("<r><a/><a k='' l='' k=''/></r>", 1, 21, "duplicate attribute");
}

TEST(CFG_0114, "'=' and a quoted value are required")
{
	CHECK_ERR("<a x>", 1, 5, "expected '=' after the attribute name");
	CHECK_ERR("<a x y='1'/>", 1, 6, "expected '=' after the attribute name");
	CHECK_ERR("<a x=1/>", 1, 6, "expected a quoted attribute value");
	CHECK_ERR("<a x=`1`/>", 1, 6, "expected a quoted attribute value");
	CHECK_ERR("<a x= />", 1, 7, "expected a quoted attribute value");
}

TEST(CFG_0115, "unterminated attribute value points at its opening quote")
{
	CHECK_ERR("<a x=\"1", 1, 6, "unterminated attribute value");
	CHECK_ERR("<a\n  x='1\">", 2, 5, "unterminated attribute value");
	CHECK_ERR("<a x=\"", 1, 6, "unterminated attribute value");
}

TEST(CFG_0116, "'<' in an attribute value")
{
	CHECK_ERR("<a x=\"a<b\"/>", 1, 8, "'<' in attribute value");
	CHECK_ERR("<a x=\"1/>\n<b/>", 2, 1, "'<' in attribute value");
}

TEST(CFG_0117, "end tag names must match the open node; the first differing byte is named")
{
	CHECK_ERR("<a></b>", 1, 6, "end tag does not match the open node");
	CHECK_ERR("<abc></abd>", 1, 10, "end tag does not match the open node");
	CHECK_ERR("<abc></ab>", 1, 10, "end tag does not match the open node");
	CHECK_ERR("<ab></abc>", 1, 9, "end tag does not match the open node");
	CHECK_ERR("<a>\n <b>\n </a>", 3, 4, "end tag does not match the open node");
	CHECK_ERR("<A></a>", 1, 6, "end tag does not match the open node");
}

TEST(CFG_0118, "malformed end tags")
{
	CHECK_ERR("<a></ a>", 1, 6, "expected a node type after '</'");
	CHECK_ERR("<a></>", 1, 6, "expected a node type after '</'");
	CHECK_ERR("<a></a x>", 1, 8, "expected '>' to end the end tag");
	CHECK_ERR("<a></a/>", 1, 7, "expected '>' to end the end tag");
	CHECK_ERR("<a></", 1, 4, "unterminated end tag");
	CHECK_ERR("<a></a", 1, 4, "unterminated end tag");
	CHECK_ERR("<a></a ", 1, 4, "unterminated end tag");
}

TEST(CFG_0119, "end tags outside any node")
{
	CHECK_ERR("</a>", 1, 1, "end tag outside any node");
	CHECK_ERR("<a/></a>", 1, 5, "end tag outside any node");
	CHECK_ERR("<a></a>\n</a>", 2, 1, "end tag outside any node");
}

TEST(CFG_0120, "unclosed nodes point at the innermost open node's '<'")
{
	CHECK_ERR("<a>", 1, 1, "unclosed node");
	CHECK_ERR("<a>\n  <b>\n", 2, 3, "unclosed node");
	CHECK_ERR("<a><b></b>\n", 1, 1, "unclosed node");
	CHECK_ERR("<a><b></b>text", 1, 11, "text and sub-nodes mixed");
	CHECK_ERR("<a>text", 1, 1, "unclosed node");
}

TEST(CFG_0121, "text and sub-nodes in one node")
{
	CHECK_ERR("<a>x<b/></a>", 1, 5, "text and sub-nodes mixed");
	CHECK_ERR("<a><b/>x</a>", 1, 8, "text and sub-nodes mixed");
	CHECK_ERR("<a><b/>\n  &amp;</a>", 2, 3, "text and sub-nodes mixed");
	CHECK_ERR("<a> x <!-- c --> <b/></a>", 1, 18, "text and sub-nodes mixed");
	CHECK_ERR("<a><b/> <!-- c --> y</a>", 1, 20, "text and sub-nodes mixed");
}

TEST(CFG_0122, "']]>' in text points at its first ']'")
{
	CHECK_ERR("<a>x]]>y</a>", 1, 5, "']]>' in text");
	CHECK_ERR("<a>\n]]]></a>", 2, 2, "']]>' in text");
}

TEST(CFG_0123, "NUL bytes anywhere")
{
	CHECK_ERR("<a>\0</a>", 1, 4, "NUL byte");
	CHECK_ERR("<a x='\0'/>", 1, 7, "NUL byte");
	CHECK_ERR("<a/>\0", 1, 5, "NUL byte");
	CHECK_ERR("\0<a/>", 1, 1, "NUL byte");
	CHECK_ERR("<a\0/>", 1, 3, "NUL byte");
	CHECK_ERR("<a><!--\0--></a>", 1, 8, "NUL byte");
	CHECK_ERR("<\0", 1, 2, "NUL byte");
	CHECK_ERR("<a/>\n\0\0\0\0", 2, 1, "NUL byte");
}

TEST(CFG_0124, "control characters other than tab, CR, LF anywhere (DEL too)")
{
	CHECK_ERR("<a>\x01</a>", 1, 4, "control character");
	CHECK_ERR("<a>x\x0by</a>", 1, 5, "control character");
	CHECK_ERR("<a x='\x1b[0m'/>", 1, 7, "control character");
	CHECK_ERR("<a><!-- \x7f --></a>", 1, 9, "control character");
	CHECK_ERR("<a>\x7f</a>", 1, 4, "control character");
	CHECK_ERR("\x0c<a/>", 1, 1, "control character");
	CHECK_ERR("<a \x08x='1'/>", 1, 4, "control character");
	CHECK_ERR("<a></a\x1f>", 1, 7, "control character");
	CHECK_ERR("<a x\x1f='1'/>", 1, 5, "control character");
}

TEST(CFG_0125, "nesting: CFG_MAX_DEPTH (256) deep is fine, the next node is an error at its '<'")
{
	size_t len;
	char *doc = nest(CFG_MAX_DEPTH, "", &len);
	struct cfg_node *n = parse_n(doc, len);
	CHECK(n != NULL);
	unsigned depth = 1;
	while (n->child) {
		n = n->child;
		depth++;
	}
	CHECK_EQ(depth, CFG_MAX_DEPTH);
	doc = nest(CFG_MAX_DEPTH, "<x/>", &len);
	check_err(__LINE__, doc, len, 1, CFG_MAX_DEPTH * 3 + 1, "nodes nested too deep");
	doc = nest(CFG_MAX_DEPTH + 1, "", &len);
	check_err(__LINE__, doc, len, 1, CFG_MAX_DEPTH * 3 + 1, "nodes nested too deep");
	doc = nest(CFG_MAX_DEPTH - 1, "<x/>", &len);
	CHECK(parse_n(doc, len) != NULL);
}

TEST(CFG_0126, "positions of errors after many lines and long lines")
{
	size_t len;
	char *doc = repeat("<a>\n", "  <b/>\n", 999, "  <b x='1' x='2'/></a>", &len);
	check_err(__LINE__, doc, len, 1001, 12, "duplicate attribute");
	doc = repeat("<a>", "<b/>", 5000, "<c/ ></a>", &len);
	check_err(__LINE__, doc, len, 1, 3 + 5000 * 4 + 4, "expected '>' after '/'");
}

TEST(CFG_0127, "every proper prefix of a document is an error, and no parse reads past len")
{
	static const char doc[] = "<!-- c -->\n<config a=\"1\" b='x&amp;y&#x41;'>\n"
				  "  <start name=\"t\"><x/></start>\n  <t>text &lt; here</t>\n</config>\n";
	size_t len = sizeof(doc) - 1;
	CHECK(parse_n(doc, len) != NULL);
	for (size_t n = 0; n < len - 1; n++) {  /* len - 1: only the final newline missing */
		struct cfg_node *r = parse_n(doc, n);
		CHECK_MSG(r == NULL && last_err.msg && last_err.line >= 1 && last_err.col >= 1,
			  "prefix of %zu bytes: %s", n, r ? "parsed" : "no message");
	}
}

/* ---- CFG_02xx: entities ---- */

TEST(CFG_0201, "the five named entities in text and values")
{
	const struct cfg_node *n = CHECK_PARSES("<a v=\"&lt;&gt;&amp;&quot;&apos;\">&lt;&gt;&amp;&quot;&apos;</a>");
	CHECK(!strcmp(cfg_attr(n, "v"), "<>&\"'") && n->attrs->value_len == 5);
	CHECK(!strcmp(n->text, "<>&\"'") && n->text_len == 5);
}

TEST(CFG_0202, "decimal and hex character references: 9, 10, 13, 32..126, leading zeros, hex digits in both cases")
{
	const struct cfg_node *n = CHECK_PARSES("<a v='&#9;&#10;&#13;&#32;&#126;&#x41;&#x7e;&#x7E;&#0065;&#x0000004a;'>&#x20;x&#60;</a>");
	CHECK(!strcmp(cfg_attr(n, "v"), "\t\n\r ~A~~AJ"));
	CHECK(!strcmp(n->text, " x<"));
}

TEST(CFG_0203, "an entity makes content text even if it decodes to whitespace")
{
	const struct cfg_node *n = CHECK_PARSES("<a> &#32; </a>");
	CHECK(n->text && !strcmp(n->text, "   "));
	CHECK_ERR("<a>&#10;<b/></a>", 1, 9, "text and sub-nodes mixed");
}

TEST(CFG_0204, "character references out of range: control characters, DEL, non-ASCII, huge")
{
	CHECK_ERR("<a>&#0;</a>", 1, 4, "character reference out of range");
	CHECK_ERR("<a>&#1;</a>", 1, 4, "character reference out of range");
	CHECK_ERR("<a v='&#x1f;'/>", 1, 7, "character reference out of range");
	CHECK_ERR("<a>&#127;</a>", 1, 4, "character reference out of range");
	CHECK_ERR("<a>&#128;</a>", 1, 4, "character reference out of range");
	CHECK_ERR("<a>&#xe9;</a>", 1, 4, "character reference out of range");
	CHECK_ERR("<a>&#99999999999999999999999999;</a>", 1, 4, "character reference out of range");
	CHECK_ERR("<a>&#x10000000000000041;</a>", 1, 4, "character reference out of range");
}

TEST(CFG_0205, "malformed character references")
{
	CHECK_ERR("<a>&#;</a>", 1, 6, "malformed character reference");
	CHECK_ERR("<a>&#x;</a>", 1, 7, "malformed character reference");
	CHECK_ERR("<a>&#X41;</a>", 1, 6, "malformed character reference");
	CHECK_ERR("<a>&#a;</a>", 1, 6, "malformed character reference");
	CHECK_ERR("<a>&#65x;</a>", 1, 8, "expected ';' after the entity");
	CHECK_ERR("<a>&#x4g;</a>", 1, 8, "expected ';' after the entity");
	CHECK_ERR("<a>&#65 ;</a>", 1, 8, "expected ';' after the entity");
}

TEST(CFG_0206, "unknown entities, a bare '&', a missing ';'")
{
	CHECK_ERR("<a>&nbsp;</a>", 1, 4, "unknown entity");
	CHECK_ERR("<a>AT&T</a>", 1, 6, "unknown entity");
	CHECK_ERR("<a>&LT;</a>", 1, 4, "unknown entity");
	CHECK_ERR("<a>&ltx;</a>", 1, 4, "unknown entity");
	CHECK_ERR("<a>a & b</a>", 1, 6, "'&' does not start an entity");
	CHECK_ERR("<a v='&;'/>", 1, 7, "'&' does not start an entity");
	CHECK_ERR("<a>&lt x</a>", 1, 7, "expected ';' after the entity");
	CHECK_ERR("<a v='&amp'/>", 1, 11, "expected ';' after the entity");
}

TEST(CFG_0207, "unterminated entities point at the '&'")
{
	CHECK_ERR("<a>&", 1, 4, "unterminated entity");
	CHECK_ERR("<a>&lt", 1, 4, "unterminated entity");
	CHECK_ERR("<a>&#", 1, 4, "unterminated entity");
	CHECK_ERR("<a>&#x", 1, 4, "unterminated entity");
	CHECK_ERR("<a>&#12", 1, 4, "unterminated entity");
	CHECK_ERR("<a v='&#x4", 1, 7, "unterminated entity");
}

/* ---- CFG_03xx: limits and arenas ---- */

TEST(CFG_0301, "cfg_arena_size: 18 bytes per input byte plus 4736, saturating")
{
	CHECK_EQ(cfg_arena_size(0), 4736);
	CHECK_EQ(cfg_arena_size(100), 6536);
	CHECK_EQ(cfg_arena_size(SIZE_MAX), SIZE_MAX);
	CHECK_EQ(cfg_arena_size(SIZE_MAX / 18), SIZE_MAX);
	CHECK_EQ(cfg_arena_size((SIZE_MAX - 4736) / 18 + 1), SIZE_MAX);
	CHECK(cfg_arena_size((SIZE_MAX - 4736) / 18) == (SIZE_MAX - 4736) / 18 * 18 + 4736);
}

/* Parse with exactly cfg_arena_size(len) bytes at every misalignment. */
static void check_bound(int line, const char *doc, size_t len)
{
	size_t size = cfg_arena_size(len);
	char *copy = malloc(len);
	memcpy(copy, doc, len);
	for (unsigned off = 0; off < 8; off++) {
		char *arena = test_alloc(8, size + 8);
		struct cfg_error err;
		struct cfg_node *n = cfg_parse(copy, len, arena + off, size, &err);
		CHECK_MSG(n != NULL, "(line %d) offset %u: %u:%u %s", line, off, err.line, err.col, err.msg);
	}
	free(copy);
}

TEST(CFG_0302, "cfg_arena_size suffices for the densest inputs at any arena alignment")
{
	size_t len;
	char *doc = repeat("<a>", "<a/>", 20000, "</a>", &len);
	check_bound(__LINE__, doc, len);
	doc = repeat("<a>", "<abcdefg/>", 5000, "</a>", &len);
	check_bound(__LINE__, doc, len);
	doc = repeat("<a>", "<a>x</a>", 5000, "</a>", &len);
	check_bound(__LINE__, doc, len);
	doc = nest(CFG_MAX_DEPTH, "", &len);
	check_bound(__LINE__, doc, len);
	doc = repeat("<a>", "&lt;", 5000, "</a>", &len);
	check_bound(__LINE__, doc, len);
	doc = repeat("<a>", " ", 5000, "<b/></a>", &len);
	check_bound(__LINE__, doc, len);
	check_bound(__LINE__, "<a/>", 4);

	/* one tag with many attributes whose names are all different */
	static const char ch[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_";
	char *b = test_alloc(1, 200000), *p = b;
	p += sprintf(p, "<a");
	for (unsigned i = 0; i < 53; i++)
		p += sprintf(p, " %c=\"\"", ch[i]);
	for (unsigned i = 0; i < 53 * 53; i++)
		p += sprintf(p, " %c%c=\"\"", ch[i / 53], ch[i % 53]);
	p += sprintf(p, "/>");
	check_bound(__LINE__, b, (size_t)(p - b));
	struct cfg_node *n = parse_n(b, (size_t)(p - b));
	CHECK(n && nattrs(n) == 53 + 53 * 53);
}

TEST(CFG_0303, "too small an arena: 'arena exhausted', and never a partial tree; more never hurts")
{
	static const char doc[] = "<config a=\"1\" b='&amp;'>\n  <start name=\"t\"><x/></start>\n"
				  "  <t>text &lt; here</t>\n</config>\n";
	size_t len = sizeof(doc) - 1, full = cfg_arena_size(len);
	struct cfg_node *ref = parse_n(doc, len);
	CHECK(ref != NULL);
	size_t min = 0;
	for (size_t size = 0; size <= full; size++) {
		char *arena = test_alloc(8, size + 1);
		struct cfg_error err;
		struct cfg_node *n = cfg_parse(doc, len, arena, size, &err);
		if (n) {
			CHECK(cfg_equal(n, ref));
			if (!min)
				min = size;
		} else {
			CHECK_MSG(!min, "size %zu fails after %zu worked", size, min);
			CHECK(!strcmp(err.msg, "arena exhausted"));
			CHECK(err.line >= 1 && err.line <= 5 && err.col >= 1);
		}
	}
	CHECK(min > 0 && min < full);
	CHECK(cfg_parse(doc, len, NULL, 1000, &last_err) == NULL && !strcmp(last_err.msg, "arena exhausted"));
	CHECK(cfg_parse(doc, len, NULL, 0, NULL) == NULL);
}

TEST(CFG_0304, "arena exhausted names where: at the node that did not fit")
{
	static const char doc[] = "<a>\n<b/>\n<c/>\n</a>";
	size_t len = sizeof(doc) - 1;
	/* <a> and <b/>: 72 + 64 + 2 bytes, and 24 for the trie root of a tag: not <c/> */
	char *arena = test_alloc(8, 168);
	struct cfg_error err;
	CHECK(cfg_parse(doc, len, arena, 168, &err) == NULL);
	CHECK(!strcmp(err.msg, "arena exhausted"));
	CHECK_EQ(err.line, 3);
	CHECK_EQ(err.col, 1);
}

TEST(CFG_0305, "long inputs: a 4 MiB text, 200000 sub-nodes, a 1 MiB attribute value")
{
	size_t len;
	char *doc = repeat("<a>", "0123456789abcdef", 1 << 18, "</a>", &len);
	struct cfg_node *n = parse_n(doc, len);
	CHECK(n && n->text_len == (size_t)16 << 18 && n->text[n->text_len] == 0);
	CHECK(!memcmp(n->text + 16 * 1000, "0123456789abcdef", 16));

	doc = repeat("<r>\n", "  <item/>\n", 200000, "</r>\n", &len);
	n = parse_n(doc, len);
	CHECK(n && cfg_child_count(n, "item") == 200000);

	doc = repeat("<a v='", "x&amp;", 1 << 18, "'/>", &len);
	n = parse_n(doc, len);
	CHECK(n && n->attrs->value_len == (size_t)2 << 18);
}

TEST(CFG_0306, "60000 distinct attributes in one tag and a duplicate at its end are found in linear time")
{
	char *b = test_alloc(1, 1 << 20), *p = b;
	p += sprintf(p, "<a");
	for (unsigned i = 0; i < 60000; i++)
		p += sprintf(p, " n%u='%u'", i, i);
	char *ok_end = p;
	p += sprintf(p, "/>");
	struct cfg_node *n = parse_n(b, (size_t)(p - b));
	CHECK(n && nattrs(n) == 60000);
	uint64_t v;
	CHECK(cfg_attr_u64(n, "n59999", 0, &v) == 1 && v == 59999);
	p = ok_end;
	p += sprintf(p, " n12345='x'/>");
	check_err(__LINE__, b, (size_t)(p - b), 1, (unsigned)(ok_end - b) + 2, "duplicate attribute");
}

TEST(CFG_0307, "deep and wide: CFG_MAX_DEPTH levels, the deepest two siblings; positions stay right")
{
	size_t len;
	char *doc = nest(CFG_MAX_DEPTH - 1, "<x/><y/>", &len);
	struct cfg_node *n = parse_n(doc, len);
	CHECK(n);
	while (n->child)
		n = n->child;
	CHECK(!strcmp(n->type, "x") && !strcmp(n->next->type, "y"));
	CHECK_EQ(n->col, (CFG_MAX_DEPTH - 1) * 3 + 1);
	CHECK_EQ(n->next->col, (CFG_MAX_DEPTH - 1) * 3 + 5);
	CHECK_ROUND_TRIP(parse_n(doc, len));
}

/* Parse with exactly cfg_arena_size(len) at every misalignment; the result
 * must be the one an unlimited arena gives: never "arena exhausted". */
static void check_bound_err(int line, const char *doc, size_t len, const char *msg)
{
	size_t size = cfg_arena_size(len);
	char *copy = malloc(len);
	memcpy(copy, doc, len);
	for (unsigned off = 0; off < 8; off++) {
		char *arena = test_alloc(8, size + 8);
		struct cfg_error err;
		CHECK(cfg_parse(copy, len, arena + off, size, &err) == NULL);
		CHECK_MSG(!strcmp(err.msg, msg), "(line %d) offset %u: %u:%u %s", line, off, err.line, err.col, err.msg);
	}
	free(copy);
}

TEST(CFG_0308, "cut-short documents (CFG_MAX_DEPTH open nodes, a tag in progress) get their own error, not 'arena exhausted'")
{
	static const struct { const char *tail, *msg; } cuts[] = {
		{ "<a z", "unterminated start tag" },
		{ "<a z=", "unterminated start tag" },
		{ "<a z='", "unterminated attribute value" },
		{ "<a x='' yy='1' z", "unterminated start tag" },
		{ "<a", "unterminated start tag" },
		{ "<a>", "unclosed node" },
		{ "<a>text", "unclosed node" },
		{ "<a>  ", "unclosed node" },
		{ "<a/>", "unclosed node" },
		{ "<a/><a z", "unterminated start tag" },
	};
	for (unsigned i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		size_t len;
		char *doc = repeat("", "<a>", CFG_MAX_DEPTH - 1, cuts[i].tail, &len);
		check_bound_err(__LINE__, doc, len, cuts[i].msg);
	}
	check_bound_err(__LINE__, "<a z", 4, "unterminated start tag");
	check_bound_err(__LINE__, "<a>", 3, "unclosed node");
}

TEST(CFG_0309, "every arena size at every misalignment: the full tree or 'arena exhausted' at a sane place")
{
	static const char *const docs[] = {
		"<a>textual</a>", "<a v='value' w='x&amp;y'/>", "<abcdefgh/>", "<a><b>t</b> <c/></a>",
		"<r>\n  <i k='1'/>\n  <t>  x  </t>\n</r>\n", "<a\nlong_attribute_name='long value'>t&#10;</a>",
		/* shaped so that the arena can end right before a value's or text's NUL */
		"<a v='123456'/>", "<a>12345678901234</a>",
	};
	for (unsigned d = 0; d < sizeof(docs) / sizeof(docs[0]); d++) {
		size_t len = strlen(docs[d]);
		struct cfg_node *ref = parse_n(docs[d], len);
		CHECK(ref != NULL);
		for (unsigned off = 0; off < 8; off++) {
			for (size_t size = 0; size <= 400; size++) {
				char *arena = test_alloc(8, size + 8);
				struct cfg_error err;
				struct cfg_node *n = cfg_parse(docs[d], len, arena + off, size, &err);
				if (n) {
					CHECK(cfg_equal(n, ref));
				} else {
					CHECK_MSG(!strcmp(err.msg, "arena exhausted"), "doc %u size %zu: %s", d, size, err.msg);
					CHECK(err.line >= 1 && err.line <= 4 && err.col >= 1 && err.col <= len + 1);
				}
			}
		}
	}
}

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

#define CHECK_U64(n, name, ret, val)                                          \
	do {                                                                  \
		uint64_t v_ = 0xdead;                                         \
		CHECK_EQ(cfg_attr_u64(n, name, 77, &v_), (uint64_t)(int64_t)(ret)); \
		CHECK_EQ(v_, (ret) == 1 ? (uint64_t)(val) : 77);              \
	} while (0)

#define CHECK_SIZE(n, name, ret, val)                                         \
	do {                                                                  \
		uint64_t v_ = 0xdead;                                         \
		CHECK_EQ(cfg_attr_size(n, name, 77, &v_), (uint64_t)(int64_t)(ret)); \
		CHECK_EQ(v_, (ret) == 1 ? (uint64_t)(val) : 77);              \
	} while (0)

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
