/*
 * The platform driver's shared state (docs/devices.md, "The Platform
 * session"): the devices (from the `devices` report), the sessions, what
 * each holds, and the pieces that act on them: pci.c (configuration
 * space), devices.c (the model, the reports), device.c (acquire, release,
 * registers, configuration of a held device), irq.c (MSI-X, MSI, shared
 * legacy lines), dma.c (buffers), vtd.c (the IOMMU).
 */
#ifndef PLATFORM_PLATFORM_H
#define PLATFORM_PLATFORM_H

#include <argil/config.h>
#include <argil/session_server.h>
#include <platform_session.h>
#include <stdint.h>

#define MAX_DEVICES 128
#define MAX_BARS 6
#define MAX_ISA 4                /* <io>, <mem>, <irq> nodes of an ISA device */
#define MAX_VECTORS 8            /* interrupts of a device platform hands out */
#define MAX_HELD 16              /* devices one session holds */
#define NAME_LEN 16

/* A session at the parent that platform holds (argil/parent.h); closed
 * through dev_session_close, which holds closes back during a release. */
void dev_session_close(struct parent_conn *s);
/* Closes held back during a release (device.c): set up the signal that
 * works them off after the reply in progress; work them off now. */
rpc_status_t dev_closes_init(struct entrypoint *ep);
void dev_closes_flush(void);

enum range_type { R_NONE, R_MEM32, R_MEM64, R_IO };

struct range {
	uint64_t base, size;
	enum range_type type;
	bool prefetchable;
};

struct irq_line {                /* a legacy (IOAPIC) interrupt source */
	bool present;
	unsigned gsi;
	bool level, low;
};

struct shared_line;

struct vector {                  /* one interrupt a holder asked for */
	bool used;
	int kind;                    /* PLATFORM_IRQ_* */
	struct parent_conn irq;      /* MSI, MSI-X: core's IRQ session */
	cptr_t ntfn;                 /* the client's notification */
	bool own_ntfn;               /* ntfn is platform's own (hot-plug ports) */
	struct shared_line *line;    /* legacy */
	struct vector *line_next;
	struct pdev *dev;
	bool pending;                /* legacy: signalled, not yet acked */
	uint64_t count;
};

struct pdev {
	char name[NAME_LEN];
	bool pci;
	bool present;                /* in the devices report in effect */
	unsigned bdf;
	uint16_t vendor, product;
	uint32_t class;
	struct range bar[MAX_BARS];  /* PCI: BARs; ISA: <mem> (bar) and <io> (io) */
	struct range io[MAX_ISA];
	struct irq_line legacy;      /* PCI: the routed INTx line */
	struct irq_line isa_irq[MAX_ISA];
	unsigned msi_vectors, msix_vectors;   /* as the report says (0: none) */
	unsigned msix_table_bar, msix_pba_bar;
	uint64_t msix_table_offset;
	/* found in configuration space at acquire (0: none) */
	unsigned cap_msi, cap_msix, cap_pcie;
	bool flr;
	/* what the holder has */
	struct session *holder;
	struct parent_conn iomem[MAX_BARS];
	cptr_t iomem_ds[MAX_BARS];
	bool iomem_wc[MAX_BARS];
	volatile uint8_t *iomem_va[MAX_BARS];  /* platform's own mapping (MSI-X table) */
	struct parent_conn ioport[MAX_BARS];
	cptr_t ioport_cap[MAX_BARS];
	int irq_kind;                /* -1: not chosen yet */
	struct vector vec[MAX_VECTORS];
	uint64_t faults;             /* IOMMU faults seen from it */
	bool hp_port;                /* a hot-plug port platform drives (hotplug.c) */
};

struct dma_buf {
	uint64_t addr;               /* device address */
	uint64_t phys;
	word_t size;                 /* bytes, whole pages */
	word_t cost;                 /* taken from the session's budget */
	cptr_t ds;
	struct dma_buf *next;
};

struct domain;

struct session {
	struct server_session ss;    /* label, donation, id, RPC object */
	struct pdev *held[MAX_HELD];
	struct dma_buf *bufs;
	cptr_t devices_sigh;
	cptr_t hotplug_sigh;         /* pci_config sessions: a slot changed */
	cptr_t devices_ds;
	word_t devices_pages;
	word_t devices_version;      /* what the client fetched last */
	struct domain *dom;          /* IOMMU domain (NULL without IOMMU) */
	uint64_t next_iova;
	word_t base_cost;
};

extern bool verbose;
extern struct pdev devices[MAX_DEVICES];
extern unsigned ndevices;
extern word_t devices_version;   /* changes with every new devices report or config */

/* model.c: a <device> node into d (false, with why, if it is malformed);
 * what is wrong with a <policy> node (NULL: nothing; where: the node);
 * whether a policy names a device */
bool device_parse(const struct cfg_node *n, struct pdev *d, const char **why);
const char *policy_problem(const struct cfg_node *p, const struct cfg_node **where);

/* main.c: policies */
const struct cfg_node *policy_of(const char *label);
bool policy_pci_config(const struct cfg_node *policy);
bool policy_permits(const struct cfg_node *policy, const struct pdev *d);
/* The config or the devices changed: sessions lose what their policy no
 * longer names, every session's device list is signalled. */
void sessions_changed(void);
/* Every live session (for the platform report). */
struct session *sessions_first(void);
struct session *sessions_next(struct session *s);

/* devices.c */
void devices_init(struct entrypoint *ep);
struct pdev *device_by_name(const char *name);
struct pdev *device_by_bdf(unsigned bdf);
const struct cfg_node *device_node(const struct pdev *d);
/* The devices report's nodes the policy permits, as a <devices> report. */
size_t devices_print(const struct cfg_node *policy, char *buf, size_t size);
void platform_report(void);      /* the "platform" report (if routed) */

/* device.c */
rpc_status_t device_acquire(struct session *s, struct pdev *d);
void device_release(struct pdev *d);
struct pdev *held_device(struct session *s, word_t handle);
word_t device_handle(struct session *s, struct pdev *d);
rpc_status_t device_iomem(struct pdev *d, word_t index, bool wc);
volatile uint8_t *device_map(struct pdev *d, word_t index);
rpc_status_t device_ioport(struct pdev *d, word_t index, struct range **out);
rpc_status_t device_config_read(struct pdev *d, unsigned off, unsigned width, uint32_t *value);
rpc_status_t device_config_write(struct pdev *d, unsigned off, unsigned width, uint32_t value);
/* The capability list of d into its cap_msi, cap_msix, cap_pcie, flr. */
void device_find_caps(struct pdev *d);
/* main.c: wait (on the Timer if platform has one, else a bounded spin) */
void platform_delay_ms(unsigned ms);

/* irq.c */
rpc_status_t irq_open(struct pdev *d, word_t index, struct rpc_msg *ntfn, word_t *kind);
rpc_status_t irq_open_ntfn(struct pdev *d, word_t index, cptr_t ntfn, bool own, word_t *kind);
rpc_status_t irq_ack_vector(struct pdev *d, word_t index);
void irq_close_all(struct pdev *d);
void irq_init(struct entrypoint *ep);

/* hotplug.c: PCIe hot-plug ports (native hot-plug: presence detect, data
 * link layer state, the attention button). hotplug_scan after each
 * devices report takes the ports it finds; hotplug_port_kept: d is such
 * a port (its entry must not be rebuilt); hotplug_notify_sessions is in
 * main.c. */
void hotplug_init(struct entrypoint *ep);
void hotplug_scan(void);
void hotplug_notify_sessions(void);

/* dma.c */
rpc_status_t dma_alloc(struct session *s, word_t size, word_t flags, cptr_t *ds, uint64_t *addr);
rpc_status_t dma_free(struct session *s, uint64_t addr);
void dma_free_all(struct session *s);
void dma_init(void);
/* The physical address of platform's RAM dataspace ds, contiguous over
 * size bytes (core's DMA_PHYS). */
rpc_status_t dma_phys_of(cptr_t ds, word_t size, uint64_t *phys);
bool dma_available(void);   /* core's DMA service was had */

/* dmar.c: the DMAR unit from the ACPI tables (until an acpi report names one) */
void dmar_from_tables(struct entrypoint *ep);

/* vtd.c: the IOMMU (all no-ops without one) */
bool iommu_present(void);
void iommu_init(struct entrypoint *ep, uint64_t base);
rpc_status_t iommu_domain_create(struct session *s);
void iommu_domain_destroy(struct session *s);
rpc_status_t iommu_map(struct session *s, uint64_t iova, uint64_t phys, word_t size);
void iommu_unmap(struct session *s, uint64_t iova, word_t size);
void iommu_attach(struct session *s, struct pdev *d);
void iommu_detach(struct pdev *d);
void iommu_reserved(uint64_t base, uint64_t size, unsigned bdf);
/* The end of a reserved region that [a, a + size) overlaps, 0 if none. */
uint64_t iommu_reserved_end(uint64_t a, uint64_t size);
void iommu_report(struct cfg_writer *w);  /* <iommu> and <fault> nodes */
word_t iommu_domain_cost(void);

#endif
