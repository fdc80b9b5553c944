/*
 * The Gui session (servers/gui, docs/gui.md): an application's pixels on
 * the screen. The client draws into its buffer and shows it through
 * views: rectangles of the screen at a position and place in the stack,
 * each showing the buffer from its top-left pixel. The server composes
 * the views of every client into the screen of each display driver
 * (Capture session), and only where the client said that its buffer
 * changed (GUI_REFRESH) or a view moved.
 *
 *   GUI_BUFFER        w0 width, w1 height -> cap: the client's buffer (a
 *                     RAM dataspace paid from the session's quota: the
 *                     session must be upgraded or opened with
 *                     GUI_BUFFER_COST(width, height) more), w0 its size.
 *                     Pixels of 32 bits 0x00RRGGBB, lines of width pixels.
 *                     A second call replaces the buffer.
 *   GUI_VIEW_CREATE   -> w0 view handle (at most GUI_VIEWS_MAX a session);
 *                     a new view is empty (size 0) and in front of all
 *   GUI_VIEW_GEOMETRY w0 view, w1 x, w2 y (signed, screen coordinates),
 *                     w3 width, w4 height (at most GUI_MAX_SIDE)
 *   GUI_VIEW_TOP      w0 view: in front of every view of every client
 *   GUI_VIEW_DESTROY  w0 view
 *   GUI_REFRESH       w0 x, w1 y, w2 width, w3 height: this part of the
 *                     buffer changed (clipped to the buffer)
 *   GUI_MODE          -> w0 width, w1 height: the screen (the first
 *                     display driver's; 0 0 without one)
 *
 * Bad handles and sizes: RPC_E_INVALID_ARGUMENT; no buffer quota:
 * RPC_E_NO_RAM_QUOTA. Session arguments: none. Quota: GUI_SESSION_RAM,
 * GUI_SESSION_CAPS (one of them for the buffer) plus the buffer.s cost.
 */
#ifndef GUI_SESSION_H
#define GUI_SESSION_H

#include <argil/session_server.h>
#include <argil/rpc_gen.h>
#include <stdint.h>

#define GUI_SERVICE "Gui"
#define GUI_SESSION_RAM 8192ul
#define GUI_SESSION_CAPS 8ul
#define GUI_VIEWS_MAX 16
#define GUI_MAX_SIDE 4096ul
#define GUI_BUFFER_COST(w, h) (DS_COST(PAGES((word_t)(w) * (h) * 4)))

#define GUI_RPC(OP, OPS)                                                                \
	OP(gui_buffer, GUI_BUFFER, 1, ((WORD_REQ, width), (WORD_REQ, height)),          \
	   ((CAP, ds), (WORD, size)))                                                   \
	OP(gui_view_create, GUI_VIEW_CREATE, 2, (), ((WORD, view)))                     \
	OP(gui_view_geometry, GUI_VIEW_GEOMETRY, 3,                                     \
	   ((WORD_REQ, view), (WORD_REQ, x), (WORD_REQ, y), (WORD_REQ, width),          \
	    (WORD_REQ, height)), ())                                                    \
	OP(gui_view_top, GUI_VIEW_TOP, 4, ((WORD_REQ, view)), ())                       \
	OP(gui_view_destroy, GUI_VIEW_DESTROY, 5, ((WORD_REQ, view)), ())               \
	OP(gui_refresh, GUI_REFRESH, 6,                                                 \
	   ((WORD_REQ, x), (WORD_REQ, y), (WORD_REQ, width), (WORD_REQ, height)), ())   \
	OP(gui_mode, GUI_MODE, 7, (), ((WORD, width), (WORD, height)))
RPC_INTERFACE(gui, GUI_RPC);

/* A Gui session through the parent, its buffer attached writable. */
struct gui_connection {
	cptr_t session;
	word_t id;
	cptr_t ds;
	uint32_t *pixels;
	word_t width, height;
};
/* Opened with the quota for a buffer of width x height (0 0: none yet). */
rpc_status_t gui_connect(struct gui_connection *c, const char *label, word_t width,
			 word_t height);
/* The buffer (GUI_BUFFER) attached. */
rpc_status_t gui_set_buffer(struct gui_connection *c, word_t width, word_t height);
void gui_disconnect(struct gui_connection *c);

#endif
