/*
 * The Timer session (os/timer, os/timer/README.md): one timeout per
 * session, one-shot or periodic, with microsecond resolution, signalled
 * through a notification the client registers; and the time elapsed since
 * the timer service started. The client code is
 * os/timer/session/timer_session.c (the library timer_session, LIBS :=
 * timer_session).
 *
 *   TIMER_SIGH             cap: notification signalled at each expiry (no
 *                          cap: none). Anything but a notification
 *                          capability is RPC_E_INVALID_CAP.
 *   TIMER_TRIGGER_ONCE     w0 us: expire once, us microseconds from now
 *                          (0: at once); replaces the armed timeout
 *   TIMER_TRIGGER_PERIODIC w0 us: expire every us microseconds from now
 *                          (us >= TIMER_MIN_PERIOD_US, else
 *                          RPC_E_INVALID_ARGUMENT); replaces the armed one
 *   TIMER_STOP             disarm (nothing armed: no error)
 *   TIMER_ELAPSED          -> w0 microseconds since the service started
 *                          (the same clock for every session, never
 *                          decreasing), w1 expiries of this session so far
 *                          (a periodic timeout that could not be signalled
 *                          in time counts every period that passed)
 *
 * Guarantees: an expiry is never signalled before its deadline on the
 * TIMER_ELAPSED clock: a client that reads t0 = TIMER_ELAPSED, triggers
 * us and is signalled reads TIMER_ELAPSED >= t0 + us afterwards. Several
 * expiries before the client looks merge into one signal (w1 counts them).
 * Timeouts of all sessions expire in deadline order (equal deadlines in
 * the order they were armed).
 *
 * Session arguments: none. Quota: TIMER_SESSION_RAM / TIMER_SESSION_CAPS
 * (less is RPC_E_NO_RAM_QUOTA / RPC_E_NO_CAP_QUOTA).
 */
#ifndef TIMER_SESSION_H
#define TIMER_SESSION_H

#include <argil/rpc_gen.h>
#include <stdint.h>

#define TIMER_SERVICE "Timer"
#define TIMER_SESSION_RAM 4096
#define TIMER_SESSION_CAPS 2
#define TIMER_MIN_PERIOD_US 100

/* The interface (argil/rpc_gen.h): stubs on a Timer session capability. */
#define TIMER_RPC(OP, OPS)                                                              \
	OP(timer_sigh,             TIMER_SIGH,             1, ((CAP, ntfn)), ())          \
	OP(timer_trigger_once,     TIMER_TRIGGER_ONCE,     2, ((WORD_REQ, us)), ())       \
	OP(timer_trigger_periodic, TIMER_TRIGGER_PERIODIC, 3, ((WORD_REQ, us)), ())       \
	OP(timer_stop,             TIMER_STOP,             4, (), ())                     \
	OP(timer_elapsed,          TIMER_ELAPSED,          5, (), ((WORD, us), (WORD, expiries)))
RPC_INTERFACE(timer, TIMER_RPC);

/*
 * A timer connection: a Timer session through the component's parent and
 * a notification of the component's own (PD_ALLOC_NTFN) to sleep on.
 * sleep_us() and elapsed_us() are for any one thread at a time; a
 * connection used for sleeping should not also have a signal handler of
 * the caller's (timer_connection_sigh sets one; sleep_us restores it).
 */
struct timer_connection {
	cptr_t session;
	word_t id;               /* session id at the parent */
	cptr_t ntfn;             /* our notification for sleep_us */
	word_t ntfn_handle;
	cptr_t user_sigh;        /* the caller's handler (0: none) */
};

/* Open a Timer session labelled label through the parent. */
rpc_status_t timer_connect(struct timer_connection *t, const char *label);
/* Close the session and free the connection's notification; the status
 * of closing the session at the parent (RPC_OK also without a session). */
rpc_status_t timer_disconnect(struct timer_connection *t);
/* Register the caller's own signal capability (e.g. an entrypoint signal
 * handler's cap) for trigger_once / trigger_periodic. */
rpc_status_t timer_connection_sigh(struct timer_connection *t, cptr_t sigh);
/* Block the calling thread for at least us microseconds of the timer's
 * clock (it never returns early). */
rpc_status_t sleep_us(struct timer_connection *t, uint64_t us);
/* Microseconds since the timer service started (0 on error). */
uint64_t elapsed_us(struct timer_connection *t);

#endif
