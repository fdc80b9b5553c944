/*
 * The Entropy session (drivers/virtio_rng, docs/devices.md): random bytes
 * for crypto, from a hardware source (virtio-rng) mixed with the CPU's
 * RDRAND where it has one. Client code: entropy_session.c (the library
 * entropy_session, LIBS := entropy_session).
 *
 *   ENTROPY_DATASPACE -> cap: the session's buffer (a RAM dataspace the
 *                        server writes, ENTROPY_MAX bytes), w0 its size
 *   ENTROPY_GET       w0 n (1..ENTROPY_MAX) -> w0 got (= n): n fresh bytes at the
 *                        start of the buffer. Bytes are never handed out
 *                        twice, to the same session or another. The call
 *                        waits for the device when it has no bytes ready.
 *                        n out of range: RPC_E_INVALID_ARGUMENT; the
 *                        device failed: RPC_E_UNAVAILABLE.
 *
 * Session arguments: none. Quota: ENTROPY_SESSION_RAM, ENTROPY_SESSION_CAPS.
 */
#ifndef ENTROPY_SESSION_H
#define ENTROPY_SESSION_H

#include <argil/rpc_gen.h>
#include <argil/session_server.h>

#define ENTROPY_SERVICE "Entropy"
#define ENTROPY_MAX 4096ul
#define ENTROPY_SESSION_RAM (1024ul + DS_COST(PAGES(ENTROPY_MAX)))
#define ENTROPY_SESSION_CAPS 4ul

#define ENTROPY_RPC(OP, OPS)                                                            \
	OP(entropy_dataspace, ENTROPY_DATASPACE, 1, (), ((CAP, ds), (WORD, size)))      \
	OP(entropy_get, ENTROPY_GET, 2, ((WORD_REQ, n)), ((WORD, got)))
RPC_INTERFACE(entropy, ENTROPY_RPC);

struct entropy_connection {
	cptr_t session;
	word_t id;
	cptr_t ds;
	const uint8_t *buf;
	word_t size;
};

/* An Entropy session through the parent, its buffer attached. */
rpc_status_t entropy_connect(struct entropy_connection *e, const char *label);
/* n random bytes into out (any n: fetched in pieces of ENTROPY_MAX). */
rpc_status_t entropy_read(struct entropy_connection *e, void *out, size_t n);
void entropy_disconnect(struct entropy_connection *e);

#endif
