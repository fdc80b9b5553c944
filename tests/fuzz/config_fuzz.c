/*
 * libFuzzer harness for base/src/config_*.c (`make fuzz`; built with clang
 * -fsanitize=fuzzer,address,undefined). For every input:
 *
 * - parse an exact-size heap copy (ASan sees any read at or past len) into
 *   an arena of cfg_arena_size(len) bytes at a misalignment the input picks;
 * - on an error: a message other than "arena exhausted", and a line/column
 *   inside the input or just past its end;
 * - on success: tree invariants (valid names, NUL-terminated strings of the
 *   stated lengths without control characters, no empty text, no node with
 *   both text and sub-nodes, depth <= CFG_MAX_DEPTH, each node's line/col
 *   is a '<' followed by its type), every getter on every attribute, the
 *   navigation functions; print -> parse -> cfg_equal, print again gives
 *   the same bytes; the writer fed from the tree writes exactly the printed
 *   bytes, and a cut writer buffer keeps a NUL-terminated prefix;
 * - a smaller arena gives the same result or "arena exhausted".
 * A failed check aborts, which libFuzzer reports as a crash.
 */
#include <argil/config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REQUIRE(c)                                                            \
	do {                                                                  \
		if (!(c)) {                                                   \
			fprintf(stderr, "config_fuzz: %s:%d: check failed: %s\n", __FILE__, __LINE__, #c); \
			abort();                                              \
		}                                                             \
	} while (0)

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	REQUIRE(p != NULL);
	return p;
}

/* The byte offset of line/col in in[0..len], or SIZE_MAX if there is none. */
static size_t offset_of(const uint8_t *in, size_t len, unsigned line, unsigned col)
{
	size_t off = 0;

	if (line < 1 || col < 1)
		return SIZE_MAX;
	for (unsigned l = 1; l < line; l++) {
		while (off < len && in[off] != '\n')
			off++;
		if (off == len)
			return SIZE_MAX;
		off++;
	}
	off += col - 1;
	for (size_t i = off - (col - 1); i < off && i < len; i++)
		if (in[i] == '\n')
			return SIZE_MAX;  /* the column runs past the line's end */
	return off <= len ? off : SIZE_MAX;
}

static int name_char(int c, int first)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
	       (!first && ((c >= '0' && c <= '9') || c == '.' || c == ':' || c == '-'));
}

static void check_name(const char *s)
{
	REQUIRE(name_char((unsigned char)s[0], 1));
	for (size_t i = 1; s[i]; i++)
		REQUIRE(name_char((unsigned char)s[i], 0));
}

static void check_string(const char *s, size_t len)
{
	REQUIRE(s != NULL && strlen(s) == len);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		REQUIRE(!((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f));
	}
}

static void check_node(const struct cfg_node *n, unsigned depth, const uint8_t *in, size_t len)
{
	REQUIRE(depth <= CFG_MAX_DEPTH);
	check_name(n->type);
	size_t off = offset_of(in, len, n->line, n->col), tl = strlen(n->type);
	REQUIRE(off < len && in[off] == '<' && off + 1 + tl <= len && !memcmp(in + off + 1, n->type, tl));
	REQUIRE(!(n->text && n->child));
	if (n->text) {
		REQUIRE(n->text_len > 0);
		check_string(n->text, n->text_len);
	} else {
		REQUIRE(n->text_len == 0);
	}
	for (const struct cfg_attr *a = n->attrs; a; a = a->next) {
		check_name(a->name);
		check_string(a->value, a->value_len);
		REQUIRE(cfg_attr(n, a->name) == a->value);  /* names are unique */
		REQUIRE(cfg_has_attr(n, a->name) && cfg_attr_is(n, a->name, a->value));
		uint64_t u = 0, sz = 0;
		bool b = false;
		int r1 = cfg_attr_u64(n, a->name, 7, &u);
		int r2 = cfg_attr_size(n, a->name, 7, &sz);
		int r3 = cfg_attr_bool(n, a->name, true, &b);
		REQUIRE(r1 >= -1 && r1 <= 1 && r1 != 0 && r2 != 0 && r3 != 0);
		REQUIRE(r1 == 1 || u == 7);
		REQUIRE(r2 == 1 || sz == 7);
		REQUIRE(r3 == 1 || b == true);
		if (r1 == 1)  /* a number is a size without suffix */
			REQUIRE(r2 == 1 && sz == u);
	}
	unsigned count = 0;
	for (const struct cfg_node *c = n->child; c; c = c->next) {
		REQUIRE(c->parent == n);
		count++;
	}
	REQUIRE(cfg_child_count(n, NULL) == count);
	if (n->child) {
		REQUIRE(cfg_child(n, NULL) == n->child && cfg_child(n, n->child->type) == n->child);
		REQUIRE(cfg_is(n->child, n->child->type));
		REQUIRE(cfg_child_count(n, n->child->type) >= 1);
	}
}

/* Iterative pre-order walk: checks every node, returns the node count. */
static size_t check_tree(const struct cfg_node *root, const uint8_t *in, size_t len)
{
	const struct cfg_node *n = root;
	unsigned depth = 1;
	size_t count = 0;

	REQUIRE(root->parent == NULL && root->next == NULL);
	for (;;) {
		check_node(n, depth, in, len);
		count++;
		if (n->child) {
			n = n->child;
			depth++;
			continue;
		}
		while (n != root && !n->next) {
			n = n->parent;
			depth--;
		}
		if (n == root)
			return count;
		n = n->next;
	}
}

/* Feeds the tree to a writer, as a program building a report would. */
static void write_tree(struct cfg_writer *w, const struct cfg_node *root)
{
	const struct cfg_node *n = root;

	for (;;) {
		cfg_node_begin(w, n->type);
		for (const struct cfg_attr *a = n->attrs; a; a = a->next)
			cfg_node_attr(w, a->name, a->value);
		if (n->text) {
			/* in two pieces, to exercise appending */
			size_t half = n->text_len / 2;
			cfg_node_text(w, n->text, half);
			cfg_node_text(w, n->text + half, n->text_len - half);
		}
		if (n->child) {
			n = n->child;
			continue;
		}
		cfg_node_end(w);
		while (n != root && !n->next) {
			n = n->parent;
			cfg_node_end(w);
		}
		if (n == root)
			return;
		n = n->next;
	}
}

static struct cfg_node *parse_copy(const uint8_t *data, size_t len, size_t arena_size, unsigned misalign,
				   void **arena_out, struct cfg_error *err)
{
	char *in = xmalloc(len);
	memcpy(in, data, len);
	char *arena = xmalloc(arena_size + misalign);
	struct cfg_node *n = cfg_parse(in, len, arena + misalign, arena_size, err);
	free(in);
	*arena_out = arena;
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	unsigned misalign = len ? data[len - 1] % 8 : 0;
	size_t arena_size = cfg_arena_size(len);
	struct cfg_error err;
	void *arena;
	struct cfg_node *root = parse_copy(data, len, arena_size, misalign, &arena, &err);

	if (!root) {
		REQUIRE(err.msg != NULL && strcmp(err.msg, "arena exhausted") != 0);
		REQUIRE(offset_of(data, len, err.line, err.col) <= len);
	} else {
		REQUIRE(err.msg == NULL);
		check_tree(root, data, len);

		size_t need = cfg_print(root, NULL, 0);
		char *out = xmalloc(need + 1);
		REQUIRE(cfg_print(root, out, need + 1) == need && strlen(out) == need);

		struct cfg_error err2;
		void *arena2;
		struct cfg_node *again = parse_copy((const uint8_t *)out, need, cfg_arena_size(need), 0, &arena2, &err2);
		if (!again)
			fprintf(stderr, "config_fuzz: printed output fails at %u:%u: %s\n%s", err2.line, err2.col,
				err2.msg, out);
		REQUIRE(again != NULL);
		REQUIRE(cfg_equal(root, again) && cfg_equal(again, root));
		check_tree(again, (const uint8_t *)out, need);
		char *out2 = xmalloc(need + 1);
		REQUIRE(cfg_print(again, out2, need + 1) == need && !memcmp(out, out2, need + 1));

		struct cfg_writer w;
		char *wbuf = xmalloc(need + 1);
		cfg_writer_init(&w, wbuf, need + 1);
		write_tree(&w, root);
		REQUIRE(cfg_writer_ok(&w) && w.len == need && !memcmp(wbuf, out, need + 1));
		size_t cut = need / 2;
		cfg_writer_init(&w, wbuf, cut + 1);
		write_tree(&w, root);
		REQUIRE(!cfg_writer_ok(&w) && !w.invalid && w.len == need);
		REQUIRE(!memcmp(wbuf, out, cut) && wbuf[cut] == 0);

		free(wbuf);
		free(out2);
		free(arena2);
		free(out);
	}

	/* a smaller arena: the same result, or "arena exhausted" */
	if (len) {
		size_t small = arena_size / (2 + data[0] % 16);
		struct cfg_error err3;
		void *arena3;
		struct cfg_node *r3 = parse_copy(data, len, small, 0, &arena3, &err3);
		if (r3)
			REQUIRE(root && cfg_equal(root, r3));
		else if (strcmp(err3.msg, "arena exhausted"))
			REQUIRE(!root && !strcmp(err3.msg, err.msg) && err3.line == err.line && err3.col == err.col);
		free(arena3);
	}
	free(arena);
	return 0;
}
