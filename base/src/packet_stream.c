/*
 * The packet stream's queue logic and the source's payload allocator
 * (argil/packet_stream.h). Portable: no system calls (signals go through
 * the caller's callback), so the host unit tests run exactly this code.
 *
 * Trusts nothing in the shared dataspace after init: indices of the other
 * side are checked on each read, descriptors are copied before they are
 * checked, the geometry lives in private memory.
 *
 * Ordering: a producer writes the descriptor, then publishes its tail
 * (release); a consumer reads the tail (acquire), then the descriptor. The
 * signal decisions (was the ring empty / full) need the store of our index
 * to be ordered before the load of theirs, hence the sequentially
 * consistent fence between them (the store-load case of Dekker's pattern).
 */
#include <argil/packet_stream.h>

#define PS_ALIGN 64u

static const char *const error_names[] = {
	[PS_OK] = "ok",
	[PS_E_EMPTY] = "empty",
	[PS_E_FULL] = "full",
	[PS_E_NO_SPACE] = "no payload space",
	[PS_E_BAD_DESC] = "descriptor outside the payload area or of no packet",
	[PS_E_CORRUPT] = "ring index moved impossibly (stream dead)",
	[PS_E_LAYOUT] = "header does not fit the dataspace",
	[PS_E_INVALID] = "invalid argument",
};

const char *ps_error_name(ps_error_t e)
{
	if ((unsigned)e < sizeof(error_names) / sizeof(error_names[0]))
		return error_names[e];
	return "unknown packet stream error";
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static bool pow2(uint32_t v)
{
	return v && !(v & (v - 1));
}

static uint64_t rings_end(uint32_t nslots)
{
	return sizeof(struct ps_header) + 2ull * nslots * sizeof(struct ps_desc);
}

size_t ps_layout_size(uint32_t nslots, uint64_t payload)
{
	return (size_t)(align_up(rings_end(nslots), PS_ALIGN) + payload);
}

ps_error_t ps_format(void *mem, size_t size, uint32_t nslots)
{
	struct ps_header *h = mem;
	uint64_t off;

	if (!mem || !pow2(nslots) || nslots < PS_MIN_SLOTS || nslots > PS_MAX_SLOTS)
		return PS_E_INVALID;
	off = align_up(rings_end(nslots), PS_ALIGN);
	if (size <= off)
		return PS_E_LAYOUT;
	for (size_t i = 0; i < sizeof(*h); i++)
		((volatile uint8_t *)h)[i] = 0;
	h->version = PS_VERSION;
	h->nslots = nslots;
	h->payload_offset = off;
	h->payload_size = size - off;
	__atomic_store_n(&h->magic, PS_MAGIC, __ATOMIC_RELEASE);
	return PS_OK;
}

/* ---- rings ---- */

static void ring_init(struct ps_ring *r, struct ps_ring_ctl *ctl, struct ps_desc *slots,
		      uint32_t nslots, bool producer)
{
	r->ctl = ctl;
	r->slots = slots;
	r->nslots = nslots;
	/* start from what the shared indices say (both equal on a fresh
	 * stream); a peer that moves them later is checked against these */
	r->theirs = producer ? __atomic_load_n(&ctl->head, __ATOMIC_ACQUIRE)
			     : __atomic_load_n(&ctl->tail, __ATOMIC_ACQUIRE);
	r->mine = producer ? __atomic_load_n(&ctl->tail, __ATOMIC_ACQUIRE)
			   : __atomic_load_n(&ctl->head, __ATOMIC_ACQUIRE);
}

/* The consumer's head as the producer sees it: it may only move forward,
 * and never past our tail. */
static ps_error_t read_head(struct ps_end *e, struct ps_ring *r)
{
	uint32_t head = __atomic_load_n(&r->ctl->head, __ATOMIC_ACQUIRE);

	if ((uint32_t)(head - r->theirs) > (uint32_t)(r->mine - r->theirs)) {
		e->dead = true;
		return PS_E_CORRUPT;
	}
	r->theirs = head;
	return PS_OK;
}

/* The producer's tail as the consumer sees it: forward only, at most
 * nslots ahead of our head. */
static ps_error_t read_tail(struct ps_end *e, struct ps_ring *r)
{
	uint32_t tail = __atomic_load_n(&r->ctl->tail, __ATOMIC_ACQUIRE);

	if ((uint32_t)(tail - r->mine) > r->nslots ||
	    (uint32_t)(tail - r->mine) < (uint32_t)(r->theirs - r->mine)) {
		e->dead = true;
		return PS_E_CORRUPT;
	}
	r->theirs = tail;
	return PS_OK;
}

static void notify(struct ps_end *e, enum ps_cond c)
{
	if (e->notify)
		e->notify(e->notify_arg, c);
}

static ps_error_t ring_put(struct ps_end *e, struct ps_ring *r, const struct ps_desc *d,
			   enum ps_cond ready)
{
	ps_error_t err;
	uint32_t old = r->mine;

	if (e->dead)
		return PS_E_CORRUPT;
	if (r->mine - r->theirs >= r->nslots) {
		err = read_head(e, r);
		if (err)
			return err;
		if (r->mine - r->theirs >= r->nslots)
			return PS_E_FULL;
	}
	r->slots[r->mine & (r->nslots - 1)] = *d;
	r->mine++;
	__atomic_store_n(&r->ctl->tail, r->mine, __ATOMIC_RELEASE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	err = read_head(e, r);
	if (err)
		return err;
	/* the consumer had taken everything before ours: it may be asleep */
	if (r->theirs == old)
		notify(e, ready);
	return PS_OK;
}

static ps_error_t ring_get(struct ps_end *e, struct ps_ring *r, struct ps_desc *d,
			   enum ps_cond slot_free)
{
	ps_error_t err;
	uint32_t tail;

	if (e->dead)
		return PS_E_CORRUPT;
	if (r->theirs == r->mine) {
		err = read_tail(e, r);
		if (err)
			return err;
		if (r->theirs == r->mine)
			return PS_E_EMPTY;
	}
	/* copied out before anyone looks at it: the producer may rewrite the
	 * slot at any time */
	*d = *(volatile struct ps_desc *)&r->slots[r->mine & (r->nslots - 1)];
	r->mine++;
	__atomic_store_n(&r->ctl->head, r->mine, __ATOMIC_RELEASE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	tail = __atomic_load_n(&r->ctl->tail, __ATOMIC_ACQUIRE);
	/* the ring was full before we took this one: the producer may wait */
	if ((uint32_t)(tail - (r->mine - 1)) >= r->nslots)
		notify(e, slot_free);
	return PS_OK;
}

static bool ring_has_room(struct ps_end *e, struct ps_ring *r)
{
	if (e->dead)
		return false;
	if (r->mine - r->theirs < r->nslots)
		return true;
	return read_head(e, r) == PS_OK && r->mine - r->theirs < r->nslots;
}

static bool ring_available(struct ps_end *e, struct ps_ring *r)
{
	if (e->dead)
		return false;
	if (r->theirs != r->mine)
		return true;
	return read_tail(e, r) == PS_OK && r->theirs != r->mine;
}

/* ---- attaching ---- */

static ps_error_t end_init(struct ps_end *e, void *mem, size_t size, ps_notify_fn fn, void *arg,
			   bool source)
{
	struct ps_header *h = mem;
	uint64_t nslots, off, psize;
	struct ps_desc *rings;

	if (!mem || ((uintptr_t)mem & (PS_ALIGN - 1)))
		return PS_E_INVALID;
	for (size_t i = 0; i < sizeof(*e); i++)
		((uint8_t *)e)[i] = 0;
	if (size < sizeof(*h))
		return PS_E_LAYOUT;
	/* read each field once into private memory, then check */
	if (__atomic_load_n(&h->magic, __ATOMIC_ACQUIRE) != PS_MAGIC ||
	    *(volatile uint32_t *)&h->version != PS_VERSION)
		return PS_E_LAYOUT;
	nslots = *(volatile uint32_t *)&h->nslots;
	off = *(volatile uint64_t *)&h->payload_offset;
	psize = *(volatile uint64_t *)&h->payload_size;
	if (!pow2((uint32_t)nslots) || nslots < PS_MIN_SLOTS || nslots > PS_MAX_SLOTS)
		return PS_E_LAYOUT;
	if (off < rings_end((uint32_t)nslots) || (off & (PS_ALIGN - 1)) || off > size ||
	    psize == 0 || psize > size - off)
		return PS_E_LAYOUT;
	rings = (struct ps_desc *)(h + 1);
	e->base = mem;
	e->payload = (uint8_t *)mem + off;
	e->payload_size = psize;
	e->nslots = (uint32_t)nslots;
	ring_init(&e->submit, &h->submit, rings, e->nslots, source);
	ring_init(&e->ack, &h->ack, rings + nslots, e->nslots, !source);
	/* a stream handed over with indices that disagree is not usable */
	if (e->submit.mine != e->submit.theirs || e->ack.mine != e->ack.theirs)
		return PS_E_LAYOUT;
	e->notify = fn;
	e->notify_arg = arg;
	return PS_OK;
}

ps_error_t ps_source_init(struct ps_source *s, void *mem, size_t size, ps_notify_fn fn, void *arg)
{
	ps_error_t err;
	uint64_t bs = PS_MIN_BLOCK;

	for (size_t i = 0; i < sizeof(*s); i++)
		((uint8_t *)s)[i] = 0;
	err = end_init(&s->e, mem, size, fn, arg, true);
	if (err)
		return err;
	while (s->e.payload_size / bs > PS_MAX_BLOCKS)
		bs <<= 1;
	s->block_size = (uint32_t)bs;
	s->nblocks = (uint32_t)(s->e.payload_size / bs);
	if (!s->nblocks)
		return PS_E_LAYOUT;
	return PS_OK;
}

ps_error_t ps_sink_init(struct ps_sink *k, void *mem, size_t size, ps_notify_fn fn, void *arg)
{
	return end_init(&k->e, mem, size, fn, arg, false);
}

/* ---- the source's allocator: runs of blocks in private bitmaps ---- */

static bool bit(const uint64_t *m, uint32_t i)
{
	return (m[i / 64] >> (i % 64)) & 1;
}

static void set_bit(uint64_t *m, uint32_t i, bool v)
{
	if (v)
		m[i / 64] |= 1ull << (i % 64);
	else
		m[i / 64] &= ~(1ull << (i % 64));
}

/* Bits [from, from + n) to v, a word at a time (a packet of a megabyte is
 * a thousand blocks: bit by bit would cost more than the request). */
static void set_range(uint64_t *m, uint32_t from, uint32_t n, bool v)
{
	while (n) {
		uint32_t off = from % 64, k = 64 - off < n ? 64 - off : n;
		uint64_t mask = (k == 64 ? ~0ull : (1ull << k) - 1) << off;
		if (v)
			m[from / 64] |= mask;
		else
			m[from / 64] &= ~mask;
		from += k;
		n -= k;
	}
}

/* The first index in [from, end) whose bit is v; end if none. */
static uint32_t find_bit(const uint64_t *m, uint32_t from, uint32_t end, bool v)
{
	while (from < end) {
		uint64_t w = v ? m[from / 64] : ~m[from / 64];
		w &= ~0ull << (from % 64);
		if (w) {
			uint32_t i = (from & ~63u) + (uint32_t)__builtin_ctzll(w);
			return i < end ? i : end;
		}
		from = (from & ~63u) + 64;
	}
	return end;
}

/* The first run of need free blocks that starts in [from, end). */
static bool find_run(struct ps_source *s, uint32_t from, uint32_t end, uint32_t need,
		     uint32_t *start)
{
	uint32_t i = from;

	while (i < end) {
		uint32_t e, stop;
		i = find_bit(s->used, i, end, false);
		if (i == end)
			break;
		/* a used block within need of i, not the end of the free run:
		 * scanning a mostly free payload area to its end cost more than
		 * the rest of a frame's way through a packet stream */
		stop = s->nblocks - i > need ? i + need : s->nblocks;
		e = find_bit(s->used, i, stop, true);
		if (e - i >= need) {
			*start = i;
			return true;
		}
		i = e;
	}
	return false;
}

/* First-fit from the hint, then from the start. */
ps_error_t ps_alloc(struct ps_source *s, uint32_t size, struct ps_desc *d)
{
	uint32_t need, start;

	if (!size || !d)
		return PS_E_INVALID;
	if (s->e.dead)
		return PS_E_CORRUPT;
	need = (uint32_t)(((uint64_t)size + s->block_size - 1) / s->block_size);
	if (need > s->nblocks)
		return PS_E_NO_SPACE;
	if (!find_run(s, s->hint, s->nblocks, need, &start) &&
	    !find_run(s, 0, s->hint, need, &start))
		return PS_E_NO_SPACE;
	set_range(s->used, start, need, true);
	set_range(s->last, start, need, false);
	set_bit(s->last, start + need - 1, true);
	s->hint = start + need == s->nblocks ? 0 : start + need;
	s->in_flight++;
	*d = (struct ps_desc){ .offset = (uint64_t)start * s->block_size, .size = size };
	return PS_OK;
}

/* The first block of an allocated packet at offset, and its length in
 * blocks; false if offset is no packet's start. */
static bool packet_at(struct ps_source *s, uint64_t offset, uint32_t *first, uint32_t *len)
{
	uint32_t b, end;

	if (offset % s->block_size || offset / s->block_size >= s->nblocks)
		return false;
	b = (uint32_t)(offset / s->block_size);
	if (!bit(s->used, b) || (b && bit(s->used, b - 1) && !bit(s->last, b - 1)))
		return false;
	end = find_bit(s->last, b, s->nblocks, true);
	*first = b;
	*len = end == s->nblocks ? s->nblocks - b : end - b + 1;
	return true;
}

ps_error_t ps_free(struct ps_source *s, const struct ps_desc *d)
{
	uint32_t b, n;

	if (!d || !packet_at(s, d->offset, &b, &n))
		return PS_E_BAD_DESC;
	/* the flight mark is on the first block of a submitted packet */
	if (bit(s->flight, b))
		return PS_E_INVALID;
	set_range(s->used, b, n, false);
	set_range(s->last, b, n, false);
	s->in_flight--;
	return PS_OK;
}

void *ps_payload(struct ps_end *e, const struct ps_desc *d)
{
	if (!d || d->offset > e->payload_size || d->size > e->payload_size - d->offset)
		return 0;
	return e->payload + d->offset;
}

ps_error_t ps_submit(struct ps_source *s, const struct ps_desc *d)
{
	uint32_t b, n;
	ps_error_t err;

	/* only packets we allocated, each once, within their blocks */
	if (!d || !packet_at(s, d->offset, &b, &n) || bit(s->flight, b) ||
	    d->size > (uint64_t)n * s->block_size)
		return PS_E_INVALID;
	err = ring_put(&s->e, &s->e.submit, d, PS_SUBMIT_READY);
	if (err == PS_OK)
		set_bit(s->flight, b, true);
	return err;
}

ps_error_t ps_get_ack(struct ps_source *s, struct ps_desc *d)
{
	uint32_t b, n;
	ps_error_t err;

	if (!d)
		return PS_E_INVALID;
	err = ring_get(&s->e, &s->e.ack, d, PS_ACK_SLOT_FREE);
	if (err)
		return err;
	if (!packet_at(s, d->offset, &b, &n) || !bit(s->flight, b) ||
	    d->size > (uint64_t)n * s->block_size)
		return PS_E_BAD_DESC;
	set_bit(s->flight, b, false);
	return PS_OK;
}

bool ps_submit_has_room(struct ps_source *s)
{
	return ring_has_room(&s->e, &s->e.submit);
}

bool ps_ack_available(struct ps_source *s)
{
	return ring_available(&s->e, &s->e.ack);
}

/* ---- sink ---- */

ps_error_t ps_get_packet(struct ps_sink *k, struct ps_desc *d)
{
	ps_error_t err;

	if (!d)
		return PS_E_INVALID;
	err = ring_get(&k->e, &k->e.submit, d, PS_SUBMIT_SLOT_FREE);
	if (err)
		return err;
	if (!ps_payload(&k->e, d))
		return PS_E_BAD_DESC;
	return PS_OK;
}

ps_error_t ps_ack(struct ps_sink *k, const struct ps_desc *d)
{
	if (!d)
		return PS_E_INVALID;
	return ring_put(&k->e, &k->e.ack, d, PS_ACK_READY);
}

ps_error_t ps_reject(struct ps_sink *k, const struct ps_desc *d)
{
	struct ps_desc r;

	if (!d)
		return PS_E_INVALID;
	r = *d;
	r.size = 0;
	r.status = PS_STATUS_BAD_DESC;
	return ring_put(&k->e, &k->e.ack, &r, PS_ACK_READY);
}

bool ps_packet_available(struct ps_sink *k)
{
	return ring_available(&k->e, &k->e.submit);
}

bool ps_ack_has_room(struct ps_sink *k)
{
	return ring_has_room(&k->e, &k->e.ack);
}
