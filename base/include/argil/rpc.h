/*
 * RPC over kernel endpoints: the message, the status codes, the client
 * call and the word/string packing used by every interface (docs/framework.md,
 * section "RPC").
 *
 * A request is a Call on an endpoint capability: label = opcode, words =
 * arguments, at most one capability (the kernel places at most one per
 * message). The reply's label is an rpc_status_t, its words are the
 * results, and it carries at most one capability. The badge of the
 * client's endpoint capability names the RPC object at the server.
 *
 * Badges: a server's RPC objects get badges with RPC_BADGE_FLAG set, so
 * that an entrypoint tells them from the notification word of its bound
 * notification (signal bits use only bits 0..60; see entrypoint.h).
 */
#ifndef ARGIL_RPC_H
#define ARGIL_RPC_H

#include <argil/abi.h>
#include <stddef.h>
#include <stdbool.h>

typedef enum rpc_status {
	RPC_OK = 0,
	RPC_E_INVALID_ARGUMENT = 1, /* a word argument is malformed or out of range */
	RPC_E_INVALID_CAP = 2,      /* the invoked or passed capability is not the expected object */
	RPC_E_DENIED = 3,           /* not permitted (limit, rights, policy) */
	RPC_E_NO_RAM_QUOTA = 4,     /* the paying account lacks RAM quota */
	RPC_E_NO_CAP_QUOTA = 5,     /* the paying account lacks capability quota */
	RPC_E_NOT_FOUND = 6,        /* no such name, address or id */
	RPC_E_EXISTS = 7,           /* already there (slot occupied, region overlaps) */
	RPC_E_BUSY = 8,             /* an exclusive resource is held by another session */
	RPC_E_UNAVAILABLE = 9,      /* the server cannot provide it (unknown service, out of a global resource) */
	RPC_E_ILLEGAL_OPERATION = 10, /* unknown opcode, or not in this state */
	RPC_E_DELETED = 11,         /* the server or object went away during the call */
	RPC_E_OUT_OF_SLOTS = 12,    /* client side: no free slot to receive a capability */
	RPC_E_TRUNCATED = 13,       /* a reply lacks the words or capability the interface promises */
	RPC_E_OUT_OF_MEMORY = 14,   /* client side: the local heap could not grow */
	RPC_E_COUNT
} rpc_status_t;

const char *rpc_status_name(rpc_status_t s);
/* The same in words for a message a person reads, e.g. "not found" for
 * RPC_E_NOT_FOUND, "not enough RAM quota" for RPC_E_NO_RAM_QUOTA. */
const char *rpc_status_text(rpc_status_t s);

#define RPC_MAX_WORDS ABI_MSG_MAX          /* 120 words per message */
#define RPC_BADGE_FLAG (1ull << 61)        /* set in every RPC object badge */
#define RPC_SIGNAL_BITS 61                 /* signal contexts per entrypoint (bits 0..60) */

/* Where a message's capability is. */
enum rpc_cap_kind {
	RPC_CAP_NONE = 0,
	RPC_CAP_PLACED,     /* a capability arrived in slot `cap` (now owned by the receiver) */
	RPC_CAP_UNWRAPPED,  /* a capability to the receiver's own endpoint: its badge is `cap_badge` */
};

struct rpc_msg {
	word_t label;            /* request: opcode; reply: rpc_status_t */
	word_t len;              /* words used in w[] */
	cptr_t cap;              /* sending: cptr of the capability to pass, 0 = none;
	                            received: the slot holding it (RPC_CAP_PLACED) */
	enum rpc_cap_kind cap_kind; /* received only */
	word_t cap_badge;        /* received: badge of an unwrapped capability */
	word_t badge;            /* server side: the badge the request came through */
	word_t w[RPC_MAX_WORDS];
};

/* Reset a message for a new request or reply. */
static inline void rpc_init(struct rpc_msg *m, word_t label)
{
	m->label = label;
	m->len = 0;
	m->cap = 0;
	m->cap_kind = RPC_CAP_NONE;
	m->cap_badge = 0;
}

/* Append one word; false if the message is full. */
static inline bool rpc_put(struct rpc_msg *m, word_t v)
{
	if (m->len >= RPC_MAX_WORDS)
		return false;
	m->w[m->len++] = v;
	return true;
}

/* Word i of a received message, 0 if the message is shorter. */
static inline word_t rpc_word(const struct rpc_msg *m, word_t i)
{
	return i < m->len ? m->w[i] : 0;
}

/* Strings travel as one length word (bytes) and the bytes packed eight per
 * word, little endian. rpc_put_str fails if the string is longer than
 * RPC_STR_MAX or does not fit. rpc_get_str reads the string at word *pos,
 * advances *pos, and fails (RPC_E_INVALID_ARGUMENT) if it runs past the
 * message, is longer than size - 1 bytes or contains a NUL byte; the result
 * is NUL-terminated. */
#define RPC_STR_MAX 512
bool rpc_put_str(struct rpc_msg *m, const char *s);
bool rpc_put_strn(struct rpc_msg *m, const char *s, size_t n);
rpc_status_t rpc_get_str(const struct rpc_msg *m, word_t *pos, char *buf, size_t size);

/* Client call: sends m (label, w[0..len), cap) through the endpoint cap
 * and waits for the reply, which replaces m. Returns the reply's status.
 * A capability in the reply lands in a fresh slot of the caller's slot
 * allocator (m->cap, m->cap_kind == RPC_CAP_PLACED); the caller owns it.
 * Failures of the call itself: RPC_E_INVALID_CAP (cap is not an endpoint
 * capability one may call), RPC_E_DELETED (the server dropped the call or
 * the object was destroyed), RPC_E_OUT_OF_SLOTS (no slot for a reply
 * capability). */
rpc_status_t rpc_call(cptr_t cap, struct rpc_msg *m);

/* rpc_call, then check that an RPC_OK reply has at least min_words words
 * and, with want_cap, a placed capability (else RPC_E_TRUNCATED). On any
 * failure a received capability is released. */
rpc_status_t rpc_call_expect(cptr_t cap, struct rpc_msg *m, word_t min_words, bool want_cap);

/* The same without waiting (Send; no reply, nothing can be returned). */
void rpc_send(cptr_t cap, const struct rpc_msg *m);

/* Client-side runtime hooks: where received capabilities go. Set up by the
 * component runtime (component.c); root tasks may set their own. */
struct rpc_runtime {
	cptr_t recv_cnode;            /* cptr of a CNode cap usable as recv_cnode */
	word_t recv_depth;            /* depth for recv_index */
	cptr_t (*slot_alloc)(void);   /* 0 if none is left */
	void (*slot_free)(cptr_t);
};
extern struct rpc_runtime rpc_runtime;

/* Free a slot obtained from an RPC (deletes the capability in it first). */
void rpc_slot_release(cptr_t slot);

/* Whether a capability slot holds a notification capability (signal
 * handlers must be: a send to anything else could block the server). */
bool cap_is_notification(cptr_t cap);

/* Server side of a *_SIGH request: takes the capability of req into
 * *slot, releasing what *slot held. It must be a notification; with
 * `optional`, a request without a capability clears *slot. RPC_OK, or
 * RPC_E_INVALID_CAP with *slot unchanged (the received capability stays
 * with req and is released by the entrypoint). */
rpc_status_t rpc_take_sigh(struct rpc_msg *req, cptr_t *slot, bool optional);

/* Copy words and the capability of a received IPC into m / out of m into
 * the IPC buffer and the register words (used by rpc.c and servers). */
struct sys_msg;
void rpc_msg_to_sys(const struct rpc_msg *m, struct sys_msg *s, struct ipc_buffer *ib);
void rpc_msg_from_sys(struct rpc_msg *m, const struct sys_msg *s, const struct ipc_buffer *ib,
		      cptr_t recv_slot);

#endif
