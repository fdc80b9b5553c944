/*
 * init's configuration model: a validated, self-contained picture of an
 * init config (the format is described in os/init/README.md).
 *
 * init_model_build() turns a parsed config tree into a model. The model
 * copies every string it keeps (names, labels, the canonical text of each
 * embedded <config>) into its own memory, so the config text and its parse
 * tree can be dropped right after the build. The runtime keeps the model
 * in effect, builds a new one when the config ROM changes, compares the two
 * with init_diff() (diff.h), applies the actions, and frees the old model.
 *
 * Errors never stop the build: each is recorded with the line and column
 * of the offending node and with its consequence (enum init_outcome):
 * - an error at the top level (the <config> node itself, <parent-provides>,
 *   <default-route>, <default>, <report>, <heartbeat>, init's own
 *   <service> policies, an unknown top-level node, a syntax error) rejects
 *   the whole config: m->rejected is set and the runtime keeps the model
 *   in effect, so the running system is left exactly as it was;
 * - an error inside a <start> node, or a conflict of that node with others
 *   (duplicate name, a service provided twice, a route target that does
 *   not exist or does not provide the service, quota beyond what init has)
 *   rejects only that <start> node: if a child of that name runs, it keeps
 *   its previous settings (the model holds a copy of them, flagged
 *   'carried'); otherwise the child is not started. Should the previous
 *   settings no longer fit the new config either (their route target was
 *   removed, say), the child is stopped. Every other child is unaffected.
 * Conflicts are settled in document order: the earlier <start> node wins.
 *
 * Portable C without system calls; memory comes from the caller's
 * allocator (struct init_mem), which init backs with its own RAM quota.
 */
#ifndef INIT_MODEL_H
#define INIT_MODEL_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include <argil/config.h>

/* Memory for models: alloc returns NULL when out of quota. */
struct init_mem {
	void *(*alloc)(void *ctx, size_t size);
	void (*free)(void *ctx, void *ptr, size_t size);
	void *ctx;
};

/* Models on malloc and free (malloc_mem.c): init's heap, or a host tool's C library */
extern const struct init_mem init_malloc_mem;

/* What init can hand out to its children in total (its own account minus
 * what init keeps for itself), independent of what children hold now. */
struct init_budget {
	uint64_t ram;           /* bytes */
	uint64_t caps;          /* capability slots */
};

/* Session-label conditions of a route rule or policy; NULL = absent.
 * All present conditions must hold. */
struct init_label_filter {
	const char *label;          /* the label equals this */
	const char *label_prefix;   /* the label starts with this */
	const char *label_suffix;   /* the label ends with this */
	const char *label_last;     /* its last element (after the last " -> ") equals this */
};

enum init_target_kind {
	INIT_TARGET_PARENT,         /* <parent/>: a service of init's parent */
	INIT_TARGET_CHILD,          /* <child name="x"/> */
	INIT_TARGET_ANY_CHILD,      /* <any-child/>: the child that provides it */
};

/* A route target with its optional label rewriting; NULL = absent.
 * 'label' replaces the whole label; otherwise 'label_prefix' replaces the
 * client's name in front of the label and 'label_last' the last element. */
struct init_target {
	enum init_target_kind kind;
	const char *child;          /* INIT_TARGET_CHILD: the server's name */
	const char *label;
	const char *label_prefix;
	const char *label_last;
	unsigned line, col;
};

/* One <service name=...> or <any-service> node of a route. */
struct init_rule {
	const char *service;        /* NULL for <any-service> */
	struct init_label_filter match;
	struct init_target *targets;
	unsigned n_targets;
	unsigned line, col;
};

struct init_route {
	struct init_rule *rules;
	unsigned n_rules;
};

struct init_provide {
	const char *name;
	unsigned line, col;
};

enum init_restart_policy {
	INIT_RESTART_NEVER,         /* restart="never" (default) */
	INIT_RESTART_ON_EXIT,       /* restart="on_exit": after any exit */
	INIT_RESTART_ON_FAULT,      /* restart="on_fault": after an unresolved fault */
	INIT_RESTART_ALWAYS,        /* restart="always": after either */
};

/* A child as its <start> node describes it. */
struct init_child {
	const char *name;
	const char *binary;         /* ROM module name of <binary name=...> */
	unsigned binary_line, binary_col;   /* of the <binary> node */
	const char *version;        /* "" when the attribute is absent */
	uint64_t ram, caps;
	int priority;               /* 0 (highest) .. -(prio_levels - 1) */
	enum init_restart_policy restart;
	bool heartbeat;             /* <heartbeat/>: monitored */
	unsigned heartbeat_restart_after;  /* skipped beats before a restart, 0: never */
	const char *config;         /* canonical text of the embedded <config>, or NULL */
	size_t config_len;
	struct init_provide *provides;
	unsigned n_provides;
	bool has_route;             /* a <route> node was given */
	struct init_route route;
	unsigned line, col;         /* of its <start> node */
	unsigned index;             /* position among the model's children */
	bool carried;               /* previous settings kept: its new <start> was rejected */
};

/* A target of init's own service towards its parent: always a child. */
struct init_policy {
	bool is_default;            /* <default-policy> */
	struct init_label_filter match;
	struct init_target target;
	unsigned line, col;
};

/* <service name=...> at the top level: init provides it to its parent. */
struct init_service {
	const char *name;
	struct init_policy *policies;   /* <policy> nodes in order, <default-policy> last */
	unsigned n_policies;
	unsigned line, col;
};

struct init_report_config {
	bool enabled;               /* a <report> node is present */
	bool requested, provided;   /* list sessions of each child */
	bool child_ram, child_caps; /* quota of each child */
	bool init_ram, init_caps;   /* init's own quota */
	bool errors;                /* list config errors (default yes) */
	uint64_t delay_ms;          /* rate limit of updates (default 100) */
	bool log;                   /* also log it, with a Report session too */
};

enum init_error_scope {
	INIT_ERR_CONFIG,            /* the whole config is rejected */
	INIT_ERR_CHILD,             /* one <start> node is rejected */
};

enum init_outcome {
	INIT_OUTCOME_CONFIG_IGNORED,    /* the whole new config is ignored */
	INIT_OUTCOME_NOT_STARTED,       /* the new child is not started */
	INIT_OUTCOME_KEPT,              /* the running child keeps its previous settings */
	INIT_OUTCOME_STOPPED,           /* the running child is stopped */
	INIT_OUTCOME_NODE_IGNORED,      /* the <start> node is ignored (no name, duplicate) */
};

struct init_error {
	unsigned line, col;         /* of the offending node (1-based) */
	enum init_error_scope scope;
	enum init_outcome outcome;
	const char *child;          /* name of the affected child, or NULL */
	const char *msg;            /* what is wrong, e.g. "unknown attribute 'foo' in <start>" */
	struct init_error *next;
	int origin;                 /* private: the <start> node's position, -1: top level */
};

struct init_chunk;

/* The smallest <config reserve_ram> accepted: one chunk of init's heap. */
#define INIT_RESERVE_RAM_MIN (64 * 1024)
/* What init keeps for itself unless <config reserve_ram> says otherwise:
 * its heap, the ROM of its config, the sessions it holds for children's
 * binaries while loading them. Its budget for children is what is free
 * of its own quota less these. */
#define INIT_RESERVE_RAM (1024 * 1024)
#define INIT_RESERVE_CAPS 200

struct init_model {
	bool rejected;              /* a top-level error: do not apply this model */
	const char *version;        /* <config version=...>, "" when absent */
	unsigned prio_levels;       /* power of two, 1..256 (default 1) */
	bool verbose;
	bool bench;                 /* <config bench="yes">: print the figures of run/init_bench */
	uint64_t reserve_ram;       /* <config reserve_ram>: RAM init keeps for itself, 0: absent */
	const char **parent_provides;
	unsigned n_parent_provides;
	bool has_default_route;
	struct init_route default_route;
	uint64_t default_ram, default_caps;     /* <default>, 0 when absent */
	struct init_report_config report;
	uint64_t heartbeat_rate_ms;             /* 0: no heartbeat monitoring */
	struct init_child **children;           /* in document order */
	unsigned n_children;
	struct init_service *services;
	unsigned n_services;
	uint64_t ram_assigned, caps_assigned;   /* sums over the children */
	struct init_error *errors;              /* in the order found */
	unsigned n_errors;

	/* private */
	struct init_mem mem;
	struct init_chunk *chunks;
};

enum init_status {
	INIT_OK,                    /* the model exists (check m->rejected and m->errors) */
	INIT_NO_MEMORY,             /* the allocator failed: nothing is left allocated */
};

/*
 * Build a model of 'config' (the root <config> node, NULL counts as an
 * empty input). 'prev' is the model in effect or NULL; children whose new
 * <start> node is rejected keep their settings from it. The budget bounds
 * the sum of the children's quota. On INIT_OK, free with init_model_free().
 */
enum init_status init_model_build(struct init_model *m, const struct cfg_node *config,
                                  const struct init_model *prev, struct init_budget budget,
                                  const struct init_mem *mem);

/* The same from config text: parses it first (a syntax error gives a
 * rejected model with one error at the parser's line and column). */
enum init_status init_model_build_text(struct init_model *m, const char *text, size_t len,
                                       const struct init_model *prev, struct init_budget budget,
                                       const struct init_mem *mem);

void init_model_free(struct init_model *m);

/* The child of that name, or NULL. */
struct init_child *init_model_child(const struct init_model *m, const char *name);

/* The child that declares <provides><service name=service/>, or NULL
 * (at most one child does: a second one is a config error). */
struct init_child *init_model_provider(const struct init_model *m, const char *service);

bool init_child_provides(const struct init_child *c, const char *service);
bool init_model_parent_provides(const struct init_model *m, const char *service);

/* init's own service of that name, or NULL. */
const struct init_service *init_model_service(const struct init_model *m, const char *name);

/* Structural equality of routes (rules, conditions, targets; not lines). */
bool init_route_equal(const struct init_route *a, const struct init_route *b);

/* "config '<origin>' line L col C: <msg> (<consequence>)" into buf,
 * snprintf-like; origin names the config: the label of init's config ROM
 * or a file name. */
size_t init_error_format(const struct init_error *e, const char *origin, char *buf, size_t size);
const char *init_outcome_text(enum init_outcome o);

/* The kernel priority of a child (higher numbers are more important) and
 * the band it may hand on to its own children (Genode's prio_levels): init's
 * band [floor, top] is split into prio_levels bands of step = (top - floor
 * + 1) / prio_levels (at least 1); priority -k gets the band whose top is
 * top - k * step (not below floor) and whose floor is that top - step + 1
 * (not below floor) in *child_floor (if not NULL). Priority 0 gets init's
 * own top: a child at priority 0 runs at init's priority, and so on down
 * any depth of nesting, so that components at the same configured
 * priority share the CPU round robin however deeply they are nested. */
unsigned init_child_priority(const struct init_model *m, const struct init_child *c, unsigned top,
			     unsigned floor, unsigned *child_floor);

#endif
