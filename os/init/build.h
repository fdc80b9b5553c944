/*
 * Private to the model builder (model.c, check.c, parse.c, start.c,
 * settle.c): the builder's state and the helpers its steps share.
 */
#ifndef INIT_BUILD_H
#define INIT_BUILD_H

#include <argil/config.h>

#include "model.h"

enum stage {
	STAGE_FRESH,        /* the settings of the new <start> node */
	STAGE_PREV,         /* a copy of the previous settings */
	STAGE_NONE,         /* no child */
};

struct slot {
	const struct cfg_node *node;
	const char *name;               /* NULL: the node is ignored */
	struct init_child *fresh;       /* NULL: the node is rejected */
	const struct init_child *prev;  /* same-named child of the model in effect */
	struct init_child *kept;        /* copy of prev once needed */
	enum stage stage;
};

struct builder {
	struct init_model *m;
	const struct init_model *prev;
	struct init_budget budget;
	bool oom;
	struct init_error **err_tail;
	int origin;                     /* slot errors go to, -1: top level */
	struct slot *slots;
	unsigned n_slots;
	/* top-level nodes, at most one each */
	const struct cfg_node *parent_provides, *default_route, *deflt, *report, *heartbeat;
};

/* memory of the model being built; NULL (and b->oom set) when exhausted */
void *mb_alloc(struct builder *b, size_t size);
void *mb_array(struct builder *b, size_t n, size_t size);
const char *mb_strndup(struct builder *b, const char *s, size_t len);
const char *mb_strdup(struct builder *b, const char *s);     /* NULL stays NULL */

/* record an error at (line, col), attributed to b->origin */
void mb_err_at(struct builder *b, unsigned line, unsigned col, const char *fmt, ...);
#define mb_err(b, n, ...) mb_err_at((b), (n)->line, (n)->col, __VA_ARGS__)

/* node checks (check.c): each records its errors and says whether all was well */
bool mb_check_attrs(struct builder *b, const struct cfg_node *n, const char *const *allowed);
bool mb_check_leaf(struct builder *b, const struct cfg_node *n);
bool mb_check_no_text(struct builder *b, const struct cfg_node *n);
const char *mb_required_name(struct builder *b, const struct cfg_node *n);
bool mb_get_bool(struct builder *b, const struct cfg_node *n, const char *attr, bool def, bool *out);
bool mb_get_u64(struct builder *b, const struct cfg_node *n, const char *attr, uint64_t def, uint64_t *out);
bool mb_get_size(struct builder *b, const struct cfg_node *n, const char *attr, uint64_t def, uint64_t *out);
bool mb_parse_int(const char *s, long long *out);
extern const char *const mb_name_attrs[];   /* { "name", NULL } */

/* routes (parse.c) */
bool mb_copy_filter(struct builder *b, const struct cfg_node *n, struct init_label_filter *f);
bool mb_parse_route(struct builder *b, const struct cfg_node *n, struct init_route *route);

/* the steps of a build, in order */
void mb_parse_top_level(struct builder *b, const struct cfg_node *root);   /* parse.c */
void mb_parse_starts(struct builder *b, const struct cfg_node *root);      /* start.c */
void mb_settle_conflicts(struct builder *b);                                /* settle.c */
void mb_check_default_route(struct builder *b);                             /* settle.c */
void mb_parse_services(struct builder *b, const struct cfg_node *root);    /* parse.c */

/* the child slot i stands for now, or NULL (settle.c) */
struct init_child *mb_candidate(const struct builder *b, unsigned i);

#endif
