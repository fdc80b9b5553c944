/*
 * ram_fs: a file system in memory served as File_system sessions
 * (docs/storage.md, "ram_fs"): the back end of backend/ (ram_fs.h) behind
 * the file-system server (lib/fs_server).
 *
 *   <config quota="4M" verbose="no">
 *     <policy label_prefix="fs_tool" root="/" writable="yes"/>
 *     <default-policy root="/" writable="no"/>
 *   </config>
 *
 * quota= is what the file system may hold (its nodes, names, tables and
 * data pages; default 1M): beyond it, writes and creations fail with
 * FS_E_NOSPC. It is paid from the component's own RAM, which must be
 * larger (the heap's own overhead, the sessions' records are paid by
 * their donations). The policies are lib/fs_server's; a changed config
 * holds for the sessions made after it. Trusts its parent
 * and core; clients for nothing (fs_server.h).
 */
#include <argil/component.h>
#include <argil/config_rom.h>
#include <argil/log.h>
#include <fs_server.h>
#include <ram_fs.h>

static struct config_rom config;
static struct fs_server server;
static struct fs_env fs_env;

/* New policies hold for sessions made from now on. */
static void config_changed(void *arg)
{
	(void)arg;
	config_rom_update(&config);
}

void component_construct(struct component_env *env)
{
	uint64_t quota = 1u << 20;
	void *fs;
	fs_err_t err;
	rpc_status_t st;

	if (config_rom_open(&config, "config", &env->ep, config_changed, 0) != RPC_OK || !config.node) {
		log("error: no config");
		component_exit(1);
	}
	if (cfg_attr_size(config.node, "quota", quota, &quota) < 0) {
		log("error: config: bad quota '%s'", cfg_attr(config.node, "quota"));
		component_exit(1);
	}
	fs_server_env(&fs_env, 0, 0);
	err = ram_fs_mount(&fs, quota, 0, &fs_env);
	if (err != FS_OK) {
		log("error: cannot make the file system: %s", fs_err_name(err));
		component_exit(1);
	}
	st = fs_server_start(&server, env, &ram_fs_ops, fs, &config, false);
	if (st != RPC_OK) {
		log("error: cannot serve: %s", rpc_status_name(st));
		component_exit(1);
	}
	log("serving a ram file system of %llu bytes", (unsigned long long)quota);
}
