/*
 * The AHCI host bus adapter and its ports (hba.c, port.c): the
 * controller taken over and reset, each implemented port with an ATA
 * device started, identified and driven through a queue of requests with
 * a callback each. Single-threaded: everything runs on the component's
 * entrypoint (the interrupt and the watchdog are its signals).
 *
 * Trusts the platform driver and the device as far as the hardware must
 * be trusted; checks every value it reads back (slot bits, sizes from
 * IDENTIFY, signatures).
 */
#ifndef AHCI_H
#define AHCI_H

#include <driver.h>
#include <timer_session.h>
#include "ahci_regs.h"
#include "ata.h"

struct ahci_port;
struct ahci_req;

typedef void (*ahci_done_fn)(struct ahci_req *r, bool ok);

/* One request: a read or write of count sectors at lba from/into the
 * device address dev (contiguous for the device), or a flush. */
struct ahci_req {
	enum ata_op op;
	uint64_t lba;
	uint32_t count;          /* sectors */
	uint64_t dev;            /* device address of the data */
	uint8_t raw_cmd;         /* ATA_OP_RAW only */
	ahci_done_fn done;
	void *ctx;
	/* the port's */
	struct ahci_req *next;
};

enum port_state {
	PORT_EMPTY,              /* no device, or not an ATA disk */
	PORT_READY,
	PORT_DEAD,               /* the device went away or recovery failed */
};

struct ahci_hba;

struct ahci_port {
	struct ahci_hba *hba;
	unsigned index;
	struct reg_io io;        /* this port's register block */
	enum port_state state;
	struct ata_info info;
	char name[8];            /* "sata<n>" */
	struct dma_buf mem;      /* command list, received FIS, command tables */
	struct ahci_cmd_header *list;
	volatile uint8_t *rfis;
	struct ahci_cmd_table *tables;
	unsigned slots;          /* usable command slots */
	bool ncq;                /* FPDMA queued commands in use */
	struct ahci_req *slot_req[AHCI_SLOTS_MAX];
	uint32_t in_flight;      /* slots with a command issued */
	bool in_flight_queued;   /* they are FPDMA commands */
	struct ahci_req *head, *tail;  /* waiting to be issued */
	unsigned careful;        /* after an error: requests to reissue one at a time */
	/* figures */
	uint64_t requests, errors, resets, max_in_flight;
	unsigned progress;       /* completions since the watchdog looked */
	unsigned stuck;          /* watchdog ticks without progress */
};

struct ahci_hba {
	struct platform_connection *plat;
	struct timer_connection *timer;
	struct drv_device dev;
	struct drv_mmio abar;
	struct drv_irq irq;
	uint32_t cap, pi;
	unsigned nslots;
	bool s64a;
	bool quiet;              /* a probe: log only errors */
	struct ahci_port port[AHCI_PORTS_MAX];
};

/* A log line that a probe (quiet) leaves out. */
#define HBA_LOG(h, ...)                                                                  \
	do {                                                                             \
		if (!(h)->quiet)                                                         \
			log(__VA_ARGS__);                                                \
	} while (0)

/* Take the controller over: BIOS handoff, HBA reset, AHCI mode, every
 * implemented port stopped and given its memory; then each port with a
 * device is started and identified. irq_sigh: where the controller's
 * interrupt is signalled. NULL on success, else the reason. */
const char *ahci_hba_init(struct ahci_hba *h, struct platform_connection *p,
			  struct timer_connection *t, const char *name, cptr_t irq_sigh);

/* Stop every port, free the DMA memory, release the controller. */
void ahci_hba_fini(struct ahci_hba *h);

/* The interrupt was signalled: complete what finished, recover ports in
 * error, issue what waits, acknowledge. */
void ahci_hba_irq(struct ahci_hba *h);

/* A watchdog tick (about a second apart): a port whose commands made no
 * progress for AHCI_STUCK_TICKS ticks is reset as after an error. */
#define AHCI_STUCK_TICKS 10
void ahci_hba_tick(struct ahci_hba *h);

/* Queue a request on a port (any order of completion). The callback runs
 * from ahci_hba_irq (or at once on a dead port, with ok false). */
void ahci_port_submit(struct ahci_port *p, struct ahci_req *r);

/* Port setup and recovery (port.c). */
const char *ahci_port_init(struct ahci_port *p);
const char *ahci_port_start(struct ahci_port *p);
void ahci_port_interrupt(struct ahci_port *p);
void ahci_port_kick(struct ahci_port *p);
void ahci_port_recover(struct ahci_port *p, const char *why);
/* Wait until cond(p) or us microseconds passed on the timer; true if it held. */
bool ahci_wait(struct ahci_port *p, bool (*cond)(struct ahci_port *), uint64_t us);

#endif
