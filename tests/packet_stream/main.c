/*
 * packet_stream_test: the packet stream (argil/packet_stream.h) between
 * two components. Started by core as init (testbed.h); its child
 * packet_sink (sink/) is the sink of one stream per session, the test the
 * source. Packets go through with their payload (inverted by the sink),
 * the rings fill and drain with the four signals, descriptors and indices
 * that a hostile source writes are refused by the sink without harm, and
 * acknowledgements of a hostile sink are refused by the source.
 */
#include <argil/kernel.h>
#include "conn.h"

#define KB 1024ul

static void setup(void)
{
	start_sink();
}

/* stats of the sink's session, after it has handled what was signalled:
 * the sink runs below us, so our call lets it work first */
static void stats(struct conn *c, word_t *processed, word_t *rejected, word_t *dead)
{
	CHECK_OK(psink_stats(c->o.cap, processed, rejected, dead));
}

/* one packet of n bytes through the sink: inverted payload, tag echoed */
static void round_trip(struct conn *c, uint32_t n, uint64_t tag)
{
	struct ps_desc d, a;
	uint8_t *p;

	CHECK_EQ(ps_alloc(&c->src, n, &d), PS_OK);
	d.opcode = PSINK_OP_INVERT;
	d.tag = tag;
	p = ps_payload(&c->src.e, &d);
	for (uint32_t i = 0; i < n; i++)
		p[i] = (uint8_t)(i + tag);
	submit_wait(c, &d);
	CHECK_EQ(wait_ack(c, &a), PS_OK);
	CHECK_EQ(a.tag, tag);
	CHECK_EQ(a.status, PS_STATUS_OK);
	CHECK_EQ(a.offset, d.offset);
	for (uint32_t i = 0; i < n; i++)
		CHECK_EQ(p[i], (uint8_t)~(uint8_t)(i + tag));
	CHECK_EQ(ps_free(&c->src, &a), PS_OK);
}

TEST(PST_0001, "300 packets of 1 byte to 16 KiB come back inverted, in order, tags echoed")
{
	struct conn c;
	struct ps_desc d, a;
	uint64_t sent = 0, acked = 0;
	word_t processed;

	conn_open(&c, 0, 128 * KB, 16);
	while (acked < 300) {
		uint32_t n = 1 + (uint32_t)((sent * 2741) % (16 * KB));
		/* keep the rings busy: submit while there is room and payload */
		if (sent < 300 && ps_submit_has_room(&c.src) && ps_alloc(&c.src, n, &d) == PS_OK) {
			uint8_t *p = ps_payload(&c.src.e, &d);
			for (uint32_t i = 0; i < n; i++)
				p[i] = (uint8_t)(i * 7 + sent);
			d.opcode = PSINK_OP_INVERT;
			d.tag = sent;
			d.arg = n;
			CHECK_EQ(ps_submit(&c.src, &d), PS_OK);
			sent++;
			continue;
		}
		CHECK_EQ(wait_ack(&c, &a), PS_OK);
		CHECK_EQ(a.tag, acked);
		CHECK_EQ(a.size, a.arg);
		CHECK_EQ(a.status, PS_STATUS_OK);
		uint8_t *p = ps_payload(&c.src.e, &a);
		for (uint32_t i = 0; i < a.size; i++)
			CHECK_EQ(p[i], (uint8_t)~(uint8_t)(i * 7 + acked));
		CHECK_EQ(ps_free(&c.src, &a), PS_OK);
		acked++;
	}
	stats(&c, &processed, 0, 0);
	CHECK_EQ(processed, 300);
	CHECK_EQ(c.src.in_flight, 0);
	conn_close(&c);
}

TEST(PST_0002, "a paused sink: the rings fill at their slot count, the slot-free signals wake both sides")
{
	struct conn c;
	struct ps_desc d, a;
	word_t processed, w;
	uint64_t tag = 0;

	conn_open(&c, 0, 64 * KB, 8);
	CHECK_OK(psink_mode(c.o.cap, PSINK_PAUSED));
	for (;;) {
		CHECK_EQ(ps_alloc(&c.src, 100, &d), PS_OK);
		d.opcode = PSINK_OP_INVERT;
		d.tag = tag;
		if (ps_submit(&c.src, &d) == PS_E_FULL)
			break;
		tag++;
	}
	CHECK_EQ(tag, 8);
	stats(&c, &processed, 0, 0);
	CHECK_EQ(processed, 0);
	sys_poll(ntfn);
	/* resumed, the sink takes all 8 from the full ring: one slot-free
	 * signal; it acks all 8 into the empty ack ring: one ack-ready */
	CHECK_OK(psink_mode(c.o.cap, PSINK_NORMAL));
	w = sys_poll(ntfn);
	CHECK(w & c.free_bit);
	CHECK(w & c.ack_bit);
	CHECK_EQ(ps_submit(&c.src, &d), PS_OK);      /* the ninth, kept above */
	tag++;
	/* 8 more fill the submit ring again while the ack ring is full: the
	 * sink takes one, cannot ack it, and waits for an ack slot */
	for (int i = 0; i < 7; i++) {
		CHECK_EQ(ps_alloc(&c.src, 100, &d), PS_OK);
		d.opcode = PSINK_OP_INVERT;
		d.tag = tag++;
		submit_wait(&c, &d);
	}
	stats(&c, &processed, 0, 0);
	CHECK_EQ(processed, 9);
	/* taking one ack signals ack-slot-free: everything comes through */
	for (uint64_t want = 0; want < tag; want++) {
		CHECK_EQ(wait_ack(&c, &a), PS_OK);
		CHECK_EQ(a.tag, want);
		CHECK_EQ(ps_free(&c.src, &a), PS_OK);
	}
	stats(&c, &processed, 0, 0);
	CHECK_EQ(processed, 16);
	conn_close(&c);
}

/* a descriptor written straight into the submit ring, as a hostile source
 * would (our source's own tail follows, so that the stream stays in step) */
static void raw_submit(struct conn *c, uint64_t off, uint32_t size)
{
	struct ps_ring *r = &c->src.e.submit;

	r->slots[r->mine & (r->nslots - 1)] =
		(struct ps_desc){ .offset = off, .size = size, .opcode = PSINK_OP_INVERT, .tag = off };
	r->mine++;
	__atomic_store_n(&r->ctl->tail, r->mine, __ATOMIC_RELEASE);
}

TEST(PST_0003, "descriptors outside the payload area are rejected and acked so; the sink goes on")
{
	struct conn c;
	struct ps_desc a;
	word_t processed, rejected, dead;
	uint64_t psize;

	conn_open(&c, 0, 64 * KB, 16);
	psize = c.src.e.payload_size;
	raw_submit(&c, psize, 1);                     /* one byte past the end */
	raw_submit(&c, psize - 8, 4096);              /* runs over the end */
	raw_submit(&c, UINT64_MAX - 100, 200);        /* offset + size wraps */
	raw_submit(&c, 1ull << 40, 4096);             /* far away */
	raw_submit(&c, (uint64_t)-(int64_t)c.src.e.payload, 4096); /* at address 0 */
	sys_signal(c.sink.cap[PS_SUBMIT_READY]);
	for (int i = 0; i < 5; i++) {
		CHECK_EQ(wait_ack(&c, &a), PS_E_BAD_DESC);
		CHECK_EQ(a.status, PS_STATUS_BAD_DESC);
		CHECK_EQ(a.size, 0);
	}
	stats(&c, &processed, &rejected, &dead);
	CHECK_EQ(processed, 0);
	CHECK_EQ(rejected, 5);
	CHECK_EQ(dead, 0);
	CHECK(!tb_faulted(sink, 0));
	round_trip(&c, 4096, 77);
	round_trip(&c, 1, 78);
	conn_close(&c);
}

TEST(PST_0004, "a submit index moved impossibly kills that stream only")
{
	struct conn c, other;
	struct ps_desc d;
	word_t dead;

	conn_open(&c, 0, 64 * KB, 16);
	conn_open(&other, 1, 64 * KB, 16);
	__atomic_store_n(&c.src.e.submit.ctl->tail, c.src.e.submit.mine + 1000, __ATOMIC_RELEASE);
	sys_signal(c.sink.cap[PS_SUBMIT_READY]);
	stats(&c, 0, 0, &dead);
	CHECK_EQ(dead, 1);
	/* our source sees the same: its tail is not where it left it, but the
	 * head check catches only a head beyond the tail; the sink refuses to
	 * go on, so nothing more is acknowledged */
	CHECK_EQ(ps_alloc(&c.src, 10, &d), PS_OK);
	CHECK(!tb_faulted(sink, 0));
	round_trip(&other, 2048, 5);
	stats(&other, 0, 0, &dead);
	CHECK_EQ(dead, 0);
	conn_close(&other);
	conn_close(&c);
}

TEST(PST_0005, "the source refuses acks at wrong offsets and doubled ones, frees nothing for them")
{
	struct conn c;
	struct ps_desc d, a;

	conn_open(&c, 0, 64 * KB, 16);
	CHECK_OK(psink_mode(c.o.cap, PSINK_ACK_WRONG));
	CHECK_EQ(ps_alloc(&c.src, 512, &d), PS_OK);
	d.opcode = PSINK_OP_INVERT;
	submit_wait(&c, &d);
	CHECK_EQ(wait_ack(&c, &a), PS_E_BAD_DESC);
	CHECK_EQ(c.src.in_flight, 1);
	CHECK_EQ(ps_free(&c.src, &d), PS_E_INVALID);  /* still in flight for us */
	conn_close(&c);

	conn_open(&c, 0, 64 * KB, 16);
	CHECK_OK(psink_mode(c.o.cap, PSINK_ACK_TWICE));
	CHECK_EQ(ps_alloc(&c.src, 512, &d), PS_OK);
	d.opcode = PSINK_OP_INVERT;
	submit_wait(&c, &d);
	CHECK_EQ(wait_ack(&c, &a), PS_OK);
	CHECK_EQ(wait_ack(&c, &a), PS_E_BAD_DESC);
	CHECK_EQ(ps_free(&c.src, &d), PS_OK);
	CHECK_EQ(c.src.in_flight, 0);
	conn_close(&c);
}

TEST(PST_0006, "bad session arguments, conditions and opcodes get clear errors")
{
	struct tb_own o;
	struct conn c;
	struct ps_desc d, a;
	cptr_t cap = 0;

	CHECK_ST(tb_open(&o, sink, PSINK_SERVICE, "test", "size=99999999", PSINK_RAM(4096),
			 PSINK_CAPS), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(tb_open(&o, sink, PSINK_SERVICE, "test", "slots=3", PSINK_RAM(64 * KB),
			 PSINK_CAPS), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(tb_open(&o, sink, PSINK_SERVICE, "test", "size=65536", PSINK_RAM(4096),
			 PSINK_CAPS), RPC_E_NO_RAM_QUOTA);
	conn_open(&c, 0, 64 * KB, 16);
	CHECK_ST(psink_cap(c.o.cap, PS_ACK_READY, &cap), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(psink_sigh(c.o.cap, PS_SUBMIT_READY, bits[5]), RPC_E_INVALID_ARGUMENT);
	CHECK_ST(psink_sigh(c.o.cap, PS_ACK_READY, 0), RPC_E_INVALID_CAP);
	CHECK_ST(psink_mode(c.o.cap, 9), RPC_E_INVALID_ARGUMENT);
	CHECK_EQ(ps_alloc(&c.src, 64, &d), PS_OK);
	d.opcode = 42;
	submit_wait(&c, &d);
	CHECK_EQ(wait_ack(&c, &a), PS_OK);
	CHECK_EQ(a.status, PS_STATUS_BAD_OPCODE);
	CHECK_EQ(ps_free(&c.src, &a), PS_OK);
	conn_close(&c);
}

void component_construct(struct component_env *env)
{
	(void)env;
	tb_run("packet_stream_test", setup);
}
