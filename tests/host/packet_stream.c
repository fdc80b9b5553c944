// sources: base/src/packet_stream.c
/*
 * Host unit tests of the packet stream's queue logic and payload allocator
 * (argil/packet_stream.h, base/src/packet_stream.c): layouts that do not
 * fit, round trips, full and empty rings, wrap-around of the rings and of
 * the 32-bit indices, exactly when each of the four conditions is
 * signalled, descriptors and indices a hostile peer writes, the source's
 * allocator, and two threads streaming through one ring pair.
 *
 * Area: PS.
 */
#include <harness.h>
#include <sys/wait.h>
#include <unistd.h>
#include <argil/packet_stream.h>
#include <sys/mman.h>

#define SLOTS 8u
#define SIZE (64u * 1024u)

struct sigcount {
	unsigned n[PS_CONDS];
};

static void count(void *arg, enum ps_cond c)
{
	((struct sigcount *)arg)->n[c]++;
}

struct pair {
	void *mem;
	struct ps_header *h;
	struct ps_source src;
	struct ps_sink snk;
	struct sigcount ssig, ksig;   /* what the source / the sink signalled */
};

static void pair_init(struct pair *p, uint32_t slots, size_t size)
{
	p->mem = test_alloc(4096, size);
	p->h = p->mem;
	CHECK_EQ(ps_format(p->mem, size, slots), PS_OK);
	CHECK_EQ(ps_source_init(&p->src, p->mem, size, count, &p->ssig), PS_OK);
	CHECK_EQ(ps_sink_init(&p->snk, p->mem, size, count, &p->ksig), PS_OK);
}

/* one packet of n bytes through source and sink, payload checked */
static void one_round(struct pair *p, uint32_t n, uint64_t tag)
{
	struct ps_desc d, g, a;
	uint8_t *b;

	CHECK_EQ(ps_alloc(&p->src, n, &d), PS_OK);
	d.tag = tag;
	d.opcode = 7;
	b = ps_payload(&p->src.e, &d);
	CHECK(b != NULL);
	memset(b, (int)(tag & 0xff), n);
	CHECK_EQ(ps_submit(&p->src, &d), PS_OK);
	CHECK_EQ(ps_get_packet(&p->snk, &g), PS_OK);
	CHECK_EQ(g.offset, d.offset);
	CHECK_EQ(g.size, n);
	CHECK_EQ(g.tag, tag);
	CHECK_EQ(g.opcode, 7);
	b = ps_payload(&p->snk.e, &g);
	CHECK(b != NULL);
	for (uint32_t i = 0; i < n; i++)
		CHECK_EQ(b[i], tag & 0xff);
	g.status = PS_STATUS_OK;
	CHECK_EQ(ps_ack(&p->snk, &g), PS_OK);
	CHECK_EQ(ps_get_ack(&p->src, &a), PS_OK);
	CHECK_EQ(a.tag, tag);
	CHECK_EQ(ps_free(&p->src, &a), PS_OK);
}

TEST(PS_0001, "layouts that do not fit the dataspace are refused")
{
	uint8_t *m = test_alloc(4096, SIZE);
	struct ps_header *h = (struct ps_header *)m;
	struct ps_source s;
	struct ps_sink k;

	CHECK_EQ(ps_format(m, SIZE, 3), PS_E_INVALID);        /* not a power of two */
	CHECK_EQ(ps_format(m, SIZE, 1), PS_E_INVALID);
	CHECK_EQ(ps_format(m, SIZE, PS_MAX_SLOTS * 2), PS_E_INVALID);
	CHECK_EQ(ps_format(m, ps_layout_size(SLOTS, 0), SLOTS), PS_E_LAYOUT); /* no payload */
	CHECK_EQ(ps_sink_init(&k, m, SIZE, NULL, NULL), PS_E_LAYOUT);  /* not formatted */
	CHECK_EQ(ps_format(m, SIZE, SLOTS), PS_OK);
	CHECK_EQ(h->payload_offset % 64, 0);
	CHECK_EQ(h->payload_offset + h->payload_size, SIZE);
	CHECK_EQ(ps_layout_size(SLOTS, h->payload_size), SIZE);
	/* the real dataspace is smaller than the header claims */
	CHECK_EQ(ps_sink_init(&k, m, SIZE - 1, NULL, NULL), PS_E_LAYOUT);
	CHECK_EQ(ps_source_init(&s, m, 100, NULL, NULL), PS_E_LAYOUT);
	CHECK_EQ(ps_sink_init(&k, m + 1, SIZE - 1, NULL, NULL), PS_E_INVALID); /* misaligned */
	/* a peer's header lies: payload overlapping the rings, slots not a
	 * power of two, huge sizes that wrap */
	h->payload_offset = 64;
	CHECK_EQ(ps_sink_init(&k, m, SIZE, NULL, NULL), PS_E_LAYOUT);
	CHECK_EQ(ps_format(m, SIZE, SLOTS), PS_OK);
	h->nslots = 6;
	CHECK_EQ(ps_sink_init(&k, m, SIZE, NULL, NULL), PS_E_LAYOUT);
	CHECK_EQ(ps_format(m, SIZE, SLOTS), PS_OK);
	h->payload_size = UINT64_MAX - 10;
	CHECK_EQ(ps_source_init(&s, m, SIZE, NULL, NULL), PS_E_LAYOUT);
	CHECK_EQ(ps_format(m, SIZE, SLOTS), PS_OK);
	h->version = 2;
	CHECK_EQ(ps_source_init(&s, m, SIZE, NULL, NULL), PS_E_LAYOUT);
	/* indices that disagree at hand-over */
	CHECK_EQ(ps_format(m, SIZE, SLOTS), PS_OK);
	h->submit.tail = 3;
	CHECK_EQ(ps_sink_init(&k, m, SIZE, NULL, NULL), PS_E_LAYOUT);
	CHECK_EQ(ps_format(m, SIZE, SLOTS), PS_OK);
	CHECK_EQ(ps_source_init(&s, m, SIZE, NULL, NULL), PS_OK);
	CHECK_EQ(ps_sink_init(&k, m, SIZE, NULL, NULL), PS_OK);
	CHECK(strcmp(ps_error_name(PS_E_BAD_DESC), "unknown packet stream error") != 0);
	CHECK(strcmp(ps_error_name((ps_error_t)99), "unknown packet stream error") == 0);
}

TEST(PS_0002, "a packet goes through with its fields and payload, acks in order")
{
	struct pair p = { 0 };
	struct ps_desc d[3], g, a;

	pair_init(&p, SLOTS, SIZE);
	one_round(&p, 4096, 0x1234);
	one_round(&p, 1, 0x99);
	for (int i = 0; i < 3; i++) {
		CHECK_EQ(ps_alloc(&p.src, 100 + i, &d[i]), PS_OK);
		d[i].tag = 10 + i;
		d[i].arg = 1000 + i;
		CHECK_EQ(ps_submit(&p.src, &d[i]), PS_OK);
	}
	for (int i = 0; i < 3; i++) {
		CHECK_EQ(ps_get_packet(&p.snk, &g), PS_OK);
		CHECK_EQ(g.tag, 10 + i);
		CHECK_EQ(g.arg, 1000 + i);
		g.status = PS_STATUS_ERROR;
		CHECK_EQ(ps_ack(&p.snk, &g), PS_OK);
	}
	CHECK_EQ(ps_get_packet(&p.snk, &g), PS_E_EMPTY);
	for (int i = 0; i < 3; i++) {
		CHECK_EQ(ps_get_ack(&p.src, &a), PS_OK);
		CHECK_EQ(a.tag, 10 + i);
		CHECK_EQ(a.status, PS_STATUS_ERROR);
		CHECK_EQ(ps_free(&p.src, &a), PS_OK);
	}
	CHECK_EQ(ps_get_ack(&p.src, &a), PS_E_EMPTY);
	CHECK_EQ(p.src.in_flight, 0);
}

TEST(PS_0003, "a full ring refuses, an empty one says so, room comes back")
{
	struct pair p = { 0 };
	struct ps_desc d, g, a;

	pair_init(&p, SLOTS, SIZE);
	CHECK(ps_submit_has_room(&p.src));
	CHECK(!ps_packet_available(&p.snk));
	CHECK(!ps_ack_available(&p.src));
	for (unsigned i = 0; i < SLOTS; i++) {
		CHECK_EQ(ps_alloc(&p.src, 64, &d), PS_OK);
		d.tag = i;
		CHECK_EQ(ps_submit(&p.src, &d), PS_OK);
	}
	CHECK(!ps_submit_has_room(&p.src));
	CHECK_EQ(ps_alloc(&p.src, 64, &d), PS_OK);
	CHECK_EQ(ps_submit(&p.src, &d), PS_E_FULL);
	CHECK(ps_packet_available(&p.snk));
	CHECK_EQ(ps_get_packet(&p.snk, &g), PS_OK);
	CHECK_EQ(g.tag, 0);
	CHECK(ps_submit_has_room(&p.src));
	d.tag = SLOTS;
	CHECK_EQ(ps_submit(&p.src, &d), PS_OK);
	/* the ack ring fills the same way; the sink holds the rest */
	CHECK_EQ(ps_ack(&p.snk, &g), PS_OK);
	for (unsigned i = 1; i < SLOTS; i++) {
		CHECK_EQ(ps_get_packet(&p.snk, &g), PS_OK);
		CHECK_EQ(g.tag, i);
		CHECK_EQ(ps_ack(&p.snk, &g), PS_OK);
	}
	CHECK(!ps_ack_has_room(&p.snk));
	CHECK_EQ(ps_get_packet(&p.snk, &g), PS_OK);
	CHECK_EQ(g.tag, SLOTS);
	CHECK_EQ(ps_ack(&p.snk, &g), PS_E_FULL);
	CHECK_EQ(ps_get_ack(&p.src, &a), PS_OK);
	CHECK_EQ(a.tag, 0);
	CHECK(ps_ack_has_room(&p.snk));
	CHECK_EQ(ps_ack(&p.snk, &g), PS_OK);
	for (unsigned i = 1; i <= SLOTS; i++) {
		CHECK_EQ(ps_get_ack(&p.src, &a), PS_OK);
		CHECK_EQ(a.tag, i);
	}
	CHECK_EQ(ps_get_ack(&p.src, &a), PS_E_EMPTY);
}

TEST(PS_0004, "rings wrap around, also where the 32-bit indices overflow")
{
	static const uint32_t starts[] = { 0, 0xfffffff0u, 0xfffffffbu };

	for (unsigned s = 0; s < sizeof(starts) / sizeof(starts[0]); s++) {
		struct pair p = { 0 };
		struct ps_desc d, g, a;
		uint64_t next_ack = 0, tag = 0;

		p.mem = test_alloc(4096, SIZE);
		p.h = p.mem;
		CHECK_EQ(ps_format(p.mem, SIZE, SLOTS), PS_OK);
		p.h->submit.head = p.h->submit.tail = starts[s];
		p.h->ack.head = p.h->ack.tail = starts[s] + 3;
		CHECK_EQ(ps_source_init(&p.src, p.mem, SIZE, NULL, NULL), PS_OK);
		CHECK_EQ(ps_sink_init(&p.snk, p.mem, SIZE, NULL, NULL), PS_OK);
		/* batches of 1..SLOTS, 20 * SLOTS packets */
		for (unsigned batch = 1; tag < 20 * SLOTS; batch = batch % SLOTS + 1) {
			for (unsigned i = 0; i < batch; i++) {
				CHECK_EQ(ps_alloc(&p.src, 128, &d), PS_OK);
				d.tag = tag++;
				CHECK_EQ(ps_submit(&p.src, &d), PS_OK);
			}
			while (ps_get_packet(&p.snk, &g) == PS_OK)
				CHECK_EQ(ps_ack(&p.snk, &g), PS_OK);
			while (ps_get_ack(&p.src, &a) == PS_OK) {
				CHECK_EQ(a.tag, next_ack++);
				CHECK_EQ(ps_free(&p.src, &a), PS_OK);
			}
		}
		CHECK_EQ(next_ack, tag);
		CHECK_EQ(p.h->submit.tail, starts[s] + (uint32_t)tag);
	}
}

TEST(PS_0005, "each condition is signalled exactly when the other side may wait")
{
	struct pair p = { 0 };
	struct ps_desc d, g, a;

	pair_init(&p, 4, SIZE);
	/* into an empty ring: submit ready; into a non-empty one: nothing */
	CHECK_EQ(ps_alloc(&p.src, 10, &d), PS_OK);
	CHECK_EQ(ps_submit(&p.src, &d), PS_OK);
	CHECK_EQ(p.ssig.n[PS_SUBMIT_READY], 1);
	for (int i = 0; i < 3; i++) {
		CHECK_EQ(ps_alloc(&p.src, 10, &d), PS_OK);
		CHECK_EQ(ps_submit(&p.src, &d), PS_OK);
	}
	CHECK_EQ(p.ssig.n[PS_SUBMIT_READY], 1);
	/* taking from the full ring: slot free once, then not */
	CHECK_EQ(ps_get_packet(&p.snk, &g), PS_OK);
	CHECK_EQ(p.ksig.n[PS_SUBMIT_SLOT_FREE], 1);
	CHECK_EQ(ps_ack(&p.snk, &g), PS_OK);
	CHECK_EQ(p.ksig.n[PS_ACK_READY], 1);
	for (int i = 0; i < 3; i++) {
		CHECK_EQ(ps_get_packet(&p.snk, &g), PS_OK);
		CHECK_EQ(ps_ack(&p.snk, &g), PS_OK);
	}
	CHECK_EQ(p.ksig.n[PS_SUBMIT_SLOT_FREE], 1);
	CHECK_EQ(p.ksig.n[PS_ACK_READY], 1);
	/* the ack ring is full now: the first take signals ack slot free */
	CHECK_EQ(ps_get_ack(&p.src, &a), PS_OK);
	CHECK_EQ(p.ssig.n[PS_ACK_SLOT_FREE], 1);
	CHECK_EQ(ps_free(&p.src, &a), PS_OK);
	while (ps_get_ack(&p.src, &a) == PS_OK)
		CHECK_EQ(ps_free(&p.src, &a), PS_OK);
	CHECK_EQ(p.ssig.n[PS_ACK_SLOT_FREE], 1);
	/* after the sink drained everything, the next submit signals again */
	CHECK_EQ(ps_alloc(&p.src, 10, &d), PS_OK);
	CHECK_EQ(ps_submit(&p.src, &d), PS_OK);
	CHECK_EQ(p.ssig.n[PS_SUBMIT_READY], 2);
	/* sides never signal their own conditions */
	CHECK_EQ(p.ssig.n[PS_SUBMIT_SLOT_FREE] + p.ssig.n[PS_ACK_READY], 0);
	CHECK_EQ(p.ksig.n[PS_SUBMIT_READY] + p.ksig.n[PS_ACK_SLOT_FREE], 0);
}

/* a descriptor written into the submit ring by a hostile source */
static void raw_submit(struct pair *p, uint64_t off, uint32_t size)
{
	struct ps_desc *ring = (struct ps_desc *)(p->h + 1);
	uint32_t t = p->h->submit.tail;

	ring[t % p->h->nslots] = (struct ps_desc){ .offset = off, .size = size, .tag = off };
	p->h->submit.tail = t + 1;
}

TEST(PS_0006, "the sink rejects descriptors outside the payload area and acks them so")
{
	struct pair p = { 0 };
	struct ps_desc g, a;
	uint64_t psize;
	static const struct { uint64_t off; uint32_t size; } bad[] = {
		{ 0, 0 },                                 /* placeholder: psize, 1 */
		{ UINT64_MAX, 1 },
		{ UINT64_MAX - 10, 100 },                 /* offset + size wraps */
		{ 1ull << 40, 4096 },
	};

	pair_init(&p, SLOTS, SIZE);
	psize = p.snk.e.payload_size;
	raw_submit(&p, psize, 1);
	raw_submit(&p, psize - 10, 11);
	for (unsigned i = 1; i < sizeof(bad) / sizeof(bad[0]); i++)
		raw_submit(&p, bad[i].off, bad[i].size);
	raw_submit(&p, psize - 10, 10);          /* the last bytes: fine */
	raw_submit(&p, psize, 0);                /* empty at the end: fine */
	for (int i = 0; i < 5; i++) {
		CHECK_EQ(ps_get_packet(&p.snk, &g), PS_E_BAD_DESC);
		CHECK(ps_payload(&p.snk.e, &g) == NULL);
		CHECK_EQ(ps_reject(&p.snk, &g), PS_OK);
	}
	CHECK_EQ(ps_get_packet(&p.snk, &g), PS_OK);
	CHECK(ps_payload(&p.snk.e, &g) == p.snk.e.payload + psize - 10);
	CHECK_EQ(ps_get_packet(&p.snk, &g), PS_OK);
	CHECK_EQ(ps_get_packet(&p.snk, &g), PS_E_EMPTY);
	/* the source learns of each rejection (these name none of its packets) */
	for (int i = 0; i < 5; i++) {
		CHECK_EQ(ps_get_ack(&p.src, &a), PS_E_BAD_DESC);
		CHECK_EQ(a.status, PS_STATUS_BAD_DESC);
		CHECK_EQ(a.size, 0);
	}
}

TEST(PS_0007, "indices a hostile peer moves impossibly kill the stream for us")
{
	struct pair p = { 0 };
	struct ps_desc d, g;

	/* the producer's tail jumps more than a ring ahead */
	pair_init(&p, SLOTS, SIZE);
	p.h->submit.tail += SLOTS + 1;
	CHECK_EQ(ps_get_packet(&p.snk, &g), PS_E_CORRUPT);
	CHECK(!ps_packet_available(&p.snk));
	CHECK_EQ(ps_ack(&p.snk, &g), PS_E_CORRUPT);   /* dead for every call */

	/* the tail goes backwards after we saw it */
	memset(&p, 0, sizeof(p));
	pair_init(&p, SLOTS, SIZE);
	CHECK_EQ(ps_alloc(&p.src, 10, &d), PS_OK);
	CHECK_EQ(ps_submit(&p.src, &d), PS_OK);
	CHECK(ps_packet_available(&p.snk));
	p.h->submit.tail -= 2;
	CHECK_EQ(ps_get_packet(&p.snk, &g), PS_OK);    /* the one we saw is ours */
	CHECK_EQ(ps_get_packet(&p.snk, &g), PS_E_CORRUPT);

	/* the consumer's head passes the producer's tail */
	memset(&p, 0, sizeof(p));
	pair_init(&p, SLOTS, SIZE);
	CHECK_EQ(ps_alloc(&p.src, 10, &d), PS_OK);
	CHECK_EQ(ps_submit(&p.src, &d), PS_OK);
	p.h->submit.head += 5;
	CHECK_EQ(ps_alloc(&p.src, 10, &d), PS_OK);
	CHECK_EQ(ps_submit(&p.src, &d), PS_E_CORRUPT);
	CHECK_EQ(ps_alloc(&p.src, 10, &d), PS_E_CORRUPT);

	/* the consumer's head goes backwards */
	memset(&p, 0, sizeof(p));
	pair_init(&p, 2, SIZE);
	for (int i = 0; i < 2; i++) {
		CHECK_EQ(ps_alloc(&p.src, 10, &d), PS_OK);
		CHECK_EQ(ps_submit(&p.src, &d), PS_OK);
		CHECK_EQ(ps_get_packet(&p.snk, &g), PS_OK);
	}
	CHECK_EQ(ps_alloc(&p.src, 10, &d), PS_OK);
	CHECK_EQ(ps_submit(&p.src, &d), PS_OK);
	p.h->submit.head -= 2;
	CHECK_EQ(ps_alloc(&p.src, 10, &d), PS_OK);
	CHECK_EQ(ps_submit(&p.src, &d), PS_E_CORRUPT);
}

/* an acknowledgement written by a hostile sink */
static void raw_ack(struct pair *p, uint64_t off, uint32_t size)
{
	struct ps_desc *ring = (struct ps_desc *)(p->h + 1) + p->h->nslots;
	uint32_t t = p->h->ack.tail;

	ring[t % p->h->nslots] = (struct ps_desc){ .offset = off, .size = size };
	p->h->ack.tail = t + 1;
}

TEST(PS_0008, "the source refuses acks of packets it does not have in flight")
{
	struct pair p = { 0 };
	struct ps_desc d, kept, a;
	uint32_t bs;

	pair_init(&p, SLOTS, SIZE);
	bs = p.src.block_size;
	CHECK_EQ(ps_alloc(&p.src, 3 * bs, &d), PS_OK);
	CHECK_EQ(ps_submit(&p.src, &d), PS_OK);
	CHECK_EQ(ps_alloc(&p.src, 10, &kept), PS_OK);   /* allocated, not submitted */
	raw_ack(&p, d.offset + bs, 10);                 /* the middle of a packet */
	raw_ack(&p, d.offset + 1, 10);                  /* unaligned */
	raw_ack(&p, kept.offset, 10);                   /* not submitted */
	raw_ack(&p, d.offset, 3 * bs + 1);              /* longer than the packet */
	raw_ack(&p, UINT64_MAX - 100, 10);
	for (int i = 0; i < 5; i++)
		CHECK_EQ(ps_get_ack(&p.src, &a), PS_E_BAD_DESC);
	raw_ack(&p, d.offset, 5);
	raw_ack(&p, d.offset, 5);                       /* the same packet twice */
	CHECK_EQ(ps_get_ack(&p.src, &a), PS_OK);
	CHECK_EQ(a.size, 5);
	CHECK_EQ(ps_get_ack(&p.src, &a), PS_E_BAD_DESC);
	/* nothing was freed by the bad ones */
	CHECK_EQ(p.src.in_flight, 2);
	CHECK_EQ(ps_free(&p.src, &d), PS_OK);
	CHECK_EQ(ps_free(&p.src, &kept), PS_OK);
	CHECK_EQ(p.src.in_flight, 0);
}

TEST(PS_0009, "the allocator fills the area, refuses, reuses, guards its own misuse")
{
	struct pair p = { 0 };
	struct ps_desc d[PS_MAX_BLOCKS], x, big;
	uint32_t n = 0, bs;

	pair_init(&p, SLOTS, SIZE);
	bs = p.src.block_size;
	CHECK(bs >= PS_MIN_BLOCK);
	CHECK_EQ(ps_alloc(&p.src, 0, &x), PS_E_INVALID);
	CHECK_EQ(ps_alloc(&p.src, (uint32_t)p.src.e.payload_size + 1, &x), PS_E_NO_SPACE);
	while (ps_alloc(&p.src, bs, &d[n]) == PS_OK)
		n++;
	CHECK_EQ(n, p.src.nblocks);
	for (uint32_t i = 0; i < n; i++)
		CHECK(d[i].offset + d[i].size <= p.src.e.payload_size);
	CHECK_EQ(ps_alloc(&p.src, 1, &x), PS_E_NO_SPACE);
	/* two free blocks apart are no room for two blocks; together they are */
	CHECK_EQ(ps_free(&p.src, &d[3]), PS_OK);
	CHECK_EQ(ps_free(&p.src, &d[5]), PS_OK);
	CHECK_EQ(ps_alloc(&p.src, 2 * bs, &big), PS_E_NO_SPACE);
	CHECK_EQ(ps_free(&p.src, &d[4]), PS_OK);
	CHECK_EQ(ps_alloc(&p.src, 3 * bs, &big), PS_OK);
	CHECK_EQ(big.offset, d[3].offset);
	/* double free, a block inside a packet, a packet in flight */
	CHECK_EQ(ps_free(&p.src, &d[4]), PS_E_BAD_DESC);
	x = big;
	x.offset += bs;
	CHECK_EQ(ps_free(&p.src, &x), PS_E_BAD_DESC);
	CHECK_EQ(ps_submit(&p.src, &x), PS_E_INVALID);
	big.size = 3 * bs + 1;
	CHECK_EQ(ps_submit(&p.src, &big), PS_E_INVALID);    /* beyond its blocks */
	big.size = 3 * bs;
	CHECK_EQ(ps_submit(&p.src, &big), PS_OK);
	CHECK_EQ(ps_submit(&p.src, &big), PS_E_INVALID);    /* twice */
	CHECK_EQ(ps_free(&p.src, &big), PS_E_INVALID);
	/* packets spanning many blocks alternate with single ones */
	for (uint32_t i = 0; i < n; i++)
		if (i < 3 || i > 5)
			CHECK_EQ(ps_free(&p.src, &d[i]), PS_OK);
	CHECK_EQ(p.src.in_flight, 1);
	CHECK_EQ(ps_alloc(&p.src, 4096, &x), PS_OK);
	CHECK(x.offset + 4096 <= big.offset || x.offset >= big.offset + 3 * bs);
}

/* ---- two processes ---- */

#define STREAM_PACKETS 200000u

/* the sink in a child process: inverts each payload, exits 0 when done */
static void sink_process(struct pair *p)
{
	struct ps_desc g;
	uint32_t done = 0;

	while (done < STREAM_PACKETS) {
		if (ps_get_packet(&p->snk, &g) != PS_OK)
			continue;
		uint8_t *b = ps_payload(&p->snk.e, &g);
		for (uint32_t i = 0; i < g.size; i++)
			b[i] ^= 0xff;
		while (ps_ack(&p->snk, &g) == PS_E_FULL)
			;
		done++;
	}
	_exit(0);
}

TEST(PS_0010, "two processes stream 200,000 packets in order with their payload intact")
{
	struct pair p = { 0 };
	uint64_t sent = 0, acked = 0;
	struct ps_desc d, a;
	int status;
	pid_t pid;

	/* shared memory between two processes, as between two components */
	p.mem = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK(p.mem != MAP_FAILED);
	CHECK_EQ(ps_format(p.mem, SIZE, 16), PS_OK);
	CHECK_EQ(ps_source_init(&p.src, p.mem, SIZE, NULL, NULL), PS_OK);
	CHECK_EQ(ps_sink_init(&p.snk, p.mem, SIZE, NULL, NULL), PS_OK);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0)
		sink_process(&p);
	while (acked < STREAM_PACKETS) {
		if (sent < STREAM_PACKETS && ps_submit_has_room(&p.src)) {
			uint32_t n = 1 + (uint32_t)(sent * 37 % 700);
			if (ps_alloc(&p.src, n, &d) == PS_OK) {
				uint8_t *b = ps_payload(&p.src.e, &d);
				for (uint32_t i = 0; i < n; i++)
					b[i] = (uint8_t)(sent + i);
				d.tag = sent++;
				CHECK_EQ(ps_submit(&p.src, &d), PS_OK);
			}
		}
		if (ps_get_ack(&p.src, &a) == PS_OK) {
			uint8_t *b = ps_payload(&p.src.e, &a);
			CHECK_EQ(a.tag, acked);
			for (uint32_t i = 0; i < a.size; i++)
				CHECK_EQ(b[i], (uint8_t)~(uint8_t)(acked + i));
			CHECK_EQ(ps_free(&p.src, &a), PS_OK);
			acked++;
		}
	}
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK_EQ(p.src.in_flight, 0);
	munmap(p.mem, SIZE);
}

int main(int argc, char **argv)
{
	return test_main(argc, argv);
}
