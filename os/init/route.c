/*
 * Session routing (semantics in route.h). Reads only the model; writes
 * only the caller's label buffer and result.
 */
#include <argil/string.h>

#include "route.h"
#include "text.h"

bool init_label_valid(const char *label)
{
	size_t i = 0;

	for (; label[i] && i < INIT_LABEL_MAX; i++) {
		unsigned char c = (unsigned char)label[i];
		if (c < 0x20 || c == 0x7f)
			return false;
	}
	return i < INIT_LABEL_MAX;
}

bool init_label_matches(const struct init_label_filter *f, const char *label)
{
	if (f->label && strcmp(label, f->label))
		return false;
	if (f->label_prefix && !str_starts(label, f->label_prefix))
		return false;
	if (f->label_suffix && !str_ends(label, f->label_suffix))
		return false;
	if (f->label_last && strcmp(init_last_element(label), f->label_last))
		return false;
	return true;
}

static enum init_route_kind deny(struct init_route_result *r, const char *why)
{
	r->kind = INIT_ROUTE_DENIED;
	r->server = NULL;
	r->denial = why;
	return r->kind;
}

/* The label the server sees: rewritten by the target t, or scoped. */
static bool compose_label(const struct init_child *client, const char *label, const struct init_target *t,
                          char *out, size_t size, size_t *len)
{
	struct text x;

	text_init(&x, out, size);
	if (t->label) {
		text_put(&x, t->label);
	} else {
		text_put(&x, t->label_prefix ? t->label_prefix : client->name);
		text_put(&x, LABEL_SEP);
		if (t->label_last) {
			const char *last = init_last_element(label);
			text_putn(&x, label, (size_t)(last - label));
			text_put(&x, t->label_last);
		} else {
			text_put(&x, label);
		}
	}
	*len = x.len;
	return text_ok(&x);
}

/* The one child other than client that provides service; NULL when none
 * does or several do (*several set). */
static const struct init_child *only_provider(const struct init_model *m, const struct init_child *client,
                                              const char *service, bool *several)
{
	const struct init_child *found = NULL;

	for (unsigned i = 0; i < m->n_children; i++) {
		const struct init_child *c = m->children[i];
		if (c == client || !init_child_provides(c, service))
			continue;
		if (found) {
			*several = true;
			return NULL;
		}
		found = c;
	}
	return found;
}

/* The server a target stands for if it fits the service, else false. An
 * <any-child/> fits only when exactly one child provides the service. */
static bool target_fits(const struct init_model *m, const struct init_child *client, const char *service,
                        const struct init_target *t, enum init_route_kind *kind, const struct init_child **server,
                        bool *several)
{
	const struct init_child *s = NULL;

	switch (t->kind) {
	case INIT_TARGET_PARENT:
		*kind = INIT_ROUTE_PARENT;
		*server = NULL;
		return init_model_parent_provides(m, service);
	case INIT_TARGET_CHILD:
		s = init_model_child(m, t->child);
		break;
	case INIT_TARGET_ANY_CHILD:
		s = only_provider(m, client, service, several);
		break;
	}
	*kind = INIT_ROUTE_CHILD;
	*server = s;
	return s && s != client && init_child_provides(s, service);
}

/* Search one list of rules: 1 routed, 0 go on with the next list, -1 denied. */
static int search(const struct init_model *m, const struct init_route *route, const struct init_child *client,
                  const char *service, const char *label, char *out, size_t size, struct init_route_result *r)
{
	for (unsigned i = 0; i < route->n_rules; i++) {
		const struct init_rule *rule = &route->rules[i];
		if (rule->service && (strcmp(rule->service, service) || !init_label_matches(&rule->match, label)))
			continue;
		r->rule = rule;
		for (unsigned k = 0; k < rule->n_targets; k++) {
			const struct init_target *t = &rule->targets[k];
			enum init_route_kind kind;
			const struct init_child *server;
			if (!target_fits(m, client, service, t, &kind, &server, &r->ambiguous))
				continue;
			r->target = t;
			if (!compose_label(client, label, t, out, size, &r->label_len)) {
				deny(r, "the label is too long");
				return -1;
			}
			r->kind = kind;
			r->server = server;
			return 1;
		}
		if (rule->service) {
			deny(r, r->ambiguous ? "several children provide the service: <any-child/> cannot choose "
			                       "(name one with <child name=\"..\"/>)"
			                     : "no target of the matching route provides the service");
			return -1;
		}
	}
	return 0;
}

static void result_init(struct init_route_result *r, char *out, size_t size)
{
	memset(r, 0, sizeof(*r));
	r->kind = INIT_ROUTE_DENIED;
	if (size)
		out[0] = '\0';
}

enum init_route_kind init_route_session(const struct init_model *m, const struct init_child *client,
                                        const char *service, const char *label,
                                        char *out, size_t size, struct init_route_result *r)
{
	result_init(r, out, size);
	if (!init_label_valid(label))
		return deny(r, "the label is too long or holds control characters");
	if (!service[0] || !init_label_valid(service))
		return deny(r, "the service name is empty, too long or holds control characters");
	if (client->config && !strcmp(service, "ROM") && !strcmp(label, "config")) {
		struct text x;
		text_init(&x, out, size);
		text_put(&x, client->name);
		text_put(&x, LABEL_SEP "config");
		r->label_len = x.len;
		if (!text_ok(&x))
			return deny(r, "the label is too long");
		r->kind = INIT_ROUTE_LOCAL_CONFIG;
		return r->kind;
	}
	int found = search(m, &client->route, client, service, label, out, size, r);
	if (found == 0 && m->has_default_route)
		found = search(m, &m->default_route, client, service, label, out, size, r);
	if (found == 0) {
		r->rule = NULL;
		return deny(r, r->ambiguous ? "no route matches (several children provide the service: "
		                              "<any-child/> cannot choose; name one with <child name=\"..\"/>)"
		                            : "no route matches");
	}
	return r->kind;
}

enum init_route_kind init_route_binary(const struct init_model *m, const struct init_child *client,
                                       char *out, size_t size, struct init_route_result *r)
{
	return init_route_session(m, client, "ROM", client->binary, out, size, r);
}

enum init_route_kind init_route_parent_session(const struct init_model *m, const char *service, const char *label,
                                               char *out, size_t size, struct init_route_result *r)
{
	const struct init_service *svc = init_model_service(m, service);

	result_init(r, out, size);
	if (!init_label_valid(label))
		return deny(r, "the label is too long or holds control characters");
	if (!service[0] || !init_label_valid(service))
		return deny(r, "the service name is empty, too long or holds control characters");
	if (!svc)
		return deny(r, "init does not provide the service");
	for (unsigned i = 0; i < svc->n_policies; i++) {
		const struct init_policy *p = &svc->policies[i];
		if (!p->is_default && !init_label_matches(&p->match, label))
			continue;
		r->policy = p;
		r->target = &p->target;
		const struct init_child *s = init_model_child(m, p->target.child);
		if (!s || !init_child_provides(s, service))
			return deny(r, "the policy's child does not provide the service");
		struct text x;
		text_init(&x, out, size);
		text_put(&x, p->target.label ? p->target.label : label);
		r->label_len = x.len;
		if (!text_ok(&x))
			return deny(r, "the label is too long");
		r->kind = INIT_ROUTE_CHILD;
		r->server = s;
		return r->kind;
	}
	return deny(r, "no policy matches");
}

size_t init_route_describe(const struct init_route_result *r, const char *client, const char *service,
                           const char *label_out, char *buf, size_t size)
{
	struct text t;

	text_init(&t, buf, size);
	if (client)
		text_fmt(&t, "'%s' -> %s", client, service);
	else
		text_fmt(&t, "parent -> %s", service);
	switch (r->kind) {
	case INIT_ROUTE_DENIED:
		text_fmt(&t, ": denied: %s", r->denial);
		if (r->rule)
			text_fmt(&t, " (route at line %u col %u)", r->rule->line, r->rule->col);
		else if (r->policy)
			text_fmt(&t, " (policy at line %u col %u)", r->policy->line, r->policy->col);
		break;
	case INIT_ROUTE_PARENT:
		text_fmt(&t, " \"%s\": parent", label_out);
		break;
	case INIT_ROUTE_CHILD:
		text_fmt(&t, " \"%s\": child '%s'", label_out, r->server->name);
		break;
	case INIT_ROUTE_LOCAL_CONFIG:
		text_fmt(&t, " \"%s\": init (embedded config)", label_out);
		break;
	}
	return t.len;
}
