/*
 * The platform driver (docs/devices.md): owns PCI configuration space
 * and serves Platform sessions (platform_session.h) to the components its
 * config names by label. One thread: the main entrypoint serves the
 * sessions, the config and report ROMs and the interrupts.
 *
 * Trusts its parent (which routes and pays its sessions) and core. The
 * config ROM is re-read whenever it changes; a session's policy is looked
 * up in the config in effect at every request, so a policy that goes away
 * takes the session's rights with it. Clients are trusted for nothing:
 * every word of a request is checked before it is used.
 */
#include <argil/component.h>
#include <argil/config_rom.h>
#include <argil/heap.h>
#include <argil/log.h>
#include <argil/string.h>
#include <rom_server.h>
#include "pci.h"
#include "platform.h"

bool verbose;

static struct component_env *env;
static struct config_rom config;

/* ---- policies ---- */

static const char *const policy_attrs[] = {
	"label", "label_prefix", "label_suffix", "label_last", "pci_config", 0
};

static bool known(const struct cfg_attr *a, const char *const *names)
{
	for (; *names; names++)
		if (!strcmp(a->name, *names))
			return true;
	return false;
}

/* A policy node that platform understands; with say, the first problem is
 * logged with its line and column. */
static bool policy_valid(const struct cfg_node *p, bool say)
{
	const char *why = 0;
	const struct cfg_node *at = p;
	bool b;

	for (const struct cfg_attr *a = p->attrs; a && !why; a = a->next)
		if (!known(a, policy_attrs))
			why = "unknown attribute in <policy>";
	if (!why && cfg_attr_bool(p, "pci_config", false, &b) < 0)
		why = "pci_config must be yes or no";
	for (const struct cfg_node *c = p->child; c && !why; c = c->next) {
		at = c;
		if (cfg_is(c, "device")) {
			for (const struct cfg_attr *a = c->attrs; a && !why; a = a->next)
				if (strcmp(a->name, "name"))
					why = "unknown attribute in <device>";
			if (!why && !cfg_attr(c, "name"))
				why = "<device> needs name";
		} else if (cfg_is(c, "pci")) {
			static const char *const pci_attrs[] = { "class", "vendor", "product", 0 };
			uint64_t v;
			for (const struct cfg_attr *a = c->attrs; a && !why; a = a->next)
				if (!known(a, pci_attrs))
					why = "unknown attribute in <pci>";
			if (!why && !cfg_attr(c, "class") && !cfg_attr(c, "vendor"))
				why = "<pci> needs class or vendor";
			if (!why && (cfg_attr_u64(c, "vendor", 0, &v) < 0 || v > 0xffff))
				why = "vendor must be a number up to 0xffff";
			if (!why && (cfg_attr_u64(c, "product", 0, &v) < 0 || v > 0xffff))
				why = "product must be a number up to 0xffff";
			if (!why && cfg_attr(c, "product") && !cfg_attr(c, "vendor"))
				why = "<pci product> needs vendor";
			if (!why && cfg_attr(c, "class") && !pci_class_of(cfg_attr(c, "class"), 0, 0))
				why = "unknown class";
		} else {
			why = "unknown node in <policy> (device, pci)";
		}
	}
	if (why && say)
		log("error: config:%u:%u: %s (the policy is ignored)", at->line, at->col, why);
	return !why;
}

const struct cfg_node *policy_of(const char *label)
{
	if (!config.node)
		return 0;
	for (const struct cfg_node *p = cfg_child(config.node, "policy"); p;
	     p = cfg_next(p, "policy"))
		if (policy_valid(p, false) && policy_matches(p, label))
			return p;
	return 0;
}

bool policy_pci_config(const struct cfg_node *policy)
{
	bool b = false;

	return policy && cfg_attr_bool(policy, "pci_config", false, &b) > 0 && b;
}

static void config_changed(void *arg)
{
	(void)arg;
	config_rom_update(&config);
	if (!config.node) {
		if (config.err.msg)
			log("error: config:%u:%u: %s (no policies in effect)", config.err.line,
			    config.err.col, config.err.msg);
		return;
	}
	const struct cfg_node *n = config.node;
	if (!cfg_is(n, "config")) {
		log("error: config:%u:%u: expected <config>", n->line, n->col);
		return;
	}
	bool v = false;
	if (cfg_attr_bool(n, "verbose", false, &v) < 0)
		log("error: config:%u:%u: verbose must be yes or no", n->line, n->col);
	verbose = v;
	for (const struct cfg_node *c = n->child; c; c = c->next) {
		if (cfg_is(c, "policy"))
			policy_valid(c, true);
		else
			log("error: config:%u:%u: unknown node (policy) ignored", c->line, c->col);
	}
	sessions_policy_changed();
}

/* ---- class names ---- */

static const struct { const char *name; uint32_t value, mask; } classes[] = {
	{ "AHCI", 0x010601, 0xffffff }, { "NVME", 0x010802, 0xffffff },
	{ "IDE", 0x010100, 0xffff00 },  { "USB", 0x0c0300, 0xffff00 },
	{ "VGA", 0x030000, 0xffff00 },  { "DISPLAY", 0x030000, 0xff0000 },
	{ "ETHERNET", 0x020000, 0xffff00 }, { "AUDIO", 0x040300, 0xffff00 },
	{ "ISA_BRIDGE", 0x060100, 0xffff00 }, { "HOST_BRIDGE", 0x060000, 0xffff00 },
	{ "PCI_BRIDGE", 0x060400, 0xffff00 },
};

bool pci_class_of(const char *name, uint32_t *value, uint32_t *mask)
{
	uint32_t v = 0, m = 0;
	bool ok = false;

	for (unsigned i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		if (!strcmp(name, classes[i].name)) {
			v = classes[i].value;
			m = classes[i].mask;
			ok = true;
		}
	if (!ok && name[0] == '0' && name[1] == 'x') {
		size_t n = strlen(name + 2);
		ok = n == 2 || n == 4 || n == 6;
		for (size_t i = 0; ok && i < n; i++) {
			char c = name[2 + i];
			unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0')
				   : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
				   : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10) : 16;
			ok = d < 16;
			v = v << 4 | d;
		}
		if (ok) {
			v <<= 4 * (6 - n);
			m = (0xffffffu << 4 * (6 - n)) & 0xffffff;
		}
	}
	if (ok && value)
		*value = v;
	if (ok && mask)
		*mask = m;
	return ok;
}

/* ---- sessions ---- */

static struct session_server server;

void sessions_policy_changed(void)
{
}

static rpc_status_t do_pci_config_read(struct platform_pci_config_read_call *c)
{
	struct session *s = c->obj;
	uint32_t v;
	rpc_status_t st;

	if (!policy_pci_config(policy_of(s->ss.label)))
		return RPC_E_DENIED;
	if (c->in.bdf > 0xffff || c->in.offset > 0xffff || c->in.width > 4)
		return RPC_E_INVALID_ARGUMENT;
	st = pci_read((unsigned)c->in.bdf, (unsigned)c->in.offset, (unsigned)c->in.width, &v);
	c->out.value = v;
	return st;
}

static rpc_status_t do_pci_config_write(struct platform_pci_config_write_call *c)
{
	struct session *s = c->obj;

	if (!policy_pci_config(policy_of(s->ss.label)))
		return RPC_E_DENIED;
	if (c->in.bdf > 0xffff || c->in.offset > 0xffff || c->in.width > 4 ||
	    c->in.value > 0xffffffffu)
		return RPC_E_INVALID_ARGUMENT;
	return pci_write((unsigned)c->in.bdf, (unsigned)c->in.offset, (unsigned)c->in.width,
			 (uint32_t)c->in.value);
}

RPC_SERVER(platform, PLATFORM_RPC)

static const struct platform_server ops = {
	.platform_pci_config_read = do_pci_config_read,
	.platform_pci_config_write = do_pci_config_write,
};

static void session_rpc(struct rpc_object *o, struct rpc_msg *req, struct rpc_msg *rep)
{
	platform_dispatch(&ops, o->data, req, rep, RPC_E_ILLEGAL_OPERATION);
}

static rpc_status_t create(struct session_server *srv, struct server_session *ss,
			   const char *args)
{
	(void)srv;
	(void)args;
	if (!policy_of(ss->label)) {
		log("session for \"%s\" denied: no policy matches", ss->label);
		return RPC_E_DENIED;
	}
	if (verbose)
		log("session %lu for \"%s\"", ss->id, ss->label);
	return RPC_OK;
}

static void destroy(struct session_server *srv, struct server_session *ss)
{
	(void)srv;
	if (verbose)
		log("closed session %lu for \"%s\"", ss->id, ss->label);
}

static struct session_server server = {
	.service = PLATFORM_SERVICE,
	.size = sizeof(struct session),
	.ram = PLATFORM_SESSION_RAM,
	.caps = PLATFORM_SESSION_CAPS,
	.create = create,
	.destroy = destroy,
	.rpc = session_rpc,
};

void component_construct(struct component_env *e)
{
	rpc_status_t st;

	env = e;
	st = pci_init();
	if (st != RPC_OK) {
		log("error: no PCI configuration ports 0xcf8..0xcff: %s", rpc_status_name(st));
		component_exit(1);
	}
	st = config_rom_open(&config, "config", &env->ep, config_changed, 0);
	if (st != RPC_OK) {
		log("error: no config ROM: %s", rpc_status_name(st));
		component_exit(1);
	}
	config_changed(0);
	server.ep = &env->ep;
	st = session_server_announce(&server);
	if (st != RPC_OK) {
		log("error: cannot serve: %s", rpc_status_name(st));
		component_exit(1);
	}
	log("PCI configuration: mechanism #1 (ports 0xcf8..0xcff)");
}
