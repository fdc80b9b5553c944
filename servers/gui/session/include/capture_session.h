/*
 * The Capture session (servers/gui, docs/gui.md): a display driver is a
 * client of the GUI server. It announces its screen, gets the screen's
 * pixels as a dataspace the server composes into, and asks which part
 * changed, with a signal when something did. A driver that was restarted
 * simply announces its screen again and gets everything as changed.
 *
 *   CAPTURE_SCREEN   w0 width, w1 height -> cap: the screen's pixel buffer
 *                    (a RAM dataspace of the server, width * height pixels
 *                    of 32 bits, 0x00RRGGBB, lines of width pixels), w0 its
 *                    size in bytes. Again with another size (a mode change):
 *                    a new buffer, the old one is freed. Until the first
 *                    call the session has no screen. Sizes beyond
 *                    CAPTURE_MAX_SIDE or 0: RPC_E_INVALID_ARGUMENT.
 *   CAPTURE_SIGH     cap: notification signalled when the screen changed
 *                    (no cap: none)
 *   CAPTURE_CHANGED  -> w0 x, w1 y, w2 width, w3 height: the smallest
 *                    rectangle holding every pixel changed since the last
 *                    CAPTURE_CHANGED (after CAPTURE_SCREEN: the whole
 *                    screen); width 0: nothing changed. The driver copies
 *                    that rectangle to the device.
 *
 * The buffer is paid by the server (a screen is the GUI's, not the
 * driver's); the session's own quota is CAPTURE_SESSION_RAM/_CAPS.
 * Session arguments: none.
 */
#ifndef CAPTURE_SESSION_H
#define CAPTURE_SESSION_H

#include <argil/rpc_gen.h>
#include <stdint.h>

#define CAPTURE_SERVICE "Capture"
#define CAPTURE_SESSION_RAM 4096ul
#define CAPTURE_SESSION_CAPS 4ul
#define CAPTURE_MAX_SIDE 4096ul

#define CAPTURE_RPC(OP, OPS)                                                            \
	OP(capture_screen, CAPTURE_SCREEN, 1, ((WORD_REQ, width), (WORD_REQ, height)),  \
	   ((CAP, ds), (WORD, size)))                                                   \
	OP(capture_sigh, CAPTURE_SIGH, 2, ((CAP, ntfn)), ())                            \
	OP(capture_changed, CAPTURE_CHANGED, 3, (),                                     \
	   ((WORD, x), (WORD, y), (WORD, width), (WORD, height)))
RPC_INTERFACE(capture, CAPTURE_RPC);

/* A Capture session through the parent with its screen buffer attached. */
struct capture_connection {
	cptr_t session;
	word_t id;
	cptr_t ds;
	uint32_t *pixels;        /* NULL until capture_set_screen */
	word_t width, height;
};
rpc_status_t capture_connect(struct capture_connection *c, const char *label, cptr_t sigh);
/* Announce the screen (again after a mode change): the buffer attached. */
rpc_status_t capture_set_screen(struct capture_connection *c, word_t width, word_t height);
void capture_disconnect(struct capture_connection *c);

#endif
