/*
 * A ROM in the config format, parsed: the component's "config" or any
 * other ROM (reports, derived configs), optionally with a signal handler
 * on the component's entrypoint for its changes. The content is parsed
 * into an arena on the heap that lives until the next update; node points
 * into it (NULL when the ROM is empty or malformed; err says which).
 * Code: base/src/config_rom.c, beside struct attached_rom (argil/rom.h).
 */
#ifndef ARGIL_CONFIG_ROM_H
#define ARGIL_CONFIG_ROM_H

#include <argil/config.h>
#include <argil/entrypoint.h>
#include <argil/rom.h>

struct config_rom {
	struct attached_rom rom;
	struct signal_handler sig;    /* bit -1 without a change handler */
	char *arena;
	size_t arena_size;
	const struct cfg_node *node;  /* the top-level node, NULL if none */
	struct cfg_error err;         /* msg NULL: the ROM is empty */
	bool heap_failed;             /* the arena could not be had */
};

/* Open ROM name through the parent and parse it. With fn, fn(arg) is
 * called on the entrypoint whenever the ROM changed (then call
 * config_rom_update). Fails only if the session cannot be had. */
rpc_status_t config_rom_open(struct config_rom *c, const char *name, struct entrypoint *ep,
			     signal_fn_t fn, void *arg);
/* Fetch the current content and parse it; false if there is no node
 * (empty, malformed: see err, or out of heap: heap_failed). */
bool config_rom_update(struct config_rom *c);
void config_rom_close(struct config_rom *c, struct entrypoint *ep);

/* A component's config read once at its start: ROM "config" opened,
 * check(top node) called when there is one, closed. True when there is no
 * ROM or it is empty, else check's answer; false after an "error:
 * config:L:C: ..." line for a malformed document. */
bool config_read_once(bool (*check)(const struct cfg_node *n));

/* Parse buf[0..len) (trailing NUL bytes ignored) into *arena (reallocated
 * from the heap as needed, *size its size). NULL with err filled in, or
 * with *oom set if the heap failed. */
const struct cfg_node *config_parse_heap(const char *buf, size_t len, char **arena,
					 size_t *size, struct cfg_error *err, bool *oom);

#endif
