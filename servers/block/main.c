/*
 * block: the block multiplexer (docs/storage.md, "Block"). Disk drivers
 * are its clients (Block_driver sessions); it reads each disk's partition
 * table, reports disks and partitions (report "block_devices") and serves
 * Block sessions by the policies of its config (client.c), keeping every
 * request until the driver has done it (driver.c).
 *
 *   <config report="yes">
 *     <policy label="test -> part1" disk="vd0" partition="1" writable="yes"/>
 *   </config>
 *
 * Trusts its parent and core; drivers and clients as driver.c and
 * client.c say. The config is read again when it changes; sessions keep
 * the policy they were made with.
 */
#include <argil/config_rom.h>
#include <argil/log.h>
#include <argil/string.h>
#include <report_session.h>
#include "mux.h"

#define REPORT_SIZE (64 * 1024)

struct component_env *env;
static struct config_rom cfg;
static struct reporter rep;
static bool reporting;
static char report_buf[REPORT_SIZE];

const struct cfg_node *config_policies(void)
{
	return cfg.node;
}

static void attr_u64(struct cfg_writer *w, const char *name, uint64_t v)
{
	cfg_node_attr_u64(w, name, v);
}

void report_update(void)
{
	struct cfg_writer w;

	if (!reporting)
		return;
	cfg_writer_init(&w, report_buf, sizeof(report_buf));
	cfg_node_begin(&w, "block_devices");
	for (int i = 0; i < DISKS_MAX; i++) {
		const struct disk *d = &disks[i];
		if (!d->used)
			continue;
		cfg_node_begin(&w, "disk");
		cfg_node_attr(&w, "name", d->name);
		cfg_node_attr(&w, "driver", d->driver);
		attr_u64(&w, "block_size", d->block_size);
		attr_u64(&w, "count", d->count);
		cfg_node_attr(&w, "writable", (d->flags & BLOCK_WRITABLE) ? "yes" : "no");
		cfg_node_attr(&w, "trim", (d->flags & BLOCK_TRIM) ? "yes" : "no");
		cfg_node_attr(&w, "state", d->state != DISK_READY ? "scanning" :
			      d->drv ? "ready" : "no_driver");
		cfg_node_attr(&w, "table", part_scheme_name(d->scan.table.scheme));
		if (d->scan.table.backup_used)
			cfg_node_attr(&w, "backup_gpt", "yes");
		attr_u64(&w, "driver_sessions", d->drivers);
		attr_u64(&w, "replayed", d->replayed);
		for (unsigned k = 0; d->state == DISK_READY && k < d->scan.table.count; k++) {
			const struct part *p = &d->scan.table.part[k];
			char guid[37];
			cfg_node_begin(&w, "partition");
			attr_u64(&w, "number", p->number);
			if (d->scan.table.scheme == PART_GPT) {
				cfg_node_attr(&w, "name", p->name);
				part_guid_text(p->type_guid, guid);
				cfg_node_attr(&w, "type", guid);
			} else {
				attr_u64(&w, "type", p->mbr_type);
			}
			attr_u64(&w, "start", p->start);
			attr_u64(&w, "length", p->length);
			cfg_node_end(&w);
		}
		cfg_node_end(&w);
	}
	cfg_node_end(&w);
	if (!cfg_writer_ok(&w)) {
		log("error: block_devices report does not fit %u bytes", REPORT_SIZE);
		return;
	}
	reporter_submit(&rep, report_buf, w.len);
}

static void on_config(void *arg)
{
	(void)arg;
	config_rom_update(&cfg);
	if (!cfg.node && cfg.err.msg)
		log("error: config: %s (line %u)", cfg.err.msg, cfg.err.line);
}

void component_construct(struct component_env *e)
{
	rpc_status_t st;
	bool want_report = true;

	env = e;
	st = config_rom_open(&cfg, "config", &env->ep, on_config, 0);
	if (st != RPC_OK)
		log("error: no config ROM (%s): every session is refused", rpc_status_name(st));
	if (cfg.node && cfg_attr_bool(cfg.node, "report", true, &want_report) < 0)
		log("error: config: report must be yes or no");
	if (want_report) {
		st = reporter_open(&rep, "block_devices", REPORT_SIZE);
		if (st == RPC_OK)
			reporting = true;
		else
			log("error: no Report session 'block_devices' (%s)", rpc_status_name(st));
	}
	report_update();
	st = driver_serve();
	if (st == RPC_OK)
		st = client_serve();
	if (st != RPC_OK) {
		log("error: cannot serve: %s", rpc_status_name(st));
		component_exit(1);
	}
}
