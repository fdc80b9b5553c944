/*
 * The split virtqueue (virtqueue.h). Portable: the host tests run it
 * against a model of a device.
 *
 * The free descriptor list and the length of each chain live in private
 * memory, so a device that rewrites the descriptor table cannot make us
 * free the wrong descriptors; from the device we read only the used ring,
 * and check each element against what we made available. Barriers: the
 * descriptors and the ring entry are written before the avail index is
 * published (release), the used index is read before its elements
 * (acquire). x86 orders these by itself; the fences keep the compiler
 * from moving the accesses.
 */
#include <virtqueue.h>

static size_t align(size_t v, size_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static size_t avail_off(uint16_t size)
{
	return 16u * size;
}

static size_t used_off(uint16_t size)
{
	/* flags, idx, ring[size], used_event */
	return align(avail_off(size) + 6u + 2u * size, 4);
}

size_t vq_layout_size(uint16_t size)
{
	return used_off(size) + 6u + 8u * size;
}

vq_error_t vq_init(struct virtq *q, uint16_t size, void *mem, uint64_t dev)
{
	uint8_t *m = mem;

	if (!mem || !size || size > VQ_MAX_SIZE || (size & (size - 1)) || (dev & 15) ||
	    ((uintptr_t)mem & 15))
		return VQ_E_INVALID;
	for (size_t i = 0; i < vq_layout_size(size); i++)
		((volatile uint8_t *)m)[i] = 0;
	for (size_t i = 0; i < sizeof(*q); i++)
		((uint8_t *)q)[i] = 0;
	q->size = size;
	q->desc = (volatile struct vq_desc *)m;
	q->avail = (volatile struct vq_avail *)(m + avail_off(size));
	q->used = (volatile struct vq_used *)(m + used_off(size));
	q->desc_addr = dev;
	q->avail_addr = dev + avail_off(size);
	q->used_addr = dev + used_off(size);
	for (uint16_t i = 0; i < size; i++)
		q->next[i] = (uint16_t)(i + 1);
	q->free_head = 0;
	q->num_free = size;
	return VQ_OK;
}

vq_error_t vq_add(struct virtq *q, const struct vq_buf *bufs, unsigned n, void *cookie)
{
	uint16_t head, d, prev = 0;
	bool seen_write = false;
	uint64_t room = 0;

	if (q->dead)
		return VQ_E_DEVICE;
	if (!n || !bufs || n > q->size)
		return VQ_E_INVALID;
	for (unsigned i = 0; i < n; i++) {
		if (!bufs[i].writable && seen_write)
			return VQ_E_INVALID;   /* readable after writable */
		seen_write |= bufs[i].writable;
		if (bufs[i].writable)
			room += bufs[i].len;
	}
	if (n > q->num_free)
		return VQ_E_FULL;
	head = d = q->free_head;
	for (unsigned i = 0; i < n; i++) {
		volatile struct vq_desc *e = &q->desc[d];
		e->addr = bufs[i].addr;
		e->len = bufs[i].len;
		e->flags = (uint16_t)((bufs[i].writable ? VQ_DESC_F_WRITE : 0) |
				      (i + 1 < n ? VQ_DESC_F_NEXT : 0));
		e->next = q->next[d];
		prev = d;
		d = q->next[d];
	}
	(void)prev;
	q->room[head] = room > UINT32_MAX ? UINT32_MAX : (uint32_t)room;
	q->free_head = d;
	q->num_free = (uint16_t)(q->num_free - n);
	q->chain_len[head] = (uint16_t)n;
	q->cookie[head] = cookie;
	q->avail->ring[q->avail_idx & (q->size - 1)] = head;
	q->avail_idx++;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	q->avail->idx = q->avail_idx;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return VQ_OK;
}

bool vq_notify_wanted(struct virtq *q)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return !(q->used->flags & VQ_USED_F_NO_NOTIFY);
}

vq_error_t vq_get_used(struct virtq *q, void **cookie, uint32_t *written)
{
	uint16_t idx, head, n, d;
	struct vq_used_elem e;

	if (q->dead)
		return VQ_E_DEVICE;
	idx = q->used->idx;
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	if (idx == q->last_used)
		return VQ_E_EMPTY;
	/* more used than we made available: impossible */
	if ((uint16_t)(idx - q->last_used) > (uint16_t)(q->avail_idx - q->last_used))
		goto bad;
	e.id = q->used->ring[q->last_used & (q->size - 1)].id;
	e.len = q->used->ring[q->last_used & (q->size - 1)].len;
	if (e.id >= q->size || !q->chain_len[e.id])
		goto bad;
	head = (uint16_t)e.id;
	n = q->chain_len[head];
	/* give the chain back by our own record of it (private links), not by
	 * what the table says now */
	d = head;
	for (uint16_t i = 1; i < n; i++)
		d = q->next[d];
	uint16_t last = d;
	q->next[last] = q->free_head;
	q->free_head = head;
	q->num_free = (uint16_t)(q->num_free + n);
	q->chain_len[head] = 0;
	q->last_used++;
	if (cookie)
		*cookie = q->cookie[head];
	q->cookie[head] = 0;
	if (written)
		*written = e.len > q->room[head] ? q->room[head] : e.len;
	return VQ_OK;
bad:
	q->dead = true;
	return VQ_E_DEVICE;
}

vq_error_t vq_reap(struct virtq *q, vq_reap_fn fn, void *arg)
{
	void *cookie;
	uint32_t written;
	vq_error_t e;

	while ((e = vq_get_used(q, &cookie, &written)) == VQ_OK)
		if (!fn(arg, cookie, written))
			return VQ_OK;
	return e == VQ_E_EMPTY ? VQ_OK : e;
}

const char *vq_error_name(vq_error_t e)
{
	switch (e) {
	case VQ_OK: return "ok";
	case VQ_E_FULL: return "queue full";
	case VQ_E_EMPTY: return "nothing used";
	case VQ_E_DEVICE: return "device wrote an impossible used element (queue dead)";
	case VQ_E_INVALID: return "invalid argument";
	}
	return "unknown virtqueue error";
}
