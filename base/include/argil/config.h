/*
 * The one tree-structured data format of Argil: configs, reports and state.
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
 * - exactly one top-level node; nodes nest at most CFG_MAX_DEPTH deep;
 * - a node type and an attribute name match [A-Za-z_][A-Za-z0-9_.:-]*;
 * - attribute values are quoted with " or '; an attribute occurs once per
 *   node; the entities &lt; &gt; &amp; &quot; &apos; and &#N; / &#xN; (for
 *   N in 1..127) are the only escapes;
 * - a node holds either sub-nodes or text, not both (whitespace between
 *   sub-nodes does not count as text); text keeps its bytes as written,
 *   entities decoded;
 * - comments anywhere between nodes; no processing instructions, DOCTYPE or
 *   CDATA; no control characters except tab, CR and LF; no NUL.
 * Anything else is an error with the 1-based line and column of the first
 * offending byte. The parser never reads beyond 'len' and never recurses.
 *
 * Parsing needs no heap: the tree and its decoded strings are built in an
 * arena the caller provides (cfg_arena_size() says how much is enough for
 * any input of a given length).
 */
#ifndef ARGIL_CONFIG_H
#define ARGIL_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#define CFG_MAX_DEPTH 64

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

/* Arena bytes that suffice to parse any input of 'len' bytes. */
size_t cfg_arena_size(size_t len);

/* Parse buf[0..len) into the arena. Returns the root node, or NULL with
 * *err filled in (also when the arena is too small: "arena exhausted"). */
struct cfg_node *cfg_parse(const char *buf, size_t len, void *arena, size_t arena_size,
                           struct cfg_error *err);

/* Navigation: first sub-node of the given type (any type if NULL), next
 * sibling of the given type (any if NULL), number of sub-nodes. */
struct cfg_node *cfg_child(const struct cfg_node *n, const char *type);
struct cfg_node *cfg_next(const struct cfg_node *n, const char *type);
unsigned cfg_child_count(const struct cfg_node *n, const char *type);
bool cfg_is(const struct cfg_node *n, const char *type);

/* Attributes. cfg_attr returns the value or NULL when absent. The typed
 * getters return 0 when absent (*out = def), 1 when present and valid,
 * and -1 when present but malformed (*out = def). Numbers are decimal or
 * 0x-hex; sizes are numbers with an optional K, M or G suffix (powers of
 * 1024) and must not overflow 64 bits; booleans are yes/no/true/false. */
const char *cfg_attr(const struct cfg_node *n, const char *name);
bool cfg_has_attr(const struct cfg_node *n, const char *name);
bool cfg_attr_is(const struct cfg_node *n, const char *name, const char *value);
int cfg_attr_u64(const struct cfg_node *n, const char *name, uint64_t def, uint64_t *out);
int cfg_attr_size(const struct cfg_node *n, const char *name, uint64_t def, uint64_t *out);
int cfg_attr_bool(const struct cfg_node *n, const char *name, bool def, bool *out);

/* Print the subtree of n in canonical form (two-space indentation, double
 * quotes, entities escaped, comments dropped) into buf. Returns the length
 * the full output needs (snprintf-like; the output is NUL-terminated when
 * size > 0). Parsing the output gives an equal tree. */
size_t cfg_print(const struct cfg_node *n, char *buf, size_t size);

/* Structural equality: types, attributes (in order), text, sub-nodes. */
bool cfg_equal(const struct cfg_node *a, const struct cfg_node *b);

/* Building output (reports, state) without a tree: a writer appends to a
 * fixed buffer and remembers overflow instead of failing on each call. */
struct cfg_writer {
	char *buf;
	size_t size, len;           /* len may exceed size: then it overflowed */
	unsigned depth;
	bool open_tag;              /* the current node's '>' is not written yet */
	bool has_child[CFG_MAX_DEPTH];
	const char *types[CFG_MAX_DEPTH];
};
void cfg_writer_init(struct cfg_writer *w, char *buf, size_t size);
void cfg_node_begin(struct cfg_writer *w, const char *type);
void cfg_node_attr(struct cfg_writer *w, const char *name, const char *value);
void cfg_node_attr_u64(struct cfg_writer *w, const char *name, uint64_t value);
void cfg_node_text(struct cfg_writer *w, const char *text, size_t len);
void cfg_node_end(struct cfg_writer *w);
/* true if everything fit; the buffer is NUL-terminated either way */
bool cfg_writer_ok(const struct cfg_writer *w);

#endif
