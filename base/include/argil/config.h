/*
 * The one tree-structured data format of Argil: configs, reports and state.
 * docs/config.md is the reference (grammar, every error message, examples).
 *
 * It is a strict subset of XML, so that it reads like the configs of the
 * Genode family and existing editors highlight it:
 *
 *   <config verbose="yes">
 *     <!-- a comment -->
 *     <start name="timer" caps="100" ram="1M">
 *       <provides> <service name="Timer"/> </provides>
 *     </start>
 *   </config>
 *
 * - exactly one top-level node; nodes nest at most CFG_MAX_DEPTH deep (the
 *   top-level node is at depth 1);
 * - a node type and an attribute name match [A-Za-z_][A-Za-z0-9_.:-]*;
 * - attribute values are quoted with " or '; an attribute occurs once per
 *   node; whitespace may surround '='; the entities &lt; &gt; &amp; &quot;
 *   &apos; and &#N; / &#xN; (N decimal / hex, for the characters that may
 *   also appear raw: 9, 10, 13 and 32..126) are the only escapes; '<' and a
 *   bare '&' are not allowed in values;
 * - a node holds either sub-nodes or text, not both; content made only of
 *   whitespace (space, tab, CR, LF) and comments is no text, so whitespace
 *   between sub-nodes does not count; text keeps its bytes as written
 *   (leading and trailing whitespace included, comments removed), entities
 *   decoded; ']]>' is not allowed in text;
 * - comments (<!-- ... -->, without '--' inside) anywhere between nodes and
 *   in text; no processing instructions (also no <?xml ...?>), DOCTYPE,
 *   CDATA or byte order mark; no control characters except tab, CR and LF
 *   (so also no NUL and no DEL) anywhere. Bytes 128..255 are taken as they
 *   are in text, values and comments (UTF-8 is not validated).
 * Anything else is an error with the 1-based line and column of the first
 * offending byte; for a construct that is never closed (comment, value,
 * tag, node) that is where it starts. Lines end at LF; columns count bytes.
 * The parser never reads beyond 'len', never recurses and takes O(len) time.
 *
 * Parsing needs no heap: the tree and its decoded strings are built in an
 * arena the caller provides (cfg_arena_size() says how much is enough for
 * any input of a given length). The tree points into the arena only, not
 * into the input. Decoded strings never contain NUL or control characters
 * other than tab, CR and LF.
 */
#ifndef ARGIL_CONFIG_H
#define ARGIL_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#define CFG_MAX_DEPTH 256

struct cfg_attr {
	const char *name;           /* NUL-terminated */
	const char *value;          /* NUL-terminated, entities decoded */
	size_t value_len;
	struct cfg_attr *next;      /* in document order */
};

struct cfg_node {
	const char *type;           /* NUL-terminated */
	struct cfg_attr *attrs;     /* first attribute, document order */
	struct cfg_node *parent;
	struct cfg_node *child;     /* first sub-node */
	struct cfg_node *next;      /* next sibling */
	const char *text;           /* NULL unless the node holds text */
	size_t text_len;
	unsigned line, col;         /* where the node's '<' is */
};

struct cfg_error {
	unsigned line, col;         /* 1-based */
	const char *msg;            /* static string, e.g. "duplicate attribute" */
};

/* Arena bytes that suffice to parse any input of 'len' bytes, for an arena
 * of any alignment: 18 * len + 1280 (SIZE_MAX if that overflows), so that
 * also a document cut short fails with its own error rather than "arena
 * exhausted". Typical configs need 3 to 4 bytes per input byte. */
size_t cfg_arena_size(size_t len);

/* Parse buf[0..len) into the arena. Returns the root node, or NULL with
 * *err filled in (also when the arena is too small: "arena exhausted").
 * On success *err is zeroed. err may be NULL. Pass the exact length: a
 * zero-padded buffer is an error ("NUL byte"). */
struct cfg_node *cfg_parse(const char *buf, size_t len, void *arena, size_t arena_size,
                           struct cfg_error *err);

/* Navigation: first sub-node of the given type (any type if NULL), next
 * sibling of the given type (any if NULL), number of sub-nodes (of the
 * given type, any if NULL). These and the attribute functions accept
 * n == NULL (nothing found), so lookups can be chained. */
struct cfg_node *cfg_child(const struct cfg_node *n, const char *type);
struct cfg_node *cfg_next(const struct cfg_node *n, const char *type);
unsigned cfg_child_count(const struct cfg_node *n, const char *type);
bool cfg_is(const struct cfg_node *n, const char *type);

/* Attributes. cfg_attr returns the value or NULL when absent. The typed
 * getters return 0 when absent (*out = def), 1 when present and valid,
 * and -1 when present but malformed (*out = def). Numbers are decimal or
 * 0x/0X-hex digits (at least one, no sign, no spaces) and must not
 * overflow 64 bits; sizes are numbers with an optional K, M or G suffix
 * (powers of 1024, upper case only) and must not overflow 64 bits either;
 * booleans are exactly yes/no/true/false. out may be NULL. */
const char *cfg_attr(const struct cfg_node *n, const char *name);
bool cfg_has_attr(const struct cfg_node *n, const char *name);
bool cfg_attr_is(const struct cfg_node *n, const char *name, const char *value);
int cfg_attr_u64(const struct cfg_node *n, const char *name, uint64_t def, uint64_t *out);
int cfg_attr_size(const struct cfg_node *n, const char *name, uint64_t def, uint64_t *out);
int cfg_attr_bool(const struct cfg_node *n, const char *name, bool def, bool *out);
/* A colour "#rrggbb" (hex digits in either case) as 0x00RRGGBB. */
int cfg_attr_colour(const struct cfg_node *n, const char *name, uint32_t def, uint32_t *out);

/*
 * Components' config checks that log what is wrong (base/src/config_check.c,
 * not in host builds): each returns false after an "error: config:L: ..."
 * line. cfg_attrs_known: every attribute of n is one of the NULL-terminated
 * names. cfg_attr_range: a number min..max (absent: def). cfg_colour: a
 * colour as cfg_attr_colour (absent: def). cfg_bool: yes/no/true/false
 * (absent: def).
 */
bool cfg_attrs_known(const struct cfg_node *n, const char *const *names);
bool cfg_attr_range(const struct cfg_node *n, const char *name, uint64_t def, uint64_t min,
		    uint64_t max, uint64_t *out);
bool cfg_colour(const struct cfg_node *n, const char *name, uint32_t def, uint32_t *out);
bool cfg_bool(const struct cfg_node *n, const char *name, bool def, bool *out);

/* Print the subtree of n in canonical form (two-space indentation, double
 * quotes, entities escaped, comments dropped, one node per line, text
 * inline, a newline after every line) into buf. Escaped are < > & always,
 * " tab LF CR in values, CR in text, and a whitespace character that
 * starts a text (as &#N;, else it would not count as text). Returns the
 * length the full output needs (snprintf-like; the output is
 * NUL-terminated when size > 0; buf may be NULL when size is 0). Parsing
 * the output of a parsed tree gives an equal tree, and printing that again
 * gives the same bytes. Iterative: it follows child, next and parent. */
size_t cfg_print(const struct cfg_node *n, char *buf, size_t size);

/* Structural equality: types, attributes (in order), text, sub-nodes.
 * Positions, parents and siblings of a and b themselves do not count.
 * Two NULLs are equal. Iterative. */
bool cfg_equal(const struct cfg_node *a, const struct cfg_node *b);

/* Building output (reports, state) without a tree: a writer appends to a
 * fixed buffer and remembers overflow instead of failing on each call. The
 * output is exactly what cfg_print gives for the same tree. A call that
 * would make the output unparsable (a bad type or attribute name, a value
 * or text with a control character, an attribute after the '>', text and
 * sub-nodes in one node, a second top-level node, nesting deeper than
 * CFG_MAX_DEPTH, an end without a begin, a NULL string) marks the writer
 * invalid; every later call then does nothing. Repeating an attribute
 * name is not detected. Type strings must stay valid until their node ends;
 * cfg_node_text may be called several times in a row to append. */
struct cfg_writer {
	char *buf;
	size_t size, len;           /* len >= size: it overflowed (the NUL needs a byte) */
	unsigned depth;
	bool open_tag;              /* the current node's '>' is not written yet */
	bool invalid;               /* a call was out of order or got a bad argument */
	bool has_child[CFG_MAX_DEPTH];
	const char *types[CFG_MAX_DEPTH];
};
void cfg_writer_init(struct cfg_writer *w, char *buf, size_t size);
void cfg_node_begin(struct cfg_writer *w, const char *type);
void cfg_node_attr(struct cfg_writer *w, const char *name, const char *value);
void cfg_node_attr_u64(struct cfg_writer *w, const char *name, uint64_t value);
void cfg_node_text(struct cfg_writer *w, const char *text, size_t len);
void cfg_node_end(struct cfg_writer *w);
/* Write node n with its attributes, text and sub-nodes as they are. */
void cfg_node_copy(struct cfg_writer *w, const struct cfg_node *n);
/* true if everything fit, every call was valid and every node is ended;
 * the buffer is NUL-terminated either way (when size > 0) */
bool cfg_writer_ok(const struct cfg_writer *w);

#endif
