/*
 * A RAM dataspace of the component's own, attached writable: the buffer a
 * server shares with a session's client (the client attaches the same
 * dataspace), or any scratch memory that must be a dataspace.
 */
#ifndef ARGIL_RAM_BUF_H
#define ARGIL_RAM_BUF_H

#include <argil/abi.h>
#include <argil/rpc.h>
#include <stddef.h>

struct ram_buf {
	cptr_t ds;          /* the dataspace (0: none) */
	void *va;           /* where it is attached */
	size_t size;
};

/* Allocate size bytes from the component's PD and attach them writable;
 * on failure nothing is kept (*b zeroed) and the status says why. */
rpc_status_t ram_buf_alloc(struct ram_buf *b, size_t size);
/* Detach and free it (nothing: no-op); *b is zeroed. */
void ram_buf_free(struct ram_buf *b);

#endif
