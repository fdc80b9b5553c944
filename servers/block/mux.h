/*
 * The block multiplexer `block` (docs/storage.md, "Block"): its disks,
 * their drivers' streams, its clients and the requests between them.
 *
 *   driver.c   Block_driver sessions, disks, the request engine: client
 *              requests cut into pieces the driver takes, submitted into
 *              the driver's stream in order, kept until acknowledged and
 *              submitted again to a restarted driver of the same disk
 *   client.c   Block sessions: policy, the granted range, checks
 *   main.c     config, the block_devices report, start
 *   partition.c  GPT and MBR (portable, host tested)
 */
#ifndef BLOCK_MUX_H
#define BLOCK_MUX_H

#include <argil/component.h>
#include <argil/config.h>
#include <argil/entrypoint.h>
#include <argil/packet_stream.h>
#include <argil/ram_buf.h>
#include <argil/session_server.h>
#include <block_session.h>
#include "partition.h"

#define DISKS_MAX 8
#define REQS_MAX 256             /* requests a disk keeps */

struct client;
struct drv_session;

struct req {
	struct req *next;        /* the disk's queue, in order of submission */
	bool used;
	bool scan;               /* a read of the partition scan */
	struct client *c;        /* NULL: the partition scan, or a client that went */
	struct ps_desc cd;       /* the client's descriptor */
	unsigned op;
	uint64_t start, count;   /* absolute blocks */
	uint8_t *data;           /* the payload (client's stream or the scan buffer) */
	uint64_t sent, acked;    /* blocks submitted / acknowledged to this driver */
	unsigned inflight;       /* pieces at the driver */
	uint16_t status;
};

/* What a piece at the driver is (indexed by its offset / allocation unit). */
struct piece {
	struct req *r;
	uint64_t block;
	uint32_t bytes;
};

enum disk_state {
	DISK_SCANNING,           /* the partition table is being read */
	DISK_READY,
};

struct disk {
	bool used;
	char driver[SESSION_LABEL_MAX];   /* the driver's session label */
	char name[BLOCK_DISK_NAME_MAX];
	uint32_t block_size, max_piece;
	uint64_t count;
	word_t flags;
	enum disk_state state;
	struct drv_session *drv;          /* NULL: no driver at the moment */
	unsigned drivers;                 /* sessions it had (restarts + 1) */
	unsigned long replayed;           /* requests submitted again */
	struct req reqs[REQS_MAX];
	struct req *head, *tail;          /* pending or in flight */
	unsigned nreqs;
	struct part_scan scan;
	uint8_t *scan_buf;
	size_t scan_buf_size;
};

struct drv_session {
	struct server_session ss;
	struct disk *disk;
	char name[BLOCK_DISK_NAME_MAX];
	bool announced, streaming;
	uint32_t block_size, max_request;
	uint64_t count;
	word_t flags;
	cptr_t ds;
	uint8_t *mem;
	word_t size;
	struct ps_source src;
	struct ps_caps peer;              /* the driver's: submit ready, ack slot free */
	struct signal_handler ack_ready, slot_free;
	struct piece *pieces;             /* PS_MAX_BLOCKS */
};

extern struct disk disks[DISKS_MAX];
extern struct component_env *env;

/* driver.c */
rpc_status_t driver_serve(void);
/* Submit what can be submitted, take what was acknowledged. */
void disk_pump(struct disk *d);
/* A client request (checked, absolute blocks) into the disk's queue;
 * false when the disk keeps REQS_MAX already. */
bool disk_queue(struct disk *d, struct client *c, const struct ps_desc *cd, unsigned op,
		uint64_t start, uint64_t count, uint8_t *data);
/* A client goes: its requests complete without it. */
void disk_forget_client(struct disk *d, struct client *c);
struct disk *disk_named(const char *name);

/* client.c */
rpc_status_t client_serve(void);
/* Request r of client c is done with status. */
void client_done(struct client *c, const struct ps_desc *cd, uint16_t status);
/* The disk's table is known (or it changed): answer waiting BLOCK_INFOs,
 * take requests again. */
void clients_disk_ready(struct disk *d);
/* The disk has room for requests again. */
void clients_resume(struct disk *d);

/* main.c */
const struct cfg_node *config_policies(void);
void report_update(void);

#endif
