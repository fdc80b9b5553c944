/*
 * Directories: the fixed root of FAT12/16 and cluster-chain directories
 * (at most 65536 entries, as the specification allows), walked entry by
 * entry through the block cache; long names gathered from their entries
 * (ordinals in sequence, each entry's checksum matching the short entry
 * that follows; anything else is an orphan and ignored, as Windows does);
 * names added (long entries, then the short one, in one free run, the
 * directory grown by a zeroed cluster when it has none) and removed
 * (every entry of the name marked free).
 *
 * An entry that points at a cluster out of range, a directory without a
 * cluster, a chain that loops or a ".." missing is FS_E_CORRUPT.
 */
#include "fat_int.h"

struct diter {
	struct fat *fs;
	uint32_t first;          /* 0: the fixed root */
	uint32_t ci, clus;       /* the current cluster (clus 0: none yet) */
	struct bcache_buf *b;
};

static void it_init(struct diter *it, struct fat *fs, uint32_t first)
{
	memset(it, 0, sizeof(*it));
	it->fs = fs;
	it->first = first;
}

static void it_done(struct diter *it)
{
	if (it->b)
		bcache_put(it->fs->bc, it->b);
	it->b = NULL;
}

/* Entry idx: *de points into the cache (valid until the next call);
 * FS_E_NOENT past the directory's end. */
static fs_err_t it_at(struct diter *it, uint32_t idx, uint8_t **de, uint64_t *pos)
{
	struct fat *fs = it->fs;
	uint64_t byte = (uint64_t)idx * DE_SIZE_OF, sec;
	fs_err_t e;

	if (!it->first) {
		if (idx >= fs->root_entries)
			return FS_E_NOENT;
		sec = fs->root_start + byte / fs->bps;
	} else {
		uint32_t ci = (uint32_t)(byte / fs->cb), len, last;

		if (idx >= DIR_MAX_ENTRIES)
			return FS_E_NOENT;
		if (!it->clus || ci != it->ci) {
			e = fat_chain_len(fs, it->first, &len, &last);
			if (e)
				return e;
			if ((uint64_t)len * fs->cb > (uint64_t)DIR_MAX_ENTRIES * DE_SIZE_OF)
				return fat_corrupt(fs, "directory at cluster %u of %u clusters",
						   it->first, len);
			if (ci >= len)
				return FS_E_NOENT;
			e = fat_chain_seek(fs, it->first, ci, &it->clus);
			if (e)
				return e;
			it->ci = ci;
		}
		sec = fat_clus_sector(fs, it->clus) + byte % fs->cb / fs->bps;
	}
	if (!it->b || it->b->block != sec) {
		it_done(it);
		e = fat_get(fs, sec, true, &it->b);
		if (e)
			return e;
	}
	*de = it->b->data + byte % fs->bps;
	*pos = sec * fs->bps + byte % fs->bps;
	return FS_OK;
}

static void it_dirty(struct diter *it)
{
	bcache_dirty(it->fs->bc, it->b);
}

/* The first cluster of a directory node's entries (0: the fixed root). */
static uint32_t dir_first(const struct node *d)
{
	return d->first;
}

/* ---- long names ---- */

struct lfn_acc {
	uint16_t u[LFN_MAX_ENTRIES * LFN_CHARS];
	unsigned next;           /* the ordinal expected next; 0: none */
	unsigned count;
	bool complete;
	uint8_t sum;
	uint32_t start;
};

static void lfn_take(struct lfn_acc *a, const uint8_t *de, uint32_t idx)
{
	unsigned ord = de[LE_ORD] & 0x1f;
	uint16_t *u;

	if (de[LE_ORD] & LE_LAST) {
		a->complete = false;
		a->next = 0;
		if (!ord || ord > LFN_MAX_ENTRIES || (de[LE_ORD] & 0x80))
			return;
		a->count = ord;
		a->next = ord;
		a->sum = de[LE_CHKSUM];
		a->start = idx;
	} else if (!a->next || ord != a->next || de[LE_CHKSUM] != a->sum) {
		a->next = 0;
		a->complete = false;
		return;
	}
	u = a->u + (ord - 1) * LFN_CHARS;
	for (int i = 0; i < 5; i++)
		u[i] = get16(de + LE_NAME1 + 2 * i);
	for (int i = 0; i < 6; i++)
		u[5 + i] = get16(de + LE_NAME2 + 2 * i);
	for (int i = 0; i < 2; i++)
		u[11 + i] = get16(de + LE_NAME3 + 2 * i);
	a->next--;
	a->complete = !a->next;
}

/* The long name that ends at short entry de, as UTF-8; false if none. */
static bool lfn_name(struct lfn_acc *a, const uint8_t *de, char *out, size_t *len)
{
	size_t n = 0;

	if (!a->complete || a->sum != fat_lfn_sum(de))
		return false;
	while (n < a->count * LFN_CHARS && a->u[n])
		n++;
	if (n > LFN_MAX_UNITS)
		return false;
	return fat_utf16_to_name(a->u, n, out, len);
}

static bool is_dot(const uint8_t *de)
{
	return !memcmp(de, ".          ", 11) || !memcmp(de, "..         ", 11);
}

/* Classify an entry: 0 the end, 1 free, 2 long, 3 volume label or dot,
 * 4 a file or directory. */
static int kind(const uint8_t *de)
{
	if (de[0] == DIR_END)
		return 0;
	if (de[0] == DIR_FREE)
		return 1;
	if ((de[DE_ATTR] & FAT_ATTR_MASK) == FAT_ATTR_LFN)
		return 2;
	if ((de[DE_ATTR] & FAT_ATTR_VOLUME) || is_dot(de))
		return 3;
	return 4;
}

/* ---- nodes ---- */

fs_err_t fat_node(struct fat *fs, uint64_t ino, struct node *n)
{
	struct bcache_buf *b;
	uint64_t sec;
	fs_err_t e;

	memset(n, 0, sizeof(*n));
	n->ino = ino;
	if (ino == INO_ROOT) {
		n->dir = true;
		n->first = fs->bits == 32 ? fs->root_cluster : 0;
		n->de[DE_ATTR] = FAT_ATTR_DIR;
		return FS_OK;
	}
	e = fat_pos_of_ino(fs, ino, &n->pos);
	if (e)
		return e;
	sec = n->pos / fs->bps;
	if (sec < fs->root_start || sec >= fs->total_sectors ||
	    (fs->bits == 32 && sec < fs->data_start))
		return FS_E_STALE;
	e = fat_get(fs, sec, true, &b);
	if (e)
		return e;
	memcpy(n->de, b->data + n->pos % fs->bps, DE_SIZE_OF);
	bcache_put(fs->bc, b);
	if (kind(n->de) != 4)
		return FS_E_STALE;
	n->dir = n->de[DE_ATTR] & FAT_ATTR_DIR;
	n->first = de_first(fs, n->de);
	n->size = n->dir ? 0 : get32(n->de + DE_SIZE);
	if (n->first && !fat_valid_clus(fs, n->first))
		return fat_corrupt(fs, "entry at byte %llu starts at cluster %u",
				   (unsigned long long)n->pos, n->first);
	if (n->dir && !n->first)
		return fat_corrupt(fs, "directory at byte %llu without a cluster",
				   (unsigned long long)n->pos);
	if (!n->first && n->size)
		return fat_corrupt(fs, "file at byte %llu of %u bytes without a cluster",
				   (unsigned long long)n->pos, n->size);
	return FS_OK;
}

fs_err_t fat_node_dir(struct fat *fs, uint64_t ino, struct node *n)
{
	fs_err_t e = fat_node(fs, ino, n);

	if (!e && !n->dir)
		return FS_E_NOTDIR;
	return e;
}

fs_err_t fat_node_write(struct fat *fs, struct node *n)
{
	struct bcache_buf *b;
	fs_err_t e;

	if (n->ino == INO_ROOT)
		return FS_OK;
	de_set_first(fs, n->de, n->first);
	put32(n->de + DE_SIZE, n->dir ? 0 : n->size);
	e = fat_get(fs, n->pos / fs->bps, true, &b);
	if (e)
		return e;
	memcpy(b->data + n->pos % fs->bps, n->de, DE_SIZE_OF);
	bcache_dirty(fs->bc, b);
	bcache_put(fs->bc, b);
	return FS_OK;
}

/* ---- lookup and listing ---- */

fs_err_t fat_dir_find(struct fat *fs, const struct node *dir, const char *name, size_t len,
		      struct dir_slot *s)
{
	struct lfn_acc *a = malloc(sizeof(*a));
	char buf[FS_NAME_MAX + 1];
	struct diter it;
	uint8_t *de;
	uint64_t pos;
	fs_err_t e;
	size_t n;

	if (!a)
		return FS_E_NOMEM;
	a->next = 0;
	a->complete = false;
	it_init(&it, fs, dir_first(dir));
	for (uint32_t idx = 0;; idx++) {
		e = it_at(&it, idx, &de, &pos);
		if (e)
			break;
		switch (kind(de)) {
		case 0:
			e = FS_E_NOENT;
			break;
		case 2:
			lfn_take(a, de, idx);
			continue;
		case 4:
			if ((lfn_name(a, de, buf, &n) && fat_name_eq(buf, n, name, len)) ||
			    (n = fat_sfn_to_name(de, buf), fat_name_eq(buf, n, name, len))) {
				s->pos = pos;
				s->idx = idx;
				s->first_idx = a->complete && a->sum == fat_lfn_sum(de) ? a->start : idx;
				memcpy(s->de, de, DE_SIZE_OF);
				goto out;
			}
			/* fall through */
		default:
			a->next = 0;
			a->complete = false;
			continue;
		}
		break;
	}
out:
	it_done(&it);
	free(a);
	return e;
}

fs_err_t fat_dir_next(struct fat *fs, const struct node *dir, uint64_t *cookie,
		      struct fs_dirent *ent, bool *end)
{
	struct lfn_acc *a;
	struct diter it;
	uint8_t *de;
	uint64_t pos;
	fs_err_t e = FS_OK;
	size_t n;

	*end = false;
	if (*cookie >= DIR_MAX_ENTRIES) {
		*end = true;
		return FS_OK;
	}
	a = malloc(sizeof(*a));
	if (!a)
		return FS_E_NOMEM;
	a->next = 0;
	a->complete = false;
	it_init(&it, fs, dir_first(dir));
	for (uint32_t idx = (uint32_t)*cookie;; idx++) {
		e = it_at(&it, idx, &de, &pos);
		if (e == FS_E_NOENT || (!e && kind(de) == 0)) {
			*end = true;
			e = FS_OK;
			break;
		}
		if (e)
			break;
		if (kind(de) == 2) {
			lfn_take(a, de, idx);
			continue;
		}
		if (kind(de) == 4) {
			if (!lfn_name(a, de, ent->name, &n))
				n = fat_sfn_to_name(de, ent->name);
			ent->len = (uint32_t)n;
			ent->type = de[DE_ATTR] & FAT_ATTR_DIR ? FS_IFDIR : FS_IFREG;
			e = fat_ino_of_pos(fs, pos, &ent->ino);
			*cookie = idx + 1;
			break;
		}
		a->next = 0;
		a->complete = false;
	}
	it_done(&it);
	free(a);
	return e;
}

fs_err_t fat_dir_empty(struct fat *fs, const struct node *dir)
{
	struct diter it;
	uint8_t *de;
	uint64_t pos;
	fs_err_t e;

	it_init(&it, fs, dir_first(dir));
	for (uint32_t idx = 0;; idx++) {
		e = it_at(&it, idx, &de, &pos);
		if (e == FS_E_NOENT || (!e && kind(de) == 0)) {
			e = FS_OK;
			break;
		}
		if (e)
			break;
		if (kind(de) == 4) {
			e = FS_E_NOTEMPTY;
			break;
		}
	}
	it_done(&it);
	return e;
}

/* ---- adding and removing ---- */

/* One pass over the directory for a new name of need entries: the first
 * free run long enough (*run; past the last entry when there is none), and
 * which short names are taken: *basis_used when the basis itself is, and
 * the ~N tails in used (a bitmap of 65536). */
static fs_err_t scan_for_add(struct fat *fs, uint32_t first, uint32_t need, const uint8_t basis[11],
			     bool *basis_used, uint8_t *used, uint32_t *run)
{
	uint32_t start = 0, len = 0, idx;
	bool found = false;
	struct diter it;
	uint8_t *de, tail[11];
	uint64_t pos;
	fs_err_t e;

	*basis_used = false;
	it_init(&it, fs, first);
	for (idx = 0;; idx++) {
		e = it_at(&it, idx, &de, &pos);
		if (e == FS_E_NOENT) {
			e = FS_OK;
			break;
		}
		if (e)
			break;
		int k = kind(de);
		if (k == 0)
			break;
		if (k == 1) {
			if (!len++)
				start = idx;
			if (len >= need && !found) {
				found = true;
				*run = start;
			}
			continue;
		}
		len = 0;
		if (k == 2)
			continue;
		if (!memcmp(de, basis, 11))
			*basis_used = true;
		/* a tail: ~digits at the base's end */
		int bl = 8, t;
		uint32_t num = 0;
		while (bl > 0 && de[bl - 1] == ' ')
			bl--;
		t = bl - 1;
		while (t > 0 && de[t] >= '0' && de[t] <= '9')
			t--;
		if (t > 0 && t < bl - 1 && bl - 1 - t <= 5 && de[t] == '~') {
			for (int i = t + 1; i < bl; i++)
				num = num * 10 + (uint32_t)(de[i] - '0');
			if (num && num < 65536) {
				fat_sfn_tail(basis, num, tail);
				if (!memcmp(tail, de, 11))
					used[num / 8] |= (uint8_t)(1u << (num % 8));
			}
		}
	}
	it_done(&it);
	if (!e && !found)
		*run = len ? start : idx;
	return e;
}

/* Zero the clusters of a directory's chain from cluster index ci on. */
static fs_err_t zero_clusters(struct fat *fs, uint32_t first, uint32_t ci, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		uint32_t c;
		fs_err_t e = fat_chain_seek(fs, first, ci + i, &c);

		if (e)
			return e;
		for (uint32_t s = 0; s < fs->spc; s++) {
			struct bcache_buf *b;

			e = fat_get(fs, fat_clus_sector(fs, c) + s, false, &b);
			if (e)
				return e;
			memset(b->data, 0, fs->bps);
			bcache_dirty(fs->bc, b);
			bcache_put(fs->bc, b);
		}
	}
	return FS_OK;
}

static void lfn_fill(uint8_t *de, const uint16_t *u, size_t n, unsigned ord, bool last, uint8_t sum)
{
	static const uint8_t at[LFN_CHARS] = { 1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30 };

	memset(de, 0, DE_SIZE_OF);
	de[LE_ORD] = (uint8_t)(ord | (last ? LE_LAST : 0));
	de[LE_ATTR] = FAT_ATTR_LFN;
	de[LE_CHKSUM] = sum;
	for (unsigned i = 0; i < LFN_CHARS; i++) {
		size_t k = (ord - 1) * LFN_CHARS + i;
		uint16_t c = k < n ? u[k] : k == n ? 0 : 0xffff;

		put16(de + at[i], c);
	}
}

fs_err_t fat_dir_add(struct fat *fs, struct node *dir, const char *name, size_t len,
		     const uint8_t *tmpl, struct dir_slot *s)
{
	uint16_t u[LFN_MAX_UNITS + 1];
	uint8_t sfn[11], ntres = 0, *used = NULL, *de;
	uint32_t nlfn = 0, run = 0, need, clen, last;
	bool exact, lossy = false, basis_used;
	struct diter it;
	uint64_t pos;
	size_t n;
	fs_err_t e = fat_name_to_utf16(name, len, u, &n);

	if (e)
		return e;
	exact = fat_sfn_exact(u, n, sfn, &ntres);
	if (!exact) {
		fat_sfn_basis(u, n, sfn, &lossy);
		nlfn = (uint32_t)((n + LFN_CHARS - 1) / LFN_CHARS);
	}
	need = nlfn + 1;
	used = calloc(65536 / 8, 1);
	if (!used)
		return FS_E_NOMEM;
	e = scan_for_add(fs, dir_first(dir), need, sfn, &basis_used, used, &run);
	if (e)
		goto out;
	if (!exact && (lossy || basis_used)) {
		uint32_t num = 1;

		while (num < 65536 && (used[num / 8] & (1u << (num % 8))))
			num++;
		e = FS_E_NOSPC;
		if (num == 65536)
			goto out;
		uint8_t basis[11];
		memcpy(basis, sfn, 11);
		fat_sfn_tail(basis, num, sfn);
	} else if (exact && basis_used) {
		e = FS_E_EXIST;   /* the caller looked the name up: the disk is odd */
		goto out;
	}
	/* room: the fixed root cannot grow; a chain grows by zeroed clusters */
	e = FS_E_NOSPC;
	if (run + need > (dir->first ? DIR_MAX_ENTRIES : fs->root_entries))
		goto out;
	if (dir->first) {
		uint64_t have;

		e = fat_chain_len(fs, dir->first, &clen, &last);
		if (e)
			goto out;
		have = (uint64_t)clen * fs->cb / DE_SIZE_OF;
		if (run + need > have) {
			uint32_t more = (uint32_t)(((run + need - have) * DE_SIZE_OF + fs->cb - 1) / fs->cb),
				 got;
			uint32_t first = dir->first;

			e = fat_chain_extend(fs, &first, more, &got);
			if (!e && got < more)
				e = FS_E_NOSPC;
			if (!e)
				e = zero_clusters(fs, first, clen, got);
			if (e)
				goto out;
		}
	}
	/* write: long entries (the last part first), then the short one */
	it_init(&it, fs, dir_first(dir));
	uint8_t sum = fat_lfn_sum(sfn);
	for (uint32_t i = 0; i < need; i++) {
		e = it_at(&it, run + i, &de, &pos);
		if (e == FS_E_NOENT)
			e = fat_corrupt(fs, "directory shorter than its chain");
		if (e)
			break;
		if (i < nlfn) {
			lfn_fill(de, u, n, nlfn - i, i == 0, sum);
		} else {
			memcpy(de, tmpl, DE_SIZE_OF);
			memcpy(de, sfn, 11);
			de[DE_NTRES] = ntres;
			s->pos = pos;
			s->idx = run + i;
			s->first_idx = run;
			memcpy(s->de, de, DE_SIZE_OF);
		}
		it_dirty(&it);
	}
	it_done(&it);
out:
	free(used);
	return e;
}

fs_err_t fat_dir_remove(struct fat *fs, const struct node *dir, const struct dir_slot *s)
{
	struct diter it;
	uint8_t *de;
	uint64_t pos;
	fs_err_t e = FS_OK;

	it_init(&it, fs, dir_first(dir));
	for (uint32_t idx = s->first_idx; idx <= s->idx; idx++) {
		e = it_at(&it, idx, &de, &pos);
		if (e == FS_E_NOENT)
			e = fat_corrupt(fs, "directory entry %u gone", idx);
		if (e)
			break;
		de[0] = DIR_FREE;
		it_dirty(&it);
	}
	it_done(&it);
	return e;
}

fs_err_t fat_dir_init(struct fat *fs, uint32_t clus, uint32_t parent, const uint8_t *tmpl)
{
	struct bcache_buf *b;
	fs_err_t e = zero_clusters(fs, clus, 0, 1);

	if (e)
		return e;
	e = fat_get(fs, fat_clus_sector(fs, clus), true, &b);
	if (e)
		return e;
	for (int i = 0; i < 2; i++) {
		uint8_t *de = b->data + i * DE_SIZE_OF;

		memcpy(de, tmpl, DE_SIZE_OF);
		memcpy(de, i ? "..         " : ".          ", 11);
		de[DE_ATTR] = FAT_ATTR_DIR;
		de[DE_NTRES] = 0;
		de_set_first(fs, de, i ? parent : clus);
		put32(de + DE_SIZE, 0);
	}
	bcache_dirty(fs->bc, b);
	bcache_put(fs->bc, b);
	return FS_OK;
}

static fs_err_t dotdot(struct fat *fs, uint32_t clus, struct bcache_buf **b)
{
	fs_err_t e;

	if (!fat_valid_clus(fs, clus))
		return fat_corrupt(fs, "directory cluster %u", clus);
	e = fat_get(fs, fat_clus_sector(fs, clus), true, b);
	if (e)
		return e;
	if (memcmp((*b)->data + DE_SIZE_OF, "..         ", 11)) {
		bcache_put(fs->bc, *b);
		return fat_corrupt(fs, "directory at cluster %u without ..", clus);
	}
	return FS_OK;
}

fs_err_t fat_dir_parent(struct fat *fs, uint32_t clus, uint32_t *parent)
{
	struct bcache_buf *b;
	fs_err_t e = dotdot(fs, clus, &b);

	if (e)
		return e;
	*parent = de_first(fs, b->data + DE_SIZE_OF);
	bcache_put(fs->bc, b);
	if (*parent == (fs->bits == 32 ? fs->root_cluster : 0))
		*parent = 0;
	if (*parent && !fat_valid_clus(fs, *parent))
		return fat_corrupt(fs, "directory at cluster %u has parent %u", clus, *parent);
	return FS_OK;
}

fs_err_t fat_dir_set_parent(struct fat *fs, uint32_t clus, uint32_t parent)
{
	struct bcache_buf *b;
	fs_err_t e = dotdot(fs, clus, &b);

	if (e)
		return e;
	de_set_first(fs, b->data + DE_SIZE_OF, parent);
	bcache_dirty(fs->bc, b);
	bcache_put(fs->bc, b);
	return FS_OK;
}

fs_err_t fat_dir_find_clus(struct fat *fs, uint32_t in, uint32_t clus, struct node *n)
{
	struct diter it;
	uint8_t *de;
	uint64_t pos;
	fs_err_t e;

	it_init(&it, fs, in ? in : fs->bits == 32 ? fs->root_cluster : 0);
	for (uint32_t idx = 0;; idx++) {
		e = it_at(&it, idx, &de, &pos);
		if (e == FS_E_NOENT || (!e && kind(de) == 0)) {
			e = fat_corrupt(fs, "directory at cluster %u not in its parent", clus);
			break;
		}
		if (e)
			break;
		if (kind(de) == 4 && (de[DE_ATTR] & FAT_ATTR_DIR) && de_first(fs, de) == clus) {
			uint64_t ino;

			it_done(&it);
			e = fat_ino_of_pos(fs, pos, &ino);
			return e ? e : fat_node(fs, ino, n);
		}
	}
	it_done(&it);
	return e;
}
