/*
 * ROM sessions: read-only data by name (docs/framework.md, "Core: ROM").
 * The module name is the last element of the session label
 * ("init -> timer -> config" asks for "config"). At core, the ROMs are the
 * boot modules, named by the first word of their command line.
 *
 *   ROM_DATASPACE  -> cap: read-only dataspace with the current content;
 *                     w0 size in bytes (the dataspace is page-rounded),
 *                     w1 the content's version (lib/rom_server; core: 0)
 *   ROM_SIGH       cap: notification signalled when the content changes
 *                  (no cap: none). Core's ROMs never change.
 *   ROM_UPDATE     -> w0 1 if the client's dataspace now holds the current
 *                  content (updated in place), w1 then its size in bytes;
 *                  w0 0: fetch it again with ROM_DATASPACE (core: always 0);
 *                  a reply may lack w1 when w0 is 0
 */
#ifndef ARGIL_ROM_H
#define ARGIL_ROM_H

#include <argil/rpc_gen.h>

/* Quota a ROM session at core needs (session, dataspace object, slots). */
#define ROM_SESSION_RAM 8192
#define ROM_SESSION_CAPS 4

/* rom_update: *updated 1: the client's dataspace holds the current content,
 * *size bytes of it (may be NULL); 0: fetch it again (ROM_DATASPACE). */
#define ROM_RPC(OP, OPS)                                                                \
	OP(rom_dataspace, ROM_DATASPACE, 1, (),                                         \
	   ((CAP, ds), (WORD, size), (EXTRA, version)))                                 \
	OP(rom_sigh, ROM_SIGH, 2, ((CAP, ntfn)), ())                                    \
	OP(rom_update, ROM_UPDATE, 3, (), ((WORD, updated), (OPT, size)))
RPC_INTERFACE(rom, ROM_RPC);

/* A ROM attached read-only in the component's address space, refreshed
 * on request (after its change signal, for example). The session is
 * requested from the component's parent with ROM_SESSION_RAM/_CAPS; when
 * the server asks for more to pay the client's copy (RPC_E_NO_RAM_QUOTA:
 * content of more than a page), open and update upgrade the session from
 * the component's PD (8 KiB, doubling, up to ROM_UPGRADE_MAX at once) and
 * fetch again. */
#define ROM_UPGRADE_MAX (256 * 1024)
struct attached_rom {
	cptr_t session;
	word_t id;
	cptr_t ds;
	word_t size;             /* bytes of content */
	const char *data;        /* NULL if empty */
};
rpc_status_t attached_rom_open(struct attached_rom *r, const char *name);
/* Bring the content up to date: ROM_UPDATE, and if the server did not
 * update in place, fetch and attach the new dataspace. */
rpc_status_t attached_rom_update(struct attached_rom *r);
void attached_rom_close(struct attached_rom *r);

/* Last element of a label: the text after the last " -> ". */
const char *label_last(const char *label);

#endif
