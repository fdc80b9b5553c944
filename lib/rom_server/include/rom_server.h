/*
 * The server side of dynamic ROMs (report_rom, rom_filter): ROM sessions
 * whose content changes, with content versions and change signals. Each
 * session hands out its own copy of the content in a RAM dataspace paid
 * from the session's donation, made when the client asks (ROM_DATASPACE),
 * so a client sees one consistent snapshot until it asks again, and no
 * client can change what another one reads. A library (lib/rom_server,
 * LIBS := rom_server); code: lib/rom_server/rom_server.c.
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
#ifndef ROM_SERVER_H
#define ROM_SERVER_H

#include <argil/session_server.h>

/* What a ROM session costs besides its dataspace (record, two slots). */
#define ROM_SESSION_BASE 1024ul
#define ROM_SESSION_BASE_CAPS 2ul

struct rom_content {
	const char *data;
	word_t len;
	word_t version;              /* 0: empty */
};

struct rom_session {
	struct server_session ss;    /* label, donation, id, RPC object */
	cptr_t sigh;
	word_t delivered;            /* version handed out last */
	cptr_t ds;                   /* the client's copy */
	word_t ds_pages;
	/* the content this session shows now (the server decides) */
	void (*content)(struct rom_session *s, struct rom_content *c);
	void *data;                  /* for the server */
};

/* In a session server's create (argil/session_server.h, with
 * rpc = rom_session_rpc): take the session's base cost from its donation
 * (ROM_SESSION_BASE/_CAPS, else RPC_E_NO_RAM_QUOTA / _NO_CAP_QUOTA) and
 * set where its content comes from. rom_session_release, in destroy,
 * frees its dataspace and signal capability. */
rpc_status_t rom_session_setup(struct rom_session *s,
			       void (*content)(struct rom_session *, struct rom_content *), void *data);
void rom_session_release(struct rom_session *s);
/* Without a session server: set up a session from its donation and
 * register it at ep (on RPC_OK its capability is s->ss.obj.cap);
 * rom_session_fini dissolves it and releases what it holds. */
rpc_status_t rom_session_init(struct rom_session *s, struct entrypoint *ep, const char *label,
			      word_t ram, word_t caps,
			      void (*content)(struct rom_session *, struct rom_content *), void *data);
void rom_session_fini(struct rom_session *s, struct entrypoint *ep);
/* The session's RPC handler (obj->data: the session; a server may install
 * its own that calls this one). */
void rom_session_rpc(struct rpc_object *o, struct rpc_msg *req, struct rpc_msg *rep);
/* The content may have changed: signal the client if its version differs
 * from what it fetched last. */
void rom_session_changed(struct rom_session *s);

/* Label matching as in init's routes: a policy node matches a label if
 * all of label=, label_prefix=, label_suffix=, label_last= that it has
 * hold (none: it matches every label). */
struct cfg_node;
bool policy_matches(const struct cfg_node *policy, const char *label);

#endif
