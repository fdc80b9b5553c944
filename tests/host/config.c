// sources: base/src/config_parse.c base/src/config_query.c base/src/config_write.c
/*
 * Host unit tests of base/src/config_parse.c, the config format's parser
 * (argil/config.h): every grammar rule, every error message with its exact
 * line and column, entities, limits (depth, long inputs, arena sizes).
 * Getters, the printer, cfg_equal and the writer: config_out.c.
 *
 * Every input is parsed from an exact-size heap copy, so that AddressSanitizer
 * catches any read at or past 'len'.
 *
 * Areas: CFG_00xx valid documents, CFG_01xx errors, CFG_02xx entities,
 * CFG_03xx limits and arenas.
 */
#include "config_common.h"

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

/* Documents that are errors, each with its position and message: a row
 * is a case, its documents all have the row's message unless they name
 * their own (M). */
struct bad_doc {
	const char *in;
	size_t len;
	unsigned line, col;
	const char *msg;
};
struct bad_docs {
	TEST_ROW;
	const char *msg;
	struct bad_doc doc[10];   /* up to the first without input */
};
#define E(lit, l, c) { lit, sizeof(lit) - 1, l, c, NULL }
#define M(lit, l, c, m) { lit, sizeof(lit) - 1, l, c, m }

static void check_bad_docs(const struct bad_docs *row)
{
	for (const struct bad_doc *d = row->doc; d < row->doc + 10 && d->in; d++) {
		const char *m = d->msg ? d->msg : row->msg;
		struct cfg_node *n = parse_n(d->in, d->len);
		CHECK_MSG(n == NULL && last_err.msg && !strcmp(last_err.msg, m) &&
			  last_err.line == d->line && last_err.col == d->col,
			  "(document %d) want %u:%u \"%s\", got %s %u:%u \"%s\"", (int)(d - row->doc),
			  d->line, d->col, m, n ? "success" : "error", last_err.line, last_err.col,
			  err_msg());
	}
}

static const struct bad_docs syntax_errors[] = {
	{ "CFG_0102", "more than one top-level node", "more than one top-level node", {
		E("<a/><b/>", 1, 5), E("<a></a>\n  <a></a>", 2, 3),
	} },
	{ "CFG_0103", "text outside the top-level node, before and after it", "text outside the top-level node", {
		E("x<a/>", 1, 1), E("<a/>\n x", 2, 2), E("<a/>&amp;", 1, 5), E("<a/>>", 1, 5),
	} },
	{ "CFG_0104", "a byte order mark is an error", "byte order mark", {
		E("\xef\xbb\xbf<a/>", 1, 1),
	} },
	{ "CFG_0105", "processing instructions, the XML declaration too", "processing instructions are not allowed", {
		E("<?xml version=\"1.0\"?>\n<a/>", 1, 1), E("<a>\n  <?pi x?></a>", 2, 3),
	} },
	{ "CFG_0106", "DOCTYPE and CDATA", "DOCTYPE and CDATA are not allowed", {
		E("<!DOCTYPE a>\n<a/>", 1, 1), E("<a><![CDATA[x]]></a>", 1, 4),
		E("<a/><!-", 1, 5), E("<a/><!", 1, 5),
	} },
	{ "CFG_0107", "unterminated comment points at its '<'", "unterminated comment", {
		E("<a/>\n <!-- x", 2, 2), E("<a><!--", 1, 4), E("<a><!-- x -", 1, 4),
		E("<a><!-- x --", 1, 4),
	} },
	{ "CFG_0108", "'--' inside a comment, also as '--->'", "'--' in comment", {
		E("<a><!-- a -- b --></a>", 1, 11), E("<a><!-- a ---></a>", 1, 11),
		E("<!------><a/>", 1, 5),
	} },
	{ "CFG_0109", "'<' not followed by a node type", "expected a node type after '<'", {
		E("< a/>", 1, 2), E("<a><1/></a>", 1, 5), E("<a>x < y</a>", 1, 7),
		E("<.a/>", 1, 2),
	} },
	{ "CFG_0110", "unterminated start tag points at its '<'", "unterminated start tag", {
		E("<", 1, 1), E("<a/>\n<", 2, 1), E("<abc", 1, 1), E("<a x='1'", 1, 1),
		E("<a><b x='1' ", 1, 4), E("<a x", 1, 1), E("<a x =", 1, 1), E("<a x = ", 1, 1),
		E("<a /", 1, 1),
	} },
	{ "CFG_0111", "bad bytes in a start tag", "expected an attribute name, '>' or '/>'", {
		E("<a $/>", 1, 4), E("<a x='1' 9='2'/>", 1, 10), E("<a\xc3\xbc/>", 1, 3),
		M("<a/ >", 1, 4, "expected '>' after '/'"),
		M("<a x='1'/x>", 1, 10, "expected '>' after '/'"),
	} },
	{ "CFG_0112", "attributes need whitespace between them", "missing whitespace before attribute", {
		E("<a x=\"1\"y=\"2\"/>", 1, 9), E("<a x='1'\n  y='2'z='3'/>", 2, 8),
	} },
	{ "CFG_0113", "duplicate attributes point at the second name", "duplicate attribute", {
		E("<a x=\"1\" x=\"2\"/>", 1, 10), E("<a ab='1' a='2' abc='3'\n ab='4'/>", 2, 2),
		E("<r><a/><a k='' l='' k=''/></r>", 1, 21),
	} },
	{ "CFG_0114", "'=' and a quoted value are required", "expected a quoted attribute value", {
		M("<a x>", 1, 5, "expected '=' after the attribute name"),
		M("<a x y='1'/>", 1, 6, "expected '=' after the attribute name"),
		E("<a x=1/>", 1, 6), E("<a x=`1`/>", 1, 6), E("<a x= />", 1, 7),
	} },
	{ "CFG_0115", "unterminated attribute value points at its opening quote", "unterminated attribute value", {
		E("<a x=\"1", 1, 6), E("<a\n  x='1\">", 2, 5), E("<a x=\"", 1, 6),
	} },
	{ "CFG_0116", "'<' in an attribute value", "'<' in attribute value", {
		E("<a x=\"a<b\"/>", 1, 8), E("<a x=\"1/>\n<b/>", 2, 1),
	} },
	{ "CFG_0117", "end tag names must match the open node; the first differing byte is named", "end tag does not match the open node", {
		E("<a></b>", 1, 6), E("<abc></abd>", 1, 10), E("<abc></ab>", 1, 10),
		E("<ab></abc>", 1, 9), E("<a>\n <b>\n </a>", 3, 4), E("<A></a>", 1, 6),
	} },
	{ "CFG_0118", "malformed end tags", "unterminated end tag", {
		M("<a></ a>", 1, 6, "expected a node type after '</'"),
		M("<a></>", 1, 6, "expected a node type after '</'"),
		M("<a></a x>", 1, 8, "expected '>' to end the end tag"),
		M("<a></a/>", 1, 7, "expected '>' to end the end tag"), E("<a></", 1, 4),
		E("<a></a", 1, 4), E("<a></a ", 1, 4),
	} },
	{ "CFG_0119", "end tags outside any node", "end tag outside any node", {
		E("</a>", 1, 1), E("<a/></a>", 1, 5), E("<a></a>\n</a>", 2, 1),
	} },
	{ "CFG_0120", "unclosed nodes point at the innermost open node's '<'", "unclosed node", {
		E("<a>", 1, 1), E("<a>\n  <b>\n", 2, 3), E("<a><b></b>\n", 1, 1),
		M("<a><b></b>text", 1, 11, "text and sub-nodes mixed"), E("<a>text", 1, 1),
	} },
	{ "CFG_0121", "text and sub-nodes in one node", "text and sub-nodes mixed", {
		E("<a>x<b/></a>", 1, 5), E("<a><b/>x</a>", 1, 8),
		E("<a><b/>\n  &amp;</a>", 2, 3), E("<a> x <!-- c --> <b/></a>", 1, 18),
		E("<a><b/> <!-- c --> y</a>", 1, 20),
	} },
	{ "CFG_0122", "']]>' in text points at its first ']'", "']]>' in text", {
		E("<a>x]]>y</a>", 1, 5), E("<a>\n]]]></a>", 2, 2),
	} },
	{ "CFG_0123", "NUL bytes anywhere", "NUL byte", {
		E("<a>\0</a>", 1, 4), E("<a x='\0'/>", 1, 7), E("<a/>\0", 1, 5),
		E("\0<a/>", 1, 1), E("<a\0/>", 1, 3), E("<a><!--\0--></a>", 1, 8),
		E("<\0", 1, 2), E("<a/>\n\0\0\0\0", 2, 1),
	} },
	{ "CFG_0124", "control characters other than tab, CR, LF anywhere (DEL too)", "control character", {
		E("<a>\x01</a>", 1, 4), E("<a>x\x0by</a>", 1, 5), E("<a x='\x1b[0m'/>", 1, 7),
		E("<a><!-- \x7f --></a>", 1, 9), E("<a>\x7f</a>", 1, 4), E("\x0c<a/>", 1, 1),
		E("<a \x08x='1'/>", 1, 4), E("<a></a\x1f>", 1, 7), E("<a x\x1f='1'/>", 1, 5),
	} },
};

TEST_TABLE(CFG_0102, syntax_errors, row)
{
	check_bad_docs(row);
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

static const struct bad_docs entity_errors[] = {
	{ "CFG_0204", "character references out of range: control characters, DEL, non-ASCII, huge", "character reference out of range", {
		E("<a>&#0;</a>", 1, 4), E("<a>&#1;</a>", 1, 4), E("<a v='&#x1f;'/>", 1, 7),
		E("<a>&#127;</a>", 1, 4), E("<a>&#128;</a>", 1, 4), E("<a>&#xe9;</a>", 1, 4),
		E("<a>&#99999999999999999999999999;</a>", 1, 4),
		E("<a>&#x10000000000000041;</a>", 1, 4),
	} },
	{ "CFG_0205", "malformed character references", "malformed character reference", {
		E("<a>&#;</a>", 1, 6), E("<a>&#x;</a>", 1, 7), E("<a>&#X41;</a>", 1, 6),
		E("<a>&#a;</a>", 1, 6),
		M("<a>&#65x;</a>", 1, 8, "expected ';' after the entity"),
		M("<a>&#x4g;</a>", 1, 8, "expected ';' after the entity"),
		M("<a>&#65 ;</a>", 1, 8, "expected ';' after the entity"),
	} },
	{ "CFG_0206", "unknown entities, a bare '&', a missing ';'", "unknown entity", {
		E("<a>&nbsp;</a>", 1, 4), E("<a>AT&T</a>", 1, 6), E("<a>&LT;</a>", 1, 4),
		E("<a>&ltx;</a>", 1, 4),
		M("<a>a & b</a>", 1, 6, "'&' does not start an entity"),
		M("<a v='&;'/>", 1, 7, "'&' does not start an entity"),
		M("<a>&lt x</a>", 1, 7, "expected ';' after the entity"),
		M("<a v='&amp'/>", 1, 11, "expected ';' after the entity"),
	} },
	{ "CFG_0207", "unterminated entities point at the '&'", "unterminated entity", {
		E("<a>&", 1, 4), E("<a>&lt", 1, 4), E("<a>&#", 1, 4), E("<a>&#x", 1, 4),
		E("<a>&#12", 1, 4), E("<a v='&#x4", 1, 7),
	} },
};

TEST_TABLE(CFG_0204, entity_errors, row)
{
	check_bad_docs(row);
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

int main(int argc, char **argv)
{
	return test_main(argc, argv);
}
