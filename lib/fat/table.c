/*
 * The file allocation table: 12-, 16- and 32-bit entries (a 12-bit entry
 * may straddle two sectors), read from the active copy and written to
 * every copy (to the active one only when FAT32's mirroring is off);
 * cluster chains walked with loops and links out of range refused;
 * allocation near the chain's end (files stay contiguous where they can),
 * and the free count kept exact as entries change.
 *
 * A chain's length is checked to its end the first time it is used and
 * kept in a cursor with a position in the chain, so that reading a file
 * in order walks each link once.
 */
#include "fat_int.h"

static uint32_t entry_off(const struct fat *fs, uint32_t c)
{
	if (fs->bits == 12)
		return c + c / 2;
	return c * (fs->bits / 8);
}

/* The bytes [off, off + n) of FAT copy k into v (little-endian). */
static fs_err_t read_bytes(struct fat *fs, uint32_t k, uint32_t off, unsigned n, uint32_t *v)
{
	struct bcache_buf *b = NULL;
	uint64_t sec = 0;
	fs_err_t e = FS_OK;

	*v = 0;
	for (unsigned i = 0; i < n; i++) {
		uint64_t s = fs->fat_start + (uint64_t)k * fs->fat_sectors + (off + i) / fs->bps;

		if (!b || s != sec) {
			if (b)
				bcache_put(fs->bc, b);
			b = NULL;
			e = fat_get(fs, s, true, &b);
			if (e)
				return e;
			sec = s;
		}
		*v |= (uint32_t)b->data[(off + i) % fs->bps] << (8 * i);
	}
	if (b)
		bcache_put(fs->bc, b);
	return e;
}

static fs_err_t write_bytes(struct fat *fs, uint32_t k, uint32_t off, unsigned n, uint32_t v)
{
	struct bcache_buf *b = NULL;
	uint64_t sec = 0;
	fs_err_t e;

	for (unsigned i = 0; i < n; i++) {
		uint64_t s = fs->fat_start + (uint64_t)k * fs->fat_sectors + (off + i) / fs->bps;

		if (!b || s != sec) {
			if (b)
				bcache_put(fs->bc, b);
			b = NULL;
			e = fat_get(fs, s, true, &b);
			if (e)
				return e;
			sec = s;
			bcache_dirty(fs->bc, b);
		}
		b->data[(off + i) % fs->bps] = (uint8_t)(v >> (8 * i));
	}
	if (b)
		bcache_put(fs->bc, b);
	return FS_OK;
}

/* The raw entry (FAT12: both nibbles' word) of copy k. */
static fs_err_t raw_entry(struct fat *fs, uint32_t k, uint32_t c, uint32_t *raw)
{
	return read_bytes(fs, k, entry_off(fs, c), fs->bits == 12 ? 2 : fs->bits / 8, raw);
}

static uint32_t value_of(const struct fat *fs, uint32_t c, uint32_t raw)
{
	switch (fs->bits) {
	case 12: return c & 1 ? raw >> 4 : raw & 0xfff;
	case 16: return raw & 0xffff;
	default: return raw & 0x0fffffff;
	}
}

fs_err_t fat_entry(struct fat *fs, uint32_t c, uint32_t *val)
{
	uint32_t raw = 0;
	fs_err_t e;

	if (c > fs->clusters + 1)
		return fat_corrupt(fs, "cluster %u beyond the FAT", c);
	e = raw_entry(fs, fs->active_fat, c, &raw);
	if (e)
		return e;
	*val = value_of(fs, c, raw);
	return FS_OK;
}

fs_err_t fat_set_entry(struct fat *fs, uint32_t c, uint32_t val)
{
	uint32_t old = 0;
	fs_err_t e;

	if (!fat_valid_clus(fs, c))
		return fat_corrupt(fs, "writing cluster %u", c);
	e = fat_entry(fs, c, &old);
	if (e)
		return e;
	for (uint32_t k = 0; k < fs->nfats; k++) {
		uint32_t raw, nraw;

		if (!fs->mirror && k != fs->active_fat)
			continue;
		e = raw_entry(fs, k, c, &raw);
		if (e)
			return e;
		switch (fs->bits) {
		case 12:
			nraw = c & 1 ? (raw & 0x000f) | (val & 0xfff) << 4 : (raw & 0xf000) | (val & 0xfff);
			break;
		case 16:
			nraw = val & 0xffff;
			break;
		default:   /* the top four bits are reserved: kept */
			nraw = (raw & 0xf0000000u) | (val & 0x0fffffff);
			break;
		}
		e = write_bytes(fs, k, entry_off(fs, c), fs->bits == 12 ? 2 : fs->bits / 8, nraw);
		if (e)
			return e;
	}
	if (fs->free_known) {
		if (!old && val && fs->free_count)
			fs->free_count--;
		else if (old && !val && fs->free_count < fs->clusters)
			fs->free_count++;
	}
	return FS_OK;
}

static uint32_t eoc_min(const struct fat *fs)
{
	return fs->bits == 12 ? 0xff8 : fs->bits == 16 ? 0xfff8 : 0x0ffffff8;
}

fs_err_t fat_next(struct fat *fs, uint32_t c, uint32_t *next)
{
	uint32_t v = 0;
	fs_err_t e = fat_entry(fs, c, &v);

	if (e)
		return e;
	if (v >= eoc_min(fs)) {
		*next = 0;
		return FS_OK;
	}
	if (!fat_valid_clus(fs, v))
		return fat_corrupt(fs, "cluster %u links to %s%u", c, v ? "" : "free ", v);
	*next = v;
	return FS_OK;
}

/* ---- chains ---- */

static struct chain_cursor *cursor(struct fat *fs, uint32_t first)
{
	for (unsigned i = 0; i < NCURSORS; i++)
		if (fs->cur[i].first == first) {
			fs->cur[i].age = ++fs->cur_clock;
			return &fs->cur[i];
		}
	return NULL;
}

static struct chain_cursor *new_cursor(struct fat *fs, uint32_t first)
{
	struct chain_cursor *old = &fs->cur[0];

	for (unsigned i = 1; i < NCURSORS; i++)
		if (fs->cur[i].age < old->age)
			old = &fs->cur[i];
	memset(old, 0, sizeof(*old));
	old->first = first;
	old->clus = first;
	old->age = ++fs->cur_clock;
	return old;
}

void fat_forget_chain(struct fat *fs, uint32_t first)
{
	struct chain_cursor *c = cursor(fs, first);

	if (c)
		memset(c, 0, sizeof(*c));
}

fs_err_t fat_chain_len(struct fat *fs, uint32_t first, uint32_t *len, uint32_t *last)
{
	struct chain_cursor *cur = cursor(fs, first);
	uint32_t n = 1, c = first, next, mark = first, power = 1, lam = 0;
	fs_err_t e;

	if (cur) {
		*len = cur->len;
		*last = cur->last;
		return FS_OK;
	}
	if (!fat_valid_clus(fs, first))
		return fat_corrupt(fs, "chain starts at cluster %u", first);
	/* a loop is found within twice its length and the path into it
	 * (Brent: the mark jumps to the walker at each power of two) */
	for (;;) {
		e = fat_next(fs, c, &next);
		if (e)
			return e;
		if (!next)
			break;
		if (next == mark || ++n > fs->clusters)
			return fat_corrupt(fs, "the chain from cluster %u loops", first);
		if (++lam == power) {
			mark = next;
			power *= 2;
			lam = 0;
		}
		c = next;
	}
	cur = new_cursor(fs, first);
	cur->len = n;
	cur->last = c;
	*len = n;
	*last = c;
	return FS_OK;
}

fs_err_t fat_chain_seek(struct fat *fs, uint32_t first, uint32_t idx, uint32_t *clus)
{
	struct chain_cursor *cur;
	uint32_t len, last, i, c;
	fs_err_t e = fat_chain_len(fs, first, &len, &last);

	if (e)
		return e;
	if (idx >= len)
		return fat_corrupt(fs, "the chain from cluster %u ends before cluster %u of it", first, idx);
	if (idx == len - 1) {
		*clus = last;
		return FS_OK;
	}
	cur = cursor(fs, first);
	i = 0;
	c = first;
	if (cur->idx <= idx && fat_valid_clus(fs, cur->clus)) {
		i = cur->idx;
		c = cur->clus;
	}
	while (i < idx) {
		e = fat_next(fs, c, &c);
		if (e)
			return e;
		if (!c)   /* the chain changed under the cursor: a bug, not the disk */
			return fat_corrupt(fs, "the chain from cluster %u shrank", first);
		i++;
	}
	cur->idx = i;
	cur->clus = c;
	*clus = c;
	return FS_OK;
}

/* A free cluster from hint on (wrapping around), 0 if none. */
static fs_err_t find_free(struct fat *fs, uint32_t hint, uint32_t *found)
{
	uint32_t c = fat_valid_clus(fs, hint) ? hint : 2, v;
	fs_err_t e;

	*found = 0;
	for (uint32_t n = 0; n < fs->clusters; n++) {
		e = fat_entry(fs, c, &v);
		if (e)
			return e;
		if (!v) {
			*found = c;
			return FS_OK;
		}
		c = c == fs->clusters + 1 ? 2 : c + 1;
	}
	/* the count said there was space: it was wrong */
	if (fs->free_known)
		fs->free_count = 0;
	return FS_OK;
}

fs_err_t fat_chain_extend(struct fat *fs, uint32_t *first, uint32_t want, uint32_t *got)
{
	uint32_t len = 0, last = 0, c;
	struct chain_cursor *cur;
	fs_err_t e;

	*got = 0;
	if (*first) {
		e = fat_chain_len(fs, *first, &len, &last);
		if (e)
			return e;
	}
	while (*got < want) {
		e = find_free(fs, last ? last + 1 : fs->next_free, &c);
		if (e)
			return e;
		if (!c)
			break;
		e = fat_set_entry(fs, c, fs->eoc);
		if (!e && last)
			e = fat_set_entry(fs, last, c);
		if (e)
			return e;
		if (!*first) {
			*first = c;
			cur = new_cursor(fs, c);
			cur->len = 0;
		}
		last = c;
		len++;
		(*got)++;
		cur = cursor(fs, *first);
		if (!cur) {   /* evicted meanwhile: start it again */
			cur = new_cursor(fs, *first);
		}
		cur->len = len;
		cur->last = last;
		fs->next_free = c == fs->clusters + 1 ? 2 : c + 1;
	}
	return *got || !want ? FS_OK : FS_E_NOSPC;
}

fs_err_t fat_chain_cut(struct fat *fs, uint32_t first, uint32_t keep)
{
	uint32_t len, last, c, next, n = 0;
	struct chain_cursor *cur;
	fs_err_t e = fat_chain_len(fs, first, &len, &last);

	if (e || keep >= len)
		return e;
	if (keep) {
		e = fat_chain_seek(fs, first, keep - 1, &last);
		if (!e)
			e = fat_next(fs, last, &c);
		if (!e)
			e = fat_set_entry(fs, last, fs->eoc);
	} else {
		c = first;
	}
	if (e)
		return e;
	cur = cursor(fs, first);
	if (keep && cur) {
		cur->len = keep;
		cur->last = last;
		if (cur->idx >= keep) {
			cur->idx = 0;
			cur->clus = first;
		}
	} else if (cur) {
		memset(cur, 0, sizeof(*cur));
	}
	while (c) {
		e = fat_next(fs, c, &next);
		if (!e)
			e = fat_set_entry(fs, c, 0);
		if (e)
			return e;
		if (++n > fs->clusters)
			return fat_corrupt(fs, "the chain from cluster %u loops", first);
		c = next;
	}
	return FS_OK;
}

fs_err_t fat_count_free(struct fat *fs)
{
	uint32_t n = 0, v;
	fs_err_t e;

	for (uint32_t c = 2; c <= fs->clusters + 1; c++) {
		e = fat_entry(fs, c, &v);
		if (e)
			return e;
		n += !v;
	}
	fs->free_count = n;
	fs->free_known = true;
	return FS_OK;
}
