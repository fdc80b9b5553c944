/*
 * The Event session (servers/event, docs/devices.md): an input driver
 * (ps2, later usb and virtio input) submits batches of input events to
 * the event server, which later grows into the GUI's event filter. Client
 * code: event_session.c (the library event_session, LIBS := event_session).
 *
 *   EVENT_DATASPACE -> cap: the session's batch buffer (a RAM dataspace
 *                      shared with the server, EVENT_BATCH_MAX events),
 *                      w0 its size in bytes
 *   EVENT_SUBMIT    w0 count, w1 seq: the first count events of the
 *                      buffer are the next batch; seq is the sequence
 *                      number of its first event, which must be the
 *                      number of events the session submitted before
 *                      (RPC_E_INVALID_ARGUMENT otherwise: a gap or a
 *                      replay). The server copies the batch at once; an
 *                      event with an unknown type, a key code beyond
 *                      KEY_MAX or a press/release with a motion is
 *                      refused, and with it the whole batch
 *                      (RPC_E_INVALID_ARGUMENT, nothing taken).
 *
 * Events (struct input_event, 16 bytes): press and release of a key or
 * button (code: input_keys.h), relative motion (x, y: right and down are
 * positive), wheel (x horizontal, y vertical: up is positive, in notches),
 * absolute position of a pointer (x, y in 0..INPUT_ABS_MAX: left/top to
 * right/bottom edge of the screen, whatever its size; a tablet), and a
 * character (code: its Unicode code point, up to INPUT_CHAR_MAX; x is 1
 * for a character of the key repeat, else 0): the event filter
 * (servers/event_filter) puts one after the press of a key that gives a
 * character under its keymap.
 *
 * Session arguments: none. Quota: EVENT_SESSION_RAM, EVENT_SESSION_CAPS.
 */
#ifndef EVENT_SESSION_H
#define EVENT_SESSION_H

#include <argil/ram_buf.h>
#include <argil/rpc_gen.h>
#include <argil/session_server.h>
#include <input_keys.h>
#include <stdint.h>

#define EVENT_SERVICE "Event"
#define EVENT_BATCH_MAX 256ul
#define EVENT_SESSION_RAM (1024ul + DS_COST(PAGES(EVENT_BATCH_MAX * 16)))
#define EVENT_SESSION_CAPS 4ul

enum input_type {
	INPUT_PRESS = 1,
	INPUT_RELEASE = 2,
	INPUT_MOTION = 3,
	INPUT_WHEEL = 4,
	INPUT_ABSOLUTE = 5,
	INPUT_CHAR = 6,
};

#define INPUT_ABS_MAX 0x7fff
#define INPUT_CHAR_MAX 0x10ffff

struct input_event {
	uint32_t type;           /* enum input_type */
	uint32_t code;           /* key code (press, release), else 0 */
	int32_t x, y;            /* motion, wheel; else 0 */
};

#define EVENT_RPC(OP, OPS)                                                              \
	OP(event_dataspace, EVENT_DATASPACE, 1, (), ((CAP, ds), (WORD, size)))          \
	OP(event_submit, EVENT_SUBMIT, 2, ((WORD_REQ, count), (WORD_REQ, seq)), ())
RPC_INTERFACE(event, EVENT_RPC);

/* "press", "release", "motion", "wheel", "absolute", "char"; NULL for another value. */
const char *input_type_name(uint32_t type);
/* Whether an event is well formed (as the server checks it). */
bool input_event_valid(const struct input_event *e);

/* An Event session through the parent, the buffer attached, events
 * collected in it until event_flush. */
struct event_connection {
	cptr_t session;
	word_t id;
	cptr_t ds;
	struct input_event *buf;
	word_t max;              /* events the buffer holds */
	word_t pending;          /* collected, not yet submitted */
	uint64_t seq;            /* events submitted so far */
};
rpc_status_t event_connect(struct event_connection *c, const char *label);
/* Collect one event (flushes first when the buffer is full). */
rpc_status_t event_put(struct event_connection *c, const struct input_event *e);
/* Submit what was collected (nothing: RPC_OK). */
rpc_status_t event_flush(struct event_connection *c);
void event_disconnect(struct event_connection *c);

/*
 * The server's side of a session (event_sink.c: every Event server's one
 * copy): the batch buffer shared with the source and the sequence number.
 * event_sink_open takes EVENT_SESSION_RAM/CAPS from the session's budget
 * and the buffer; event_sink_take copies a submitted batch into batch[]
 * (EVENT_BATCH_MAX events) before it checks it, as the source may write
 * the buffer meanwhile: a gap or replay of the sequence, a bad count, an
 * invalid event or (unless chars_ok) a character refuse the whole batch
 * with RPC_E_INVALID_ARGUMENT. RPC_OK: *n events in batch, taken.
 */
struct event_sink {
	struct ram_buf mem;
	uint64_t seq;            /* events taken so far */
};
rpc_status_t event_sink_open(struct event_sink *k, struct session_budget *budget);
void event_sink_close(struct event_sink *k);
void event_sink_dataspace(const struct event_sink *k, cptr_t *ds, word_t *size);
rpc_status_t event_sink_take(struct event_sink *k, word_t count, word_t seq, bool chars_ok,
			     struct input_event *batch, word_t *n);

#endif
