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
 *                     display driver's; 0 0 without one). Under the wm:
 *                     the size its layouter gave the client's window.
 *   GUI_MODE_SIGH     cap: notification (none: no signal), signalled
 *                     when GUI_MODE's answer changes
 *   GUI_INPUT_DS      -> cap: the session's input buffer (a dataspace of
 *                     GUI_INPUT_MAX struct input_event, attach read-only),
 *                     w0 its size; the same buffer on every call
 *   GUI_INPUT_SIGH    cap: notification (none: no signal), signalled when
 *                     input events wait for the client
 *   GUI_INPUT_FETCH   -> w0 count: the oldest waiting events (at most
 *                     GUI_INPUT_MAX) copied into the input buffer; call
 *                     again while count is GUI_INPUT_MAX. Events beyond
 *                     the server's queue (GUI_INPUT_QUEUE) are dropped
 *                     and counted (w1 of the reply: dropped since the
 *                     last fetch).
 *
 * Input to a client (struct input_event of event_session.h): only the
 * focused session gets keys (INPUT_PRESS, INPUT_RELEASE, INPUT_CHAR as
 * the event filter made them) and the wheel; pointer buttons go to the
 * session whose view is under the pointer (and keep going to it until
 * the last button is released), and pointer positions as GUI_EV_POINTER
 * to that session: x, y in screen pixels, code the handle of its view
 * under the pointer (GUI_NO_VIEW while a drag left its views).
 * GUI_EV_LEAVE: the pointer left the session's views. GUI_EV_FOCUS: x 1
 * focus gained, x 0 lost. A global key (the server's config) goes to the
 * session its policy names, whatever has the focus. A session sees no
 * other session's input, ever.
 *
 * Bad handles and sizes: RPC_E_INVALID_ARGUMENT; no buffer quota:
 * RPC_E_NO_RAM_QUOTA. A session whose label no <policy> of the GUI
 * server's config matches is denied (RPC_E_DENIED). Session arguments:
 * none. Quota: GUI_SESSION_RAM, GUI_SESSION_CAPS (one of them for the
 * buffer) plus the buffer's cost.
 */
#ifndef GUI_SESSION_H
#define GUI_SESSION_H

#include <argil/session_server.h>
#include <argil/rpc_gen.h>
#include <event_session.h>
#include <stdint.h>

#define GUI_SERVICE "Gui"
/* the session's record, its input queue (GUI_INPUT_QUEUE events) and
 * its input buffer (a dataspace of GUI_INPUT_MAX events) */
#define GUI_SESSION_RAM (8192ul + GUI_INPUT_QUEUE * 16 + DS_COST(PAGES(GUI_INPUT_MAX * 16)))
#define GUI_SESSION_CAPS 8ul
#define GUI_VIEWS_MAX 16
#define GUI_MAX_SIDE 4096ul
#define GUI_BUFFER_COST(w, h) (DS_COST(PAGES((word_t)(w) * (h) * 4)))
#define GUI_INPUT_MAX 128ul      /* events a GUI_INPUT_FETCH hands over */
#define GUI_INPUT_QUEUE 256ul    /* events the server keeps for a session */
#define GUI_NO_VIEW 0xffffffffu

/* Event types only the GUI server sends to its clients (beside those of
 * enum input_type; an Event session refuses them). */
enum gui_event_type {
	GUI_EV_POINTER = 16,
	GUI_EV_LEAVE = 17,
	GUI_EV_FOCUS = 18,
};

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
	OP(gui_mode, GUI_MODE, 7, (), ((WORD, width), (WORD, height)))                  \
	OP(gui_mode_sigh, GUI_MODE_SIGH, 8, ((CAP, ntfn)), ())                          \
	OP(gui_input_ds, GUI_INPUT_DS, 9, (), ((CAP, ds), (WORD, size)))                \
	OP(gui_input_sigh, GUI_INPUT_SIGH, 10, ((CAP, ntfn)), ())                       \
	OP(gui_input_fetch, GUI_INPUT_FETCH, 11, (), ((WORD, count), (WORD, dropped)))
RPC_INTERFACE(gui, GUI_RPC);

/* A Gui session through the parent, its buffer attached writable. */
struct gui_connection {
	cptr_t session;
	word_t id;
	cptr_t ds;
	uint32_t *pixels;
	word_t width, height;
	const struct input_event *input;   /* the input buffer (gui_input_attach) */
	word_t input_count, input_pos;     /* the last batch, and how far it is read */
	word_t input_dropped;              /* as the server counted them */
};
/* Opened with the quota for a buffer of width x height (0 0: none yet). */
rpc_status_t gui_connect(struct gui_connection *c, const char *label, word_t width,
			 word_t height);
/* The buffer (GUI_BUFFER) attached. */
rpc_status_t gui_set_buffer(struct gui_connection *c, word_t width, word_t height);
void gui_disconnect(struct gui_connection *c);

/* Input: gui_input_attach attaches the input buffer (size checked against
 * its dataspace) and sets the signal (0: none); gui_input_next returns the
 * next event, fetching a new batch when the last one is used up, false
 * when none waits. */
rpc_status_t gui_input_attach(struct gui_connection *c, cptr_t sigh);
bool gui_input_next(struct gui_connection *c, struct input_event *e);

#endif
