/*
 * A file system on a Block session (fs_block.h), on the Block session
 * library's blk_dev (block_blk_dev.h: a failed request is FS_E_IO for the
 * back end, logged). Trusts its parent, its config and the block
 * multiplexer's data (what the disk holds is the back end's to check).
 */
#include <argil/config_rom.h>
#include <argil/log.h>
#include <block_blk_dev.h>
#include <fs_block.h>
#include <fs_server.h>
#include <timer_session.h>

fs_err_t fs_block_open(struct fs_block_dev *b, const char *label, word_t stream)
{
	rpc_status_t st;

	memset(b, 0, sizeof(*b));
	st = block_connect(&b->conn, label, stream, 0, 0);
	if (st != RPC_OK) {
		log("error: Block session '%s': %s", label, rpc_status_name(st));
		return FS_E_IO;
	}
	block_blk_dev(&b->conn, &b->dev);
	return FS_OK;
}

void fs_block_close(struct fs_block_dev *b)
{
	block_disconnect(&b->conn);
	memset(b, 0, sizeof(*b));
}

static struct config_rom config;
static struct fs_block_dev disk;
static struct fs_server server;
static struct fs_env fs_env;
static struct timer_connection timer;
static uint64_t time_base;

/* The time stamps' clock: time= of the config at start, advanced by a
 * Timer session (Argil has no real-time clock yet). */
static int64_t clock_now(void *arg)
{
	(void)arg;
	return (int64_t)(time_base + elapsed_us(&timer) / 1000000);
}

static void config_changed(void *arg)
{
	(void)arg;
	config_rom_update(&config);
}

void fs_block_component(struct component_env *env, fs_mount_fn mount, const struct fs_ops *ops)
{
	const char *label;
	uint64_t stream;
	bool writable;
	void *fs;
	fs_err_t err;
	rpc_status_t st;

	if (config_rom_open(&config, "config", &env->ep, config_changed, 0) != RPC_OK ||
	    !config.node) {
		log("error: no config");
		component_exit(1);
	}
	label = cfg_attr(config.node, "block");
	if (cfg_attr_bool(config.node, "writable", true, &writable) < 0 ||
	    cfg_attr_size(config.node, "buffer", 0, &stream) < 0 || stream > BLOCK_STREAM_MAX) {
		log("error: config: writable= is yes or no, buffer= a size up to %lu",
		    BLOCK_STREAM_MAX);
		component_exit(1);
	}
	if (cfg_attr_u64(config.node, "time", 0, &time_base) < 0 || time_base > INT32_MAX) {
		log("error: config: time= is seconds since 1970");
		component_exit(1);
	}
	if (time_base && timer_connect(&timer, "clock") != RPC_OK) {
		log("error: no Timer session for the clock");
		component_exit(1);
	}
	if (fs_block_open(&disk, label ? label : "disk", stream) != FS_OK)
		component_exit(1);
	fs_server_env(&fs_env, time_base ? clock_now : 0, 0);
	err = mount(&disk.dev, writable && disk.dev.writable ? 0 : FS_MOUNT_READONLY, &fs_env, &fs);
	if (err != FS_OK) {
		log("error: cannot mount %s on '%s': %s", ops->name, label ? label : "disk",
		    fs_err_name(err));
		component_exit(1);
	}
	{
		struct fs_statfs s;

		if (ops->statfs(fs, &s) != FS_OK) {
			log("error: %s: statfs failed", ops->name);
			component_exit(1);
		}
		writable = !s.readonly;
		log("%s on '%s': %llu blocks of %u, %llu free, %s", ops->name, label ? label : "disk",
		    (unsigned long long)s.blocks, s.block_size, (unsigned long long)s.blocks_free,
		    writable ? "writable" : "read-only");
	}
	st = fs_server_start(&server, env, ops, fs, &config, !writable);
	if (st != RPC_OK) {
		log("error: cannot serve: %s", rpc_status_name(st));
		component_exit(1);
	}
}
