/*
 * The file-system server (docs/storage.md, "File systems"): serves
 * File_system sessions (fs_session.h) over any back end (struct fs_ops,
 * fs.h). The components ram_fs, ext2_fs and fat_fs are a back end, a
 * mount, and this library.
 *
 * Policy (the component's config, read when a session is made):
 *
 *   <config>
 *     <policy label_prefix="fs_tool" root="/tools" writable="yes"/>
 *     <policy label="test -> ro" root="/" writable="no"/>
 *     <default-policy root="/public"/>
 *   </config>
 *
 * The first <policy> whose label conditions (label, label_prefix,
 * label_suffix, label_last; lib/rom_server's policy_matches) hold for the
 * session's label, else <default-policy>, else the session is denied.
 * root= (default "/") names a directory of the file system that becomes
 * the session's "/": no path of the session reaches above it ("..", and
 * symbolic links, are resolved below it); a root that is missing or no
 * directory denies the session (logged). writable= (default "no") lets
 * the session change things; a back end mounted read-only makes every
 * session read-only.
 *
 * Everything runs on the component's entrypoint: the back end's calls are
 * synchronous, one at a time. A client is trusted for nothing: handles
 * are numbers looked up in the session's own table, paths are resolved by
 * the server, packets are checked by the packet stream library, and a
 * client that breaks its stream loses only its own session's stream.
 */
#ifndef FS_SERVER_H
#define FS_SERVER_H

#include <argil/component.h>
#include <argil/config_rom.h>
#include <argil/session_server.h>
#include <fs.h>
#include <fs_session.h>

struct fs_server {
	struct session_server ss;
	const struct fs_ops *ops;
	void *fs;
	struct config_rom *config;     /* the policies (node may be NULL: every session denied) */
	bool readonly;                 /* the back end is mounted read-only */
	bool verbose;                  /* log each session */
	char *buf, *link;              /* path resolution (fs_walk.h) */
	uint64_t sessions, opened;     /* counters for the log */
};

/* Announce the File_system service on env's entrypoint over the mounted
 * back end fs. The config ROM must stay open while the server runs. */
rpc_status_t fs_server_start(struct fs_server *srv, struct component_env *env,
			     const struct fs_ops *ops, void *fs, struct config_rom *config,
			     bool readonly);

/* The fs_env of a component: log lines through LOG with a prefix, and no
 * clock yet (times 0) unless now is given. */
void fs_server_env(struct fs_env *env, int64_t (*now)(void *), void *arg);

#endif
