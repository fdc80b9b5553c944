/*
 * lib/fat's insides, shared by its files:
 *   volume.c  the boot sector, mount, FSInfo, the dirty flag, sync, the
 *             inode-number table
 *   table.c   the allocation table: entries, chains, allocation
 *   name.c    long and short names, checksums, FAT dates and times
 *   dir.c     directory entries: iteration, lookup, adding and removing
 *   file.c    the struct fs_ops calls
 *
 * Sectors are numbered from the volume's start; the block cache works in
 * sectors (its block size is the volume's sector size).
 */
#ifndef FAT_INT_H
#define FAT_INT_H

#include <fat.h>
#include <bcache.h>

#define FAT_ATTR_RO     0x01u
#define FAT_ATTR_HIDDEN 0x02u
#define FAT_ATTR_SYSTEM 0x04u
#define FAT_ATTR_VOLUME 0x08u
#define FAT_ATTR_DIR    0x10u
#define FAT_ATTR_ARCH   0x20u
#define FAT_ATTR_LFN    0x0fu
#define FAT_ATTR_MASK   0x3fu

/* The short entry's layout (32 bytes). */
#define DE_NAME      0    /* 11: base (8) and extension (3), space-padded */
#define DE_ATTR      11
#define DE_NTRES     12   /* case of base (0x08) and extension (0x10) */
#define DE_CTIME_MS  13   /* creation time: units of 10 ms (0..199) */
#define DE_CTIME     14
#define DE_CDATE     16
#define DE_ADATE     18
#define DE_CLUS_HI   20
#define DE_MTIME     22
#define DE_MDATE     24
#define DE_CLUS_LO   26
#define DE_SIZE      28
#define DE_SIZE_OF   32
#define NTRES_LOWER_BASE 0x08u
#define NTRES_LOWER_EXT  0x10u

/* The long entry's layout. */
#define LE_ORD       0
#define LE_NAME1     1    /* 5 UTF-16 units */
#define LE_ATTR      11
#define LE_TYPE      12
#define LE_CHKSUM    13
#define LE_NAME2     14   /* 6 */
#define LE_CLUS      26
#define LE_NAME3     28   /* 2 */
#define LE_LAST      0x40u
#define LFN_CHARS    13
#define LFN_MAX_UNITS 255
#define LFN_MAX_ENTRIES 20

#define DIR_FREE     0xe5u
#define DIR_END      0x00u
/* A directory holds at most 65536 entries (2 MiB). */
#define DIR_MAX_ENTRIES 65536u

#define INO_ROOT     1u
#define INO_SYNTH    (1ull << 48)

struct ino_rec {
	uint64_t ino;
	uint64_t pos;            /* where it is now; 0: removed */
};

struct chain_cursor {
	uint32_t first;          /* 0: unused */
	uint32_t len;            /* the chain's length, checked to its end */
	uint32_t idx, clus;      /* a known position in it */
	uint32_t last;           /* the last cluster */
	uint32_t age;
};
#define NCURSORS 8

struct fat {
	struct blk_dev *dev;
	struct bcache *bc;
	struct fs_env env;
	bool have_env, ro;
	unsigned bits;           /* 12, 16, 32 */
	uint32_t bps;            /* bytes per sector */
	uint32_t spc;            /* sectors per cluster */
	uint32_t cb;             /* bytes per cluster */
	uint32_t nfats, fat_start, fat_sectors, active_fat;
	bool mirror;             /* every FAT copy written */
	uint32_t root_start, root_entries;   /* FAT12/16's fixed root */
	uint32_t root_cluster;               /* FAT32 */
	uint32_t data_start, total_sectors;
	uint32_t clusters;       /* valid clusters: 2 .. clusters + 1 */
	uint32_t eoc;            /* the end-of-chain value written */
	uint32_t fsinfo;         /* sector, 0: none */
	uint32_t free_count, next_free;
	bool free_known;
	bool marked_dirty;       /* our dirty flag is on the disk */
	bool was_unclean;        /* dirty when mounted: the flag stays */
	uint32_t dirty_off;      /* the boot sector's dirty flag byte */
	struct ino_rec *inos;
	size_t ninos, inos_cap;
	uint64_t next_synth;
	struct chain_cursor cur[NCURSORS];
	uint32_t cur_clock;
};

/* A file or directory as an operation sees it. */
struct node {
	uint64_t ino;
	uint64_t pos;            /* byte offset of the short entry; 0: root */
	uint8_t de[DE_SIZE_OF];  /* its entry (root: zeros) */
	bool dir;
	uint32_t first;          /* first cluster; the fixed root: 0 */
	uint32_t size;
};

static inline uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static inline uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline void put16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static inline void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}

/* volume.c */
fs_err_t fat_corrupt(struct fat *fs, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
fs_err_t fat_begin_write(struct fat *fs);
fs_err_t fat_get(struct fat *fs, uint64_t sector, bool fill, struct bcache_buf **b);
fs_err_t fat_ino_of_pos(struct fat *fs, uint64_t pos, uint64_t *ino);
fs_err_t fat_pos_of_ino(struct fat *fs, uint64_t ino, uint64_t *pos);
fs_err_t fat_ino_moved(struct fat *fs, uint64_t ino, uint64_t pos);
fs_err_t fat_ino_removed(struct fat *fs, uint64_t ino);
int64_t fat_now(struct fat *fs);

/* table.c */
static inline bool fat_valid_clus(const struct fat *fs, uint32_t c)
{
	return c >= 2 && c <= fs->clusters + 1;
}
static inline uint64_t fat_clus_sector(const struct fat *fs, uint32_t c)
{
	return fs->data_start + (uint64_t)(c - 2) * fs->spc;
}
fs_err_t fat_entry(struct fat *fs, uint32_t c, uint32_t *val);
fs_err_t fat_set_entry(struct fat *fs, uint32_t c, uint32_t val);
/* The cluster after c: *next, or 0 at the end of the chain. */
fs_err_t fat_next(struct fat *fs, uint32_t c, uint32_t *next);
/* The chain from first: its length and last cluster, loops and bad
 * links refused (cached until the chain changes). */
fs_err_t fat_chain_len(struct fat *fs, uint32_t first, uint32_t *len, uint32_t *last);
/* The idx-th cluster (from 0) of the chain from first. */
fs_err_t fat_chain_seek(struct fat *fs, uint32_t first, uint32_t idx, uint32_t *clus);
/* Append up to want clusters to the chain (first 0: a new chain, *first
 * set); *got of them were added; FS_E_NOSPC only if none. */
fs_err_t fat_chain_extend(struct fat *fs, uint32_t *first, uint32_t want, uint32_t *got);
/* Keep the first keep clusters of the chain, free the rest. */
fs_err_t fat_chain_cut(struct fat *fs, uint32_t first, uint32_t keep);
fs_err_t fat_count_free(struct fat *fs);
void fat_forget_chain(struct fat *fs, uint32_t first);

/* name.c */
uint8_t fat_lfn_sum(const uint8_t sfn[11]);
/* UTF-8 name -> UTF-16 units (FS_E_INVAL for bad UTF-8 or a character FAT
 * forbids, FS_E_NAMETOOLONG beyond 255 units). */
fs_err_t fat_name_to_utf16(const char *name, size_t len, uint16_t *u, size_t *n);
/* UTF-16 -> NUL-terminated UTF-8 in out[FS_NAME_MAX + 1]; false if it does
 * not fit or is not valid UTF-16. */
bool fat_utf16_to_name(const uint16_t *u, size_t n, char *out, size_t *len);
/* The short entry's name as shown (the case flags applied). */
size_t fat_sfn_to_name(const uint8_t *de, char *out);
/* Whether name is an exact 8.3 name (sfn, ntres set) or needs a long
 * entry (a basis sfn; *lossy when a ~N tail is needed). */
bool fat_sfn_exact(const uint16_t *u, size_t n, uint8_t sfn[11], uint8_t *ntres);
void fat_sfn_basis(const uint16_t *u, size_t n, uint8_t sfn[11], bool *lossy);
/* The basis with the tail ~num. */
void fat_sfn_tail(const uint8_t basis[11], uint32_t num, uint8_t out[11]);
/* Whether two UTF-8 names are equal, letters compared without case. */
bool fat_name_eq(const char *a, size_t alen, const char *b, size_t blen);
void fat_time_to(int64_t t, uint16_t *date, uint16_t *time, uint8_t *tenth);
int64_t fat_time_from(uint16_t date, uint16_t time);

/* dir.c */
struct dir_slot {
	uint64_t pos;            /* of the short entry */
	uint32_t idx;            /* its index in the directory */
	uint32_t first_idx;      /* of the first (long) entry of the name */
	uint8_t de[DE_SIZE_OF];
};
fs_err_t fat_node(struct fat *fs, uint64_t ino, struct node *n);
fs_err_t fat_node_dir(struct fat *fs, uint64_t ino, struct node *n);
fs_err_t fat_node_write(struct fat *fs, struct node *n);
/* The directory's entry called name (FS_E_NOENT if none). */
fs_err_t fat_dir_find(struct fat *fs, const struct node *dir, const char *name, size_t len,
		      struct dir_slot *s);
/* The entry after *cookie for readdir. */
fs_err_t fat_dir_next(struct fat *fs, const struct node *dir, uint64_t *cookie,
		      struct fs_dirent *ent, bool *end);
/* Write a new name for the short entry de (its name field is replaced)
 * into dir: *s says where. */
fs_err_t fat_dir_add(struct fat *fs, struct node *dir, const char *name, size_t len,
		     const uint8_t *de, struct dir_slot *s);
/* Mark the name's entries free. */
fs_err_t fat_dir_remove(struct fat *fs, const struct node *dir, const struct dir_slot *s);
/* FS_OK if the directory holds nothing but . and .., else FS_E_NOTEMPTY. */
fs_err_t fat_dir_empty(struct fat *fs, const struct node *dir);
/* Fill a new directory's first cluster (. and ..). */
fs_err_t fat_dir_init(struct fat *fs, uint32_t clus, uint32_t parent, const uint8_t *de);
/* The first cluster that the directory's ".." names (0: the root). */
fs_err_t fat_dir_parent(struct fat *fs, uint32_t clus, uint32_t *parent);
fs_err_t fat_dir_set_parent(struct fat *fs, uint32_t clus, uint32_t parent);
/* The node whose directory's first cluster is clus, found in the
 * directory whose first cluster is in (0: the root). */
fs_err_t fat_dir_find_clus(struct fat *fs, uint32_t in, uint32_t clus, struct node *n);
static inline uint32_t de_first(const struct fat *fs, const uint8_t *de)
{
	uint32_t c = get16(de + DE_CLUS_LO);
	if (fs->bits == 32)
		c |= (uint32_t)get16(de + DE_CLUS_HI) << 16;
	return c;
}
static inline void de_set_first(const struct fat *fs, uint8_t *de, uint32_t c)
{
	put16(de + DE_CLUS_LO, c & 0xffff);
	put16(de + DE_CLUS_HI, fs->bits == 32 ? c >> 16 : 0);
}

/* file.c: the calls of fat_ops */
fs_err_t fat_op_root(void *fs, uint64_t *ino);
fs_err_t fat_op_lookup(void *fs, uint64_t dir, const char *name, size_t len, uint64_t *ino);
fs_err_t fat_op_stat(void *fs, uint64_t ino, struct fs_stat *st);
fs_err_t fat_op_read(void *fs, uint64_t ino, uint64_t off, void *buf, size_t len, size_t *done);
fs_err_t fat_op_write(void *fs, uint64_t ino, uint64_t off, const void *buf, size_t len,
		      size_t *done);
fs_err_t fat_op_truncate(void *fs, uint64_t ino, uint64_t size);
fs_err_t fat_op_create(void *fs, uint64_t dir, const char *name, size_t len, uint32_t mode,
		       uint64_t *ino);
fs_err_t fat_op_symlink(void *fs, uint64_t dir, const char *name, size_t len,
			const char *target, size_t target_len, uint64_t *ino);
fs_err_t fat_op_readlink(void *fs, uint64_t ino, char *buf, size_t size, size_t *len);
fs_err_t fat_op_link(void *fs, uint64_t dir, const char *name, size_t len, uint64_t ino);
fs_err_t fat_op_unlink(void *fs, uint64_t dir, const char *name, size_t len);
fs_err_t fat_op_rename(void *fs, uint64_t from_dir, const char *from, size_t from_len,
		       uint64_t to_dir, const char *to, size_t to_len);
fs_err_t fat_op_readdir(void *fs, uint64_t dir, uint64_t *cookie, struct fs_dirent *ent,
			bool *end);
fs_err_t fat_op_setattr(void *fs, uint64_t ino, const struct fs_attr *a);

#endif
