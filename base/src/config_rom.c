/*
 * Parsed ROMs (argil/config_rom.h). The ROM server is trusted for nothing
 * but delivering bytes: whatever it delivers is parsed strictly, and a
 * malformed document only leaves node NULL with the parser's error.
 */
#include <argil/config_rom.h>
#include <argil/heap.h>
#include <argil/log.h>
#include <argil/string.h>

const struct cfg_node *config_parse_heap(const char *buf, size_t len, char **arena,
					 size_t *size, struct cfg_error *err, bool *oom)
{
	size_t need;

	*oom = false;
	memset(err, 0, sizeof(*err));
	while (len && buf[len - 1] == 0)
		len--;
	if (!len)
		return 0;
	need = cfg_arena_size(len);
	if (need > *size) {
		free(*arena);
		*arena = malloc(need);
		*size = *arena ? need : 0;
		if (!*arena) {
			*oom = true;
			return 0;
		}
	}
	return cfg_parse(buf, len, *arena, *size, err);
}

bool config_rom_update(struct config_rom *c)
{
	c->node = 0;
	if (!c->rom.session)
		return false;
	if (attached_rom_update(&c->rom) != RPC_OK)
		return false;
	c->node = config_parse_heap(c->rom.data, c->rom.data ? c->rom.size : 0, &c->arena,
				    &c->arena_size, &c->err, &c->heap_failed);
	return c->node != 0;
}

rpc_status_t config_rom_open(struct config_rom *c, const char *name, struct entrypoint *ep,
			     signal_fn_t fn, void *arg)
{
	rpc_status_t st;

	memset(c, 0, sizeof(*c));
	c->sig.bit = -1;
	st = attached_rom_open(&c->rom, name);
	if (st != RPC_OK)
		return st;
	if (fn) {
		st = signal_handler_init(ep, &c->sig, fn, arg);
		if (st == RPC_OK)
			st = rom_sigh(c->rom.session, c->sig.cap);
		if (st != RPC_OK) {
			config_rom_close(c, ep);
			return st;
		}
	}
	c->node = config_parse_heap(c->rom.data, c->rom.data ? c->rom.size : 0, &c->arena,
				    &c->arena_size, &c->err, &c->heap_failed);
	return RPC_OK;
}

void config_rom_close(struct config_rom *c, struct entrypoint *ep)
{
	if (c->sig.bit >= 0)
		signal_handler_fini(ep, &c->sig);
	attached_rom_close(&c->rom);
	free(c->arena);
	memset(c, 0, sizeof(*c));
	c->sig.bit = -1;
}

bool config_read_once(bool (*check)(const struct cfg_node *n))
{
	struct config_rom cfg;
	bool ok = true;

	if (config_rom_open(&cfg, "config", 0, 0, 0) != RPC_OK)
		return true;
	if (cfg.node) {
		ok = check(cfg.node);
	} else if (cfg.err.msg) {
		log("error: config:%u:%u: %s", cfg.err.line, cfg.err.col, cfg.err.msg);
		ok = false;
	}
	config_rom_close(&cfg, 0);
	return ok;
}
