/*
 * The FAT volume: the boot sector (BIOS parameter block) checked field by
 * field, mount, the FSInfo sector's free count, the dirty flag, sync,
 * statfs, unmount, and the table of inode numbers that moved or died
 * (fat.h explains the numbering).
 *
 * Trusts nothing on the disk: every BPB field is checked against the
 * others and against the device's size before anything is read through it.
 *
 * The dirty flag (bit 0 of the boot sector's "reserved" byte after the
 * drive number, which Linux and dosfstools use): set on the disk and
 * synced before the first change after a mount or a sync, cleared by sync
 * once everything else is on the medium; so fsck.vfat finds it set only
 * after a crash between a change and the next sync. A volume that was
 * mounted unclean (our flag, or the clean bit of FAT[1] that Windows
 * keeps, cleared) keeps the flag set, as Linux does, until fsck clears it.
 */
#include "fat_int.h"

#if __STDC_HOSTED__
#include <stdio.h>
#else
#include <argil/printf.h>
#endif

#define FSI_LEAD      0x41615252u
#define FSI_STRUC     0x61417272u
#define FSI_TRAIL     0xaa550000u
#define FSI_LEAD_OFF  0
#define FSI_STRUC_OFF 484
#define FSI_FREE_OFF  488
#define FSI_NEXT_OFF  492
#define FSI_TRAIL_OFF 508
#define DIRTY_FLAG    0x01u
#define CACHE_BYTES   (512u * 1024u)

fs_err_t fat_corrupt(struct fat *fs, const char *fmt, ...)
{
	char line[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fs_log(fs->have_env ? &fs->env : NULL, "fat: corrupt: %s", line);
	return FS_E_CORRUPT;
}

int64_t fat_now(struct fat *fs)
{
	return fs_now(fs->have_env ? &fs->env : NULL);
}

fs_err_t fat_get(struct fat *fs, uint64_t sector, bool fill, struct bcache_buf **b)
{
	fs_err_t e;

	if (sector >= fs->total_sectors)
		return fat_corrupt(fs, "sector %llu beyond the volume", (unsigned long long)sector);
	e = bcache_get(fs->bc, sector, fill, b);
	if (e == FS_E_INVAL)
		return fat_corrupt(fs, "sector %llu beyond the device", (unsigned long long)sector);
	return e;
}

/* ---- the boot sector ---- */

static fs_err_t parse_bpb(struct fat *fs, const uint8_t *b, uint64_t dev_bytes)
{
	uint32_t bps = get16(b + 11), spc = b[13], rsvd = get16(b + 14), nfats = b[16];
	uint32_t root_ents = get16(b + 17), tot16 = get16(b + 19), fatsz16 = get16(b + 22);
	uint32_t tot32 = get32(b + 32), fatsz, tot, root_secs, meta;
	uint64_t data_secs;

	if (!(b[0] == 0xeb && b[2] == 0x90) && b[0] != 0xe9)
		return fat_corrupt(fs, "no FAT boot sector (jump %02x %02x)", b[0], b[2]);
	if (b[510] != 0x55 || b[511] != 0xaa)
		return fat_corrupt(fs, "boot sector without its signature");
	if (bps != 512 && bps != 1024 && bps != 2048 && bps != 4096)
		return fat_corrupt(fs, "bytes per sector %u", bps);
	if (!spc || (spc & (spc - 1)) || spc * bps > 65536)
		return fat_corrupt(fs, "sectors per cluster %u", spc);
	if (!rsvd)
		return fat_corrupt(fs, "no reserved sectors");
	if (!nfats || nfats > 4)
		return fat_corrupt(fs, "%u FATs", nfats);
	tot = tot16 ? tot16 : tot32;
	if (!tot || (tot16 && tot32 && tot16 != tot32))
		return fat_corrupt(fs, "total sectors %u/%u", tot16, tot32);
	if (fatsz16) {
		fatsz = fatsz16;
		if ((root_ents * 32u) % bps || !root_ents)
			return fat_corrupt(fs, "%u root entries", root_ents);
	} else {
		fatsz = get32(b + 36);
		if (root_ents)
			return fat_corrupt(fs, "FAT32 with %u root entries", root_ents);
		if (get16(b + 42))
			return fat_corrupt(fs, "FAT32 version %u", get16(b + 42));
	}
	if (!fatsz)
		return fat_corrupt(fs, "FAT of no sectors");
	root_secs = root_ents * 32u / bps;
	meta = rsvd + root_secs;
	if ((uint64_t)nfats * fatsz + meta >= tot)
		return fat_corrupt(fs, "metadata (%u FATs of %u sectors) fills the volume", nfats, fatsz);
	meta += nfats * fatsz;
	if ((uint64_t)tot * bps > dev_bytes)
		return fat_corrupt(fs, "volume of %u sectors larger than the device", tot);
	data_secs = tot - meta;

	fs->bps = bps;
	fs->spc = spc;
	fs->cb = bps * spc;
	fs->nfats = nfats;
	fs->fat_start = rsvd;
	fs->fat_sectors = fatsz;
	fs->root_start = rsvd + nfats * fatsz;
	fs->root_entries = root_ents;
	fs->data_start = meta;
	fs->total_sectors = tot;
	fs->clusters = (uint32_t)(data_secs / spc);
	if (!fs->clusters)
		return fat_corrupt(fs, "no data clusters");
	fs->mirror = true;
	fs->active_fat = 0;
	if (!fatsz16) {
		uint32_t ext = get16(b + 40);

		fs->bits = 32;
		fs->eoc = 0x0fffffff;
		fs->dirty_off = 65;
		if (fs->clusters > 0x0ffffff5u)
			return fat_corrupt(fs, "%u clusters", fs->clusters);
		if (ext & 0x80) {
			fs->mirror = false;
			fs->active_fat = ext & 0x0f;
			if (fs->active_fat >= nfats)
				return fat_corrupt(fs, "active FAT %u of %u", fs->active_fat, nfats);
		}
		fs->root_cluster = get32(b + 44);
		if (!fat_valid_clus(fs, fs->root_cluster))
			return fat_corrupt(fs, "root cluster %u", fs->root_cluster);
		fs->fsinfo = get16(b + 48);
		if (fs->fsinfo == 0xffff || fs->fsinfo >= rsvd)
			fs->fsinfo = 0;
	} else if (fs->clusters < 4085) {
		fs->bits = 12;
		fs->eoc = 0xfff;
		fs->dirty_off = 37;
	} else if (fs->clusters < 65525) {
		fs->bits = 16;
		fs->eoc = 0xffff;
		fs->dirty_off = 37;
	} else {
		return fat_corrupt(fs, "%u clusters with a 16-bit FAT size", fs->clusters);
	}
	if ((uint64_t)fatsz * bps * 8 / fs->bits < (uint64_t)fs->clusters + 2)
		return fat_corrupt(fs, "FAT of %u sectors too small for %u clusters", fatsz, fs->clusters);
	return FS_OK;
}

static void read_fsinfo(struct fat *fs)
{
	struct bcache_buf *b;

	if (!fs->fsinfo || fat_get(fs, fs->fsinfo, true, &b))
		return;
	if (get32(b->data + FSI_LEAD_OFF) == FSI_LEAD && get32(b->data + FSI_STRUC_OFF) == FSI_STRUC &&
	    get32(b->data + FSI_TRAIL_OFF) == FSI_TRAIL) {
		uint32_t free = get32(b->data + FSI_FREE_OFF), next = get32(b->data + FSI_NEXT_OFF);

		if (free <= fs->clusters) {
			fs->free_count = free;
			fs->free_known = true;
		}
		if (fat_valid_clus(fs, next))
			fs->next_free = next;
	} else {
		fs->fsinfo = 0;   /* not one: leave it alone */
	}
	bcache_put(fs->bc, b);
}

static fs_err_t write_fsinfo(struct fat *fs)
{
	struct bcache_buf *b;
	fs_err_t e;

	if (!fs->fsinfo)
		return FS_OK;
	e = fat_get(fs, fs->fsinfo, true, &b);
	if (e)
		return e;
	put32(b->data + FSI_FREE_OFF, fs->free_known ? fs->free_count : 0xffffffffu);
	put32(b->data + FSI_NEXT_OFF, fs->next_free);
	bcache_dirty(fs->bc, b);
	bcache_put(fs->bc, b);
	return FS_OK;
}

static fs_err_t set_dirty_flag(struct fat *fs, bool dirty)
{
	struct bcache_buf *b;
	fs_err_t e = fat_get(fs, 0, true, &b);

	if (e)
		return e;
	if (dirty)
		b->data[fs->dirty_off] |= DIRTY_FLAG;
	else
		b->data[fs->dirty_off] &= (uint8_t)~DIRTY_FLAG;
	bcache_dirty(fs->bc, b);
	bcache_put(fs->bc, b);
	return FS_OK;
}

fs_err_t fat_begin_write(struct fat *fs)
{
	fs_err_t e;

	if (fs->ro)
		return FS_E_ROFS;
	if (fs->marked_dirty)
		return FS_OK;
	e = set_dirty_flag(fs, true);
	if (!e)
		e = bcache_sync(fs->bc);
	if (!e)
		fs->marked_dirty = true;
	return e;
}

static fs_err_t fat_sync(void *v)
{
	struct fat *fs = v;
	fs_err_t e;

	if (fs->ro)
		return FS_OK;
	if (!fs->marked_dirty)
		return bcache_sync(fs->bc);
	e = write_fsinfo(fs);
	if (!e)
		e = bcache_sync(fs->bc);
	if (!e && fs->was_unclean)   /* it stays set for fsck to see */
		goto done;
	if (!e)
		e = set_dirty_flag(fs, false);
	if (!e)
		e = bcache_sync(fs->bc);
done:
	if (!e)
		fs->marked_dirty = false;
	return e;
}

static fs_err_t fat_statfs(void *v, struct fs_statfs *s)
{
	struct fat *fs = v;
	fs_err_t e;

	if (!fs->free_known) {
		e = fat_count_free(fs);
		if (e)
			return e;
	}
	memset(s, 0, sizeof(*s));
	s->block_size = fs->cb;
	s->blocks = fs->clusters;
	s->blocks_free = fs->free_count;
	s->readonly = fs->ro;
	return FS_OK;
}

static void destroy(struct fat *fs)
{
	if (fs->bc)
		bcache_destroy(fs->bc);
	free(fs->inos);
	free(fs);
}

static fs_err_t fat_unmount(void *v)
{
	struct fat *fs = v;
	fs_err_t e = fat_sync(fs);

	destroy(fs);
	return e;
}

fs_err_t fat_mount(struct blk_dev *dev, unsigned flags, const struct fs_env *env, void **out)
{
	struct fat *fs = calloc(1, sizeof(*fs));
	uint8_t *boot = NULL;
	fs_err_t e;
	uint32_t fat1;

	if (!fs)
		return FS_E_NOMEM;
	if (env) {
		fs->env = *env;
		fs->have_env = true;
	}
	fs->dev = dev;
	fs->ro = (flags & FS_MOUNT_READONLY) || !dev->writable;
	fs->next_synth = INO_SYNTH;
	e = FS_E_INVAL;
	if (dev->block_size < 512 || (dev->block_size & (dev->block_size - 1)) || !dev->count)
		goto fail;
	e = FS_E_NOMEM;
	boot = malloc(dev->block_size);
	if (!boot)
		goto fail;
	e = dev->read(dev->ctx, 0, 1, boot);
	if (e)
		goto fail;
	e = parse_bpb(fs, boot, dev->count * (uint64_t)dev->block_size);
	if (e)
		goto fail;
	if (fs->bps % dev->block_size) {
		fs_log(env, "fat: sectors of %u bytes on a device of %u-byte blocks", fs->bps,
		       dev->block_size);
		e = FS_E_UNSUPPORTED;
		goto fail;
	}
	e = FS_E_NOMEM;
	fs->bc = bcache_create(dev, fs->bps, CACHE_BYTES / fs->bps);
	if (!fs->bc)
		goto fail;
	fs->next_free = 2;
	read_fsinfo(fs);
	/* the flags of an unclean shutdown: ours in the boot sector, and the
	 * "clean" bit of FAT[1] that Windows keeps */
	e = fat_entry(fs, 1, &fat1);
	if (e)
		goto fail;
	if ((boot[fs->dirty_off] & DIRTY_FLAG) ||
	    (fs->bits == 16 && !(fat1 & 0x8000)) || (fs->bits == 32 && !(fat1 & 0x08000000))) {
		fs_log(env, "fat: the volume was not cleanly unmounted (run fsck)");
		fs->was_unclean = true;
	}
	if (!fs->free_known && !fs->ro) {
		e = fat_count_free(fs);
		if (e)
			goto fail;
	}
	free(boot);
	*out = fs;
	return FS_OK;
fail:
	free(boot);
	destroy(fs);
	return e;
}

/* ---- inode numbers (fat.h) ---- */

static struct ino_rec *rec_by_ino(struct fat *fs, uint64_t ino)
{
	for (size_t i = 0; i < fs->ninos; i++)
		if (fs->inos[i].ino == ino)
			return &fs->inos[i];
	return NULL;
}

static struct ino_rec *rec_by_pos(struct fat *fs, uint64_t pos)
{
	for (size_t i = 0; i < fs->ninos; i++)
		if (fs->inos[i].pos == pos)
			return &fs->inos[i];
	return NULL;
}

static fs_err_t rec_add(struct fat *fs, uint64_t ino, uint64_t pos)
{
	if (fs->ninos == fs->inos_cap) {
		size_t cap = fs->inos_cap ? fs->inos_cap * 2 : 16;
		struct ino_rec *n = realloc(fs->inos, cap * sizeof(*n));

		if (!n)
			return FS_E_NOMEM;
		fs->inos = n;
		fs->inos_cap = cap;
	}
	fs->inos[fs->ninos].ino = ino;
	fs->inos[fs->ninos].pos = pos;
	fs->ninos++;
	return FS_OK;
}

fs_err_t fat_ino_of_pos(struct fat *fs, uint64_t pos, uint64_t *ino)
{
	struct ino_rec *r = rec_by_pos(fs, pos);
	uint64_t natural = pos / DE_SIZE_OF + 2;

	if (r) {
		*ino = r->ino;
		return FS_OK;
	}
	if (!rec_by_ino(fs, natural)) {
		*ino = natural;
		return FS_OK;
	}
	/* its natural number belongs to a file that moved or died */
	*ino = fs->next_synth++;
	return rec_add(fs, *ino, pos);
}

fs_err_t fat_pos_of_ino(struct fat *fs, uint64_t ino, uint64_t *pos)
{
	struct ino_rec *r = rec_by_ino(fs, ino);

	if (r) {
		if (!r->pos)
			return FS_E_STALE;
		*pos = r->pos;
		return FS_OK;
	}
	if (ino < 2 || ino >= INO_SYNTH)
		return FS_E_STALE;
	*pos = (ino - 2) * DE_SIZE_OF;
	if (*pos >= (uint64_t)fs->total_sectors * fs->bps || rec_by_pos(fs, *pos))
		return FS_E_STALE;
	return FS_OK;
}

fs_err_t fat_ino_moved(struct fat *fs, uint64_t ino, uint64_t pos)
{
	struct ino_rec *r = rec_by_ino(fs, ino);

	if (r) {
		r->pos = pos;
		return FS_OK;
	}
	return rec_add(fs, ino, pos);
}

fs_err_t fat_ino_removed(struct fat *fs, uint64_t ino)
{
	struct ino_rec *r = rec_by_ino(fs, ino);

	if (r) {
		if (ino >= INO_SYNTH)
			*r = fs->inos[--fs->ninos];   /* never handed out again */
		else
			r->pos = 0;
		return FS_OK;
	}
	return rec_add(fs, ino, 0);
}

const struct fs_ops fat_ops = {
	.name = "fat",
	.root = fat_op_root,
	.lookup = fat_op_lookup,
	.stat = fat_op_stat,
	.read = fat_op_read,
	.write = fat_op_write,
	.truncate = fat_op_truncate,
	.create = fat_op_create,
	.symlink = fat_op_symlink,
	.readlink = fat_op_readlink,
	.link = fat_op_link,
	.unlink = fat_op_unlink,
	.rename = fat_op_rename,
	.readdir = fat_op_readdir,
	.setattr = fat_op_setattr,
	.statfs = fat_statfs,
	.sync = fat_sync,
	.unmount = fat_unmount,
};
