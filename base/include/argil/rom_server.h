/*
 * The server side of dynamic ROMs (report_rom, rom_filter): ROM sessions
 * whose content changes, with content versions and change signals. Each
 * session hands out its own copy of the content in a RAM dataspace paid
 * from the session's donation, made when the client asks (ROM_DATASPACE),
 * so a client sees one consistent snapshot until it asks again, and no
 * client can change what another one reads. Code: base/src/rom_server.c.
 *
 * On top of argil/rom.h, a dynamic ROM answers
 *   ROM_DATASPACE  -> cap; w0 size, w1 version of the content (0: empty)
 *   ROM_SIGH       cap: notification (anything else RPC_E_INVALID_CAP); if
 *                  the content changed since the client last fetched it,
 *                  it is signalled at once
 *   ROM_UPDATE     -> w0 1, w1 size: the current content was copied into
 *                  the client's dataspace (which has the right number of
 *                  pages); w0 0: fetch the dataspace again
 * An empty ROM is a one-page dataspace with size 0. Content that the
 * session's quota cannot pay for gives RPC_E_NO_RAM_QUOTA (the client may
 * upgrade the session and ask again).
 */
#ifndef ARGIL_ROM_SERVER_H
#define ARGIL_ROM_SERVER_H

#include <argil/entrypoint.h>
#include <argil/parent.h>

/* What the server spends for a session's donation: accounting. */
struct session_budget {
	word_t ram, caps;            /* donated (session request plus upgrades) */
	word_t ram_used, caps_used;
};

static inline bool budget_take(struct session_budget *b, word_t ram, word_t caps)
{
	if (b->ram - b->ram_used < ram || b->caps - b->caps_used < caps)
		return false;
	b->ram_used += ram;
	b->caps_used += caps;
	return true;
}

static inline void budget_give(struct session_budget *b, word_t ram, word_t caps)
{
	b->ram_used -= ram;
	b->caps_used -= caps;
}

/* A root's ROOT_UPGRADE request: its words 1 and 2 (RAM, caps) are added
 * to the session's donation. */
static inline void budget_upgrade(struct session_budget *b, const struct rpc_msg *req)
{
	b->ram += rpc_word(req, 1);
	b->caps += rpc_word(req, 2);
}

/* Cost of a RAM dataspace of n pages at core, attached once in the
 * server, as the servers charge it: the frames, their capability slots,
 * one mapping slot per page and bookkeeping, page tables shared. */
#define DS_PAGE_COST 4240ul
#define DS_BASE_COST 2048ul
#define DS_COST(pages) ((word_t)(pages) * DS_PAGE_COST + DS_BASE_COST)
/* What a ROM session costs besides its dataspace (record, two slots). */
#define ROM_SESSION_BASE 1024ul
#define ROM_SESSION_BASE_CAPS 2ul
#define PAGES(bytes) (((word_t)(bytes) + 4095) / 4096)

struct rom_content {
	const char *data;
	word_t len;
	word_t version;              /* 0: empty */
};

struct rom_session {
	struct rpc_object obj;
	struct session_budget budget;
	word_t id;
	cptr_t sigh;
	word_t delivered;            /* version handed out last */
	cptr_t ds;                   /* the client's copy */
	word_t ds_pages;
	char label[SESSION_LABEL_MAX];
	/* the content this session shows now (the server decides) */
	void (*content)(struct rom_session *s, struct rom_content *c);
	void *data;                  /* for the server */
	struct rom_session *next;    /* the server's list */
};

/* Set up a session from its donation (checks ROM_SESSION_BASE/_CAPS) and
 * register it at ep. On RPC_OK the session capability is ep_cap(&s->obj). */
rpc_status_t rom_session_init(struct rom_session *s, struct entrypoint *ep, const char *label,
			      word_t ram, word_t caps,
			      void (*content)(struct rom_session *, struct rom_content *), void *data);
/* The session's RPC handler (installed by rom_session_init; a server may
 * install its own that calls this one). */
void rom_session_rpc(struct rpc_object *o, struct rpc_msg *req, struct rpc_msg *rep);
/* Free everything of the session (its dataspace, its signal capability). */
void rom_session_fini(struct rom_session *s, struct entrypoint *ep);
/* The content may have changed: signal the client if its version differs
 * from what it fetched last. */
void rom_session_changed(struct rom_session *s);

/* Label matching as in init's routes: a policy node matches a label if
 * all of label=, label_prefix=, label_suffix=, label_last= that it has
 * hold (none: it matches every label). */
struct cfg_node;
bool policy_matches(const struct cfg_node *policy, const char *label);

#endif
