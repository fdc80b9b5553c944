/*
 * Dataspaces: RAM (frames made for and paid by an account), ROM (frames of
 * a boot module, shared) and I/O memory (device frames of an IO_MEM
 * session). A dataspace is an RPC object; destroying it detaches it from
 * every region map first.
 */
#include "core.h"
#include <argil/pd.h>

#define CHUNK_MAX_K 10      /* at most 1024 frames (4 MiB) per block */

static rpc_status_t ds_alloc(struct account *a, word_t pages, struct ds **out)
{
	rpc_status_t st;
	struct ds *d = acct_alloc(a, sizeof(*d), &st);

	*out = 0;
	if (!d)
		return st;
	d->acct = a;
	d->pages = pages;
	st = acct_charge(a, 0, 1);
	if (st != RPC_OK) {
		acct_free(a, d, sizeof(*d));
		return st;
	}
	st = obj_register(&d->obj, K_DS);
	if (st != RPC_OK) {
		acct_release(a, 0, 1);
		acct_free(a, d, sizeof(*d));
		return st;
	}
	*out = d;
	return RPC_OK;
}

static void ds_release(struct ds *d)
{
	struct account *a = d->acct;

	obj_unregister(&d->obj);
	acct_release(a, 0, 1);
	acct_free(a, d, sizeof(*d));
}

/* The block size (log2 pages) of the next chunk of a dataspace with left
 * pages still to make: the largest power of two in left, at most
 * CHUNK_MAX_K (a contiguous dataspace is a single chunk instead). */
static word_t chunk_k(word_t left)
{
	word_t k = 63 - (word_t)__builtin_clzll(left);

	return k > CHUNK_MAX_K ? CHUNK_MAX_K : k;
}

/* The chunks a RAM dataspace of pages is made of. */
static word_t chunk_count(word_t pages, bool contiguous)
{
	word_t n = 0;

	if (contiguous)
		return 1;
	for (word_t left = pages; left; left -= 1ul << chunk_k(left))
		n++;
	return n;
}

rpc_status_t ds_new_ram(struct account *a, word_t pages, word_t flags, struct ds **out)
{
	word_t limit = flags & RAM_BELOW_4G ? 1ul << 32 : ~0ul;
	struct ds *d;
	rpc_status_t st;
	word_t nchunks;

	if (pages == 0 || (flags & ~(word_t)RAM_FLAGS))
		return RPC_E_INVALID_ARGUMENT;
	if (flags & RAM_CONTIGUOUS) {
		word_t k = 63 - (word_t)__builtin_clzll(pages);
		if (pages & (pages - 1))
			k++;
		pages = 1ul << k;     /* one buddy block */
	}
	nchunks = chunk_count(pages, flags & RAM_CONTIGUOUS);
	/* beyond the quota: refused before anything is made (on a large
	 * machine, making and undoing gigabytes of frames first takes long) */
	if (!a->unlimited && pages > acct_ram_avail(a) / PAGE)
		return RPC_E_NO_RAM_QUOTA;
	st = ds_alloc(a, pages, &d);
	if (st != RPC_OK)
		return st;
	d->type = DS_T_RAM;
	d->flags = DS_WRITABLE | DS_RAM | (flags & RAM_CONTIGUOUS ? DS_CONTIGUOUS : 0);
	d->frames_owned = true;
	d->frames = acct_alloc(a, pages * sizeof(cptr_t), &st);
	if (d->frames)
		d->chunks = acct_alloc(a, nchunks * sizeof(struct ds_chunk), &st);
	if (!d->frames || !d->chunks)
		goto fail;
	word_t page = 0;
	for (word_t left = pages; left;) {
		word_t k = flags & RAM_CONTIGUOUS ? 63 - (word_t)__builtin_clzll(pages) : chunk_k(left);
		struct ds_chunk *c = &d->chunks[d->nchunks];
		st = kobj_frames(a, k, limit, &c->blk, &c->first);
		if (st != RPC_OK)
			goto fail;
		c->k = k;
		d->nchunks++;
		for (word_t i = 0; i < (1ul << k); i++)
			d->frames[page++] = c->first + i;
		left -= 1ul << k;
	}
	*out = d;
	return RPC_OK;
fail:
	ds_destroy(d);
	return st;
}

rpc_status_t ds_new_shared(struct account *a, enum ds_type type, word_t pages, cptr_t *frames,
			   word_t flags, word_t phys, struct ds **out)
{
	rpc_status_t st = ds_alloc(a, pages, out);

	if (st != RPC_OK)
		return st;
	(*out)->type = type;
	(*out)->frames = frames;
	(*out)->flags = flags;
	(*out)->phys = phys;
	(*out)->frames_owned = false;
	return RPC_OK;
}

void ds_detach_all(struct ds *d)
{
	while (d->attachments)
		region_destroy(d->attachments);
}

void ds_destroy(struct ds *d)
{
	struct account *a = d->acct;

	ds_detach_all(d);
	if (d->owner) {
		struct ds **pp = &d->owner->dataspaces;
		while (*pp && *pp != d)
			pp = &(*pp)->next_of_owner;
		if (*pp)
			*pp = d->next_of_owner;
		d->owner = 0;
	}
	if (d->frames_owned) {
		for (word_t i = 0; i < d->nchunks; i++)
			kobj_free_frames(a, d->chunks[i].blk, d->chunks[i].first, d->chunks[i].k);
		acct_free(a, d->chunks, chunk_count(d->pages, d->flags & DS_CONTIGUOUS) * sizeof(struct ds_chunk));
		acct_free(a, d->frames, d->pages * sizeof(cptr_t));
	}
	ds_release(d);
}

static rpc_status_t do_info(struct ds_info_call *c)
{
	struct ds *d = c->obj;

	c->out.size = d->pages * PAGE;
	c->out.flags = d->flags;
	c->out.phys = d->type == DS_T_IOMEM ? d->phys : 0;   /* RAM's only through DMA_PHYS */
	return RPC_OK;
}

RPC_SERVER(ds, DS_RPC)

static const struct ds_server ds_ops = { .ds_info = do_info };

void ds_serve(struct ds *d, struct request *r)
{
	ds_dispatch(&ds_ops, d, r->msg, r->reply, RPC_E_ILLEGAL_OPERATION);
}
