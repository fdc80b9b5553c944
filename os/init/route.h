/*
 * Session routing: to whom init passes a session request.
 *
 * A child asks init for a session of a service with a label. The label the
 * child gives is scoped: the server sees "<child name> -> <label>" unless
 * the chosen route target rewrites it. Routing follows Genode's init:
 *  - a ROM request for the label "config" from a child with an embedded
 *    <config> is served by init itself (INIT_ROUTE_LOCAL_CONFIG);
 *  - otherwise the rules of the child's <route>, then those of the
 *    <default-route>, are checked in order. A <service name=...> rule
 *    matches its service when all its label conditions hold for the label
 *    as the child gave it (label: equal; label_prefix / label_suffix: starts
 *    / ends with; label_last: its last element, the part after the last
 *    " -> ", is equal); <any-service> matches every request;
 *  - the first matching rule's targets are tried in order: <parent/> if
 *    the service is in <parent-provides>, <child name=.../> if that child
 *    declares the service in <provides>, <any-child/> if some child does;
 *    a child is never routed to itself;
 *  - if none of the targets fits, a <service> rule denies the request,
 *    whereas after an <any-service> rule the search goes on with the next
 *    rule; a request no rule routes is denied.
 * Requests from init's parent for init's own services (top-level <service>
 * nodes) go to the first <policy> whose label conditions hold for the label
 * as received, else to the <default-policy>; the label reaches the child
 * unchanged unless the policy's <child label=...> replaces it.
 *
 * Pure functions of the model: whether a server child has started or
 * announced its service yet is for the runtime to wait for.
 */
#ifndef INIT_ROUTE_H
#define INIT_ROUTE_H

#include "model.h"

/* Labels init handles are shorter than this (the session label in an RPC
 * request is bounded anyway); the diff re-routes with buffers of it. */
#define INIT_LABEL_MAX 1024

enum init_route_kind {
	INIT_ROUTE_DENIED,
	INIT_ROUTE_PARENT,          /* ask init's parent */
	INIT_ROUTE_CHILD,           /* ask the child 'server' */
	INIT_ROUTE_LOCAL_CONFIG,    /* init serves the child's embedded <config> as ROM */
};

struct init_route_result {
	enum init_route_kind kind;
	const struct init_child *server;    /* INIT_ROUTE_CHILD */
	const struct init_rule *rule;       /* the deciding rule, NULL if none */
	const struct init_target *target;   /* the chosen target, NULL if none */
	const struct init_policy *policy;   /* requests from the parent: the chosen policy */
	const char *denial;                 /* INIT_ROUTE_DENIED: why (static text) */
	bool ambiguous;                     /* an <any-child/> met several providers */
	size_t label_len;                   /* length of the label for the server */
};

/*
 * Route a request of 'client' (a child of m) for 'service' with the label
 * the client gave. The label for the server is written to label_out
 * (NUL-terminated); a label longer than label_size - 1 denies the request.
 * Returns r->kind.
 */
enum init_route_kind init_route_session(const struct init_model *m, const struct init_child *client,
                                        const char *service, const char *label,
                                        char *label_out, size_t label_size, struct init_route_result *r);

/* The ROM with the child's binary: requested like a ROM session of the
 * child with the binary's name as label. */
enum init_route_kind init_route_binary(const struct init_model *m, const struct init_child *client,
                                       char *label_out, size_t label_size, struct init_route_result *r);

/* Route a request from init's parent for one of init's own services. */
enum init_route_kind init_route_parent_session(const struct init_model *m, const char *service, const char *label,
                                               char *label_out, size_t label_size,
                                               struct init_route_result *r);

/* A label init accepts: shorter than INIT_LABEL_MAX, no control
 * characters (so that it can appear in the state report). Requests with
 * other labels are denied. */
bool init_label_valid(const char *label);

/* Whether all conditions of f hold for the label. */
bool init_label_matches(const struct init_label_filter *f, const char *label);

/* A sentence for the log, e.g. "'app' -> Timer \"x\": denied: no route
 * matches" or "'app' -> LOG \"app -> x\": child 'log'"; snprintf-like.
 * client NULL means init's parent. */
size_t init_route_describe(const struct init_route_result *r, const char *client, const char *service,
                           const char *label_out, char *buf, size_t size);

#endif
