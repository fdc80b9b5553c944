/*
 * The source's side of a Packet_sink session for the test and the
 * benchmark (testbed.h): open the session, attach the stream, exchange
 * the signal capabilities, wait for acknowledgements. Static helpers,
 * included by main.c and bench/main.c.
 */
#ifndef PACKET_STREAM_CONN_H
#define PACKET_STREAM_CONN_H

#include <argil/packet_stream.h>
#include "packet_sink.h"
#include "testbed.h"

#define SINK_PRIO 100

RPC_CLIENT(psink, PSINK_RPC)

struct conn {
	struct tb_own o;
	cptr_t ds;
	uint8_t *mem;
	word_t size;
	struct ps_source src;
	struct ps_caps sink;     /* the sink's notifications (submit ready, ack slot free) */
	word_t ack_bit, free_bit;
};

static cptr_t ntfn;
static cptr_t bits[62];
static struct tb_child *sink;

static inline void start_sink(void)
{
	tb_signal_bits(&ntfn, bits);
	CHECK_OK(tb_start(&sink, "sink", "packet_sink", 8ul << 20, 200, SINK_PRIO, 0));
	CHECK(tb_wait_announce(sink, PSINK_SERVICE));
}

/* Open connection k (signal bits 2k and 2k+1) with a stream of size bytes. */
static inline void conn_open(struct conn *c, int k, word_t size, word_t slots)
{
	char args[64];
	word_t addr, dsize;

	memset(c, 0, sizeof(*c));
	snprintf(args, sizeof(args), "size=%lu, slots=%lu", size, slots);
	CHECK_OK(tb_open(&c->o, sink, PSINK_SERVICE, "test", args, PSINK_RAM(size), PSINK_CAPS));
	CHECK_OK(psink_stream(c->o.cap, &c->ds, &c->size));
	/* the dataspace's own size counts, not what the server says */
	CHECK_OK(ds_info(c->ds, &dsize, 0, 0));
	CHECK_EQ(dsize, c->size);
	CHECK_OK(pd_attach(tb_env->pd, c->ds, 0, 0, 0, ATTACH_WRITE, &addr));
	c->mem = (uint8_t *)addr;
	c->ack_bit = 1ul << (2 * k);
	c->free_bit = 1ul << (2 * k + 1);
	CHECK_OK(psink_sigh(c->o.cap, PS_ACK_READY, bits[2 * k]));
	CHECK_OK(psink_sigh(c->o.cap, PS_SUBMIT_SLOT_FREE, bits[2 * k + 1]));
	CHECK_OK(psink_cap(c->o.cap, PS_SUBMIT_READY, &c->sink.cap[PS_SUBMIT_READY]));
	CHECK_OK(psink_cap(c->o.cap, PS_ACK_SLOT_FREE, &c->sink.cap[PS_ACK_SLOT_FREE]));
	CHECK_EQ(ps_source_init(&c->src, c->mem, dsize, ps_signal_caps, &c->sink), PS_OK);
}

static inline void conn_close(struct conn *c)
{
	pd_detach(tb_env->pd, (word_t)c->mem);
	cap_slot_free(c->ds);
	cap_slot_free(c->sink.cap[PS_SUBMIT_READY]);
	cap_slot_free(c->sink.cap[PS_ACK_SLOT_FREE]);
	CHECK_OK(tb_close(&c->o));
}

/* The next acknowledgement, waiting for it (any error but EMPTY ends the
 * wait and is returned). */
static inline ps_error_t wait_ack(struct conn *c, struct ps_desc *a)
{
	ps_error_t err;

	while ((err = ps_get_ack(&c->src, a)) == PS_E_EMPTY)
		sys_wait(ntfn);
	return err;
}

/* Submit, waiting for a free slot while the ring is full. */
static inline void submit_wait(struct conn *c, const struct ps_desc *d)
{
	ps_error_t err;

	while ((err = ps_submit(&c->src, d)) == PS_E_FULL)
		sys_wait(ntfn);
	CHECK_EQ(err, PS_OK);
}

#endif
