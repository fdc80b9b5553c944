/*
 * The Terminal session (servers/terminal, docs/gui.md "Terminal"): a
 * program's text screen and keyboard. The program writes bytes (UTF-8 text
 * and the escape sequences of servers/terminal/vt.h, as to an xterm) and
 * reads the bytes the user typed (characters as UTF-8, other keys as xterm
 * sends them). Both go through one buffer the server shares.
 *
 *   TERMINAL_DS     -> cap: the I/O buffer (a RAM dataspace of the server,
 *                      writable, TERMINAL_IO_SIZE bytes), w0 its size
 *   TERMINAL_WRITE  w0 count: the first count bytes of the buffer go to
 *                      the screen -> w0 taken (all of them; count beyond the
 *                      buffer: RPC_E_INVALID_ARGUMENT)
 *   TERMINAL_READ   -> w0 count: that many typed bytes (at most the
 *                      buffer's size) copied into the buffer, the oldest
 *                      first; 0: none waits
 *   TERMINAL_AVAIL  -> w0 typed bytes waiting
 *   TERMINAL_SIZE   -> w0 columns, w1 rows
 *   TERMINAL_SIGH   cap: notification (none: no signal), signalled when
 *                      typed bytes arrive and when the size changes
 *
 * The server keeps TERMINAL_INPUT_MAX typed bytes for a session; beyond
 * that keys are dropped (and counted in its report). Several sessions of
 * one terminal share the screen and the keyboard (as programs on one tty
 * do). Session arguments: none. Quota: TERMINAL_SESSION_RAM,
 * TERMINAL_SESSION_CAPS.
 */
#ifndef TERMINAL_SESSION_H
#define TERMINAL_SESSION_H

#include <argil/rpc_gen.h>
#include <argil/session_server.h>

#define TERMINAL_SERVICE "Terminal"
#define TERMINAL_IO_SIZE 8192ul
#define TERMINAL_INPUT_MAX 4096ul
#define TERMINAL_SESSION_RAM (4096ul + DS_COST(PAGES(TERMINAL_IO_SIZE)))
#define TERMINAL_SESSION_CAPS 4ul

#define TERMINAL_RPC(OP, OPS)                                                           \
	OP(terminal_ds, TERMINAL_DS, 1, (), ((CAP, ds), (WORD, size)))                  \
	OP(terminal_write, TERMINAL_WRITE, 2, ((WORD_REQ, count)), ((WORD, taken)))     \
	OP(terminal_read, TERMINAL_READ, 3, (), ((WORD, count)))                        \
	OP(terminal_avail, TERMINAL_AVAIL, 4, (), ((WORD, count)))                      \
	OP(terminal_size, TERMINAL_SIZE, 5, (), ((WORD, cols), (WORD, rows)))           \
	OP(terminal_sigh, TERMINAL_SIGH, 6, ((CAP, ntfn)), ())
RPC_INTERFACE(terminal, TERMINAL_RPC);

/* A Terminal session through the parent, its buffer attached. */
struct terminal_connection {
	cptr_t session;
	word_t id;
	char *io;
	word_t io_size;
};
rpc_status_t terminal_connect(struct terminal_connection *c, const char *label, cptr_t sigh);
/* Writes all of data (in pieces of the buffer's size). */
rpc_status_t terminal_write_all(struct terminal_connection *c, const void *data, size_t len);
/* Reads the typed bytes waiting into out (max at least io_size, else
 * RPC_E_INVALID_ARGUMENT); *got 0: none waits. */
rpc_status_t terminal_read_some(struct terminal_connection *c, void *out, size_t max, size_t *got);
void terminal_disconnect(struct terminal_connection *c);

#endif
