/*
 * ext2's on-disk layout (docs/storage.md, "ext2"): superblock, group
 * descriptor, inode and directory entry, each defined once. All fields are
 * little-endian; Argil runs on x86_64 only, so they are read as they are.
 * Every field lies at its natural alignment, so the structures need no
 * packing (the asserts below hold the layout); they are only ever
 * memcpy'd in and out of blocks.
 */
#ifndef EXT2_DISK_H
#define EXT2_DISK_H

#include <stdint.h>

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "ext2 fields are read in place");

#define EXT2_SUPER_OFFSET 1024u   /* bytes from the start of the device */
#define EXT2_SUPER_SIZE 1024u
#define EXT2_MAGIC 0xEF53u
#define EXT2_ROOT_INO 2u
#define EXT2_GOOD_OLD_FIRST_INO 11u
#define EXT2_GOOD_OLD_INODE_SIZE 128u
#define EXT2_NDIR 12u             /* direct pointers in i_block */
#define EXT2_IND 12u              /* single, double, triple indirect */
#define EXT2_DIND 13u
#define EXT2_TIND 14u
#define EXT2_NBLOCKS 15u
#define EXT2_LINK_MAX 32000u
#define EXT2_FAST_LINK_MAX 60u    /* a target shorter than this lives in i_block */

/* s_state */
#define EXT2_VALID_FS 1u
#define EXT2_ERROR_FS 2u

/* s_feature_compat: none of them stops us */
#define EXT2_FEATURE_COMPAT_RESIZE_INODE 0x0010u
#define EXT2_FEATURE_COMPAT_DIR_INDEX 0x0020u
/* s_feature_incompat: the only one we handle */
#define EXT2_FEATURE_INCOMPAT_FILETYPE 0x0002u
#define EXT2_FEATURE_INCOMPAT_RECOVER 0x0004u
/* s_feature_ro_compat: the ones we handle */
#define EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER 0x0001u
#define EXT2_FEATURE_RO_COMPAT_LARGE_FILE 0x0002u

/* i_flags */
#define EXT2_INDEX_FL 0x00001000u       /* an htree directory */
#define EXT2_IMMUTABLE_FL 0x00000010u
#define EXT2_APPEND_FL 0x00000020u
#define EXT4_EXTENTS_FL 0x00080000u
#define EXT4_INLINE_DATA_FL 0x10000000u

/* the type in i_mode */
#define EXT2_S_IFMT 0170000u
#define EXT2_S_IFREG 0100000u
#define EXT2_S_IFDIR 0040000u
#define EXT2_S_IFLNK 0120000u

/* the directory entry's file_type (with the filetype feature) */
#define EXT2_FT_UNKNOWN 0u
#define EXT2_FT_REG_FILE 1u
#define EXT2_FT_DIR 2u
#define EXT2_FT_SYMLINK 7u
#define EXT2_FT_MAX 8u

/* an extended attribute block's header (only its magic and refcount) */
#define EXT2_XATTR_MAGIC 0xEA020000u

struct ext2_super {
	uint32_t s_inodes_count;
	uint32_t s_blocks_count;
	uint32_t s_r_blocks_count;
	uint32_t s_free_blocks_count;
	uint32_t s_free_inodes_count;
	uint32_t s_first_data_block;
	uint32_t s_log_block_size;
	uint32_t s_log_frag_size;
	uint32_t s_blocks_per_group;
	uint32_t s_frags_per_group;
	uint32_t s_inodes_per_group;
	uint32_t s_mtime;
	uint32_t s_wtime;
	uint16_t s_mnt_count;
	int16_t s_max_mnt_count;
	uint16_t s_magic;
	uint16_t s_state;
	uint16_t s_errors;
	uint16_t s_minor_rev_level;
	uint32_t s_lastcheck;
	uint32_t s_checkinterval;
	uint32_t s_creator_os;
	uint32_t s_rev_level;
	uint16_t s_def_resuid;
	uint16_t s_def_resgid;
	/* revision 1 (dynamic) */
	uint32_t s_first_ino;
	uint16_t s_inode_size;
	uint16_t s_block_group_nr;
	uint32_t s_feature_compat;
	uint32_t s_feature_incompat;
	uint32_t s_feature_ro_compat;
	uint8_t s_uuid[16];
	char s_volume_name[16];
	char s_last_mounted[64];
	uint32_t s_algorithm_usage_bitmap;
	uint8_t s_prealloc_blocks;
	uint8_t s_prealloc_dir_blocks;
	uint16_t s_reserved_gdt_blocks;
	uint8_t s_rest[EXT2_SUPER_SIZE - 208];
};
_Static_assert(sizeof(struct ext2_super) == EXT2_SUPER_SIZE, "superblock size");
_Static_assert(__builtin_offsetof(struct ext2_super, s_magic) == 56, "s_magic");
_Static_assert(__builtin_offsetof(struct ext2_super, s_feature_compat) == 92, "s_feature_compat");
_Static_assert(__builtin_offsetof(struct ext2_super, s_reserved_gdt_blocks) == 206, "s_reserved_gdt_blocks");

struct ext2_group_desc {
	uint32_t bg_block_bitmap;
	uint32_t bg_inode_bitmap;
	uint32_t bg_inode_table;
	uint16_t bg_free_blocks_count;
	uint16_t bg_free_inodes_count;
	uint16_t bg_used_dirs_count;
	uint16_t bg_flags;
	uint8_t bg_reserved[12];
};
_Static_assert(sizeof(struct ext2_group_desc) == 32, "group descriptor size");

/* The first 128 bytes of every inode, then the fields of large inodes that
 * we use (present when i_extra_isize covers them). */
struct ext2_inode {
	uint16_t i_mode;
	uint16_t i_uid;
	uint32_t i_size;
	uint32_t i_atime;
	uint32_t i_ctime;
	uint32_t i_mtime;
	uint32_t i_dtime;
	uint16_t i_gid;
	uint16_t i_links_count;
	uint32_t i_blocks;          /* 512-byte units: data, indirect and xattr blocks */
	uint32_t i_flags;
	uint32_t i_osd1;
	uint32_t i_block[EXT2_NBLOCKS];
	uint32_t i_generation;
	uint32_t i_file_acl;        /* the extended attribute block */
	uint32_t i_size_high;       /* i_dir_acl in revision 0 */
	uint32_t i_faddr;
	uint16_t i_blocks_hi;
	uint16_t i_file_acl_high;
	uint16_t i_uid_high;
	uint16_t i_gid_high;
	uint16_t i_checksum_lo;
	uint16_t i_reserved;
	/* large inodes: i_extra_isize counts the bytes from here on */
	uint16_t i_extra_isize;
	uint16_t i_checksum_hi;
	uint32_t i_ctime_extra;     /* bits 0-1: epoch above 32 bits, 2-31: nanoseconds */
	uint32_t i_mtime_extra;
	uint32_t i_atime_extra;
	uint32_t i_crtime;
	uint32_t i_crtime_extra;
	uint32_t i_version_hi;
	uint32_t i_projid;
};
_Static_assert(sizeof(struct ext2_inode) == 160, "inode size");
_Static_assert(__builtin_offsetof(struct ext2_inode, i_block) == 40, "i_block");
_Static_assert(__builtin_offsetof(struct ext2_inode, i_extra_isize) == 128, "i_extra_isize");
#define EXT2_INODE_EXTRA_MAX 32u   /* the extra bytes we know (i_extra_isize .. i_projid) */

/* A directory entry: the header, then name_len bytes of name, padded so
 * that rec_len is a multiple of 4. */
struct ext2_dirent {
	uint32_t inode;             /* 0: an unused entry */
	uint16_t rec_len;
	uint8_t name_len;
	uint8_t file_type;          /* name_len's high byte without the filetype feature */
};
_Static_assert(sizeof(struct ext2_dirent) == 8, "directory entry header");
#define EXT2_DIRENT_HDR 8u
#define EXT2_DIRENT_LEN(n) ((EXT2_DIRENT_HDR + (n) + 3u) & ~3u)

#endif
