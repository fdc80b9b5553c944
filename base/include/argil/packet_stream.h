/*
 * The packet stream (docs/devices.md, "The packet stream"): bulk data
 * between a source (the client: a file system, a network stack, an input
 * driver) and a sink (the server: a block multiplexer, nic_router, the
 * event server) through one shared dataspace, without copies through the
 * kernel. Block, Nic and File_system sessions build on it.
 *
 * The dataspace holds, in this order:
 *
 *   struct ps_header    geometry (written once by whoever sets it up) and
 *                       the four ring indices, each on its own cache line
 *   submit ring         nslots descriptors, source -> sink
 *   ack ring            nslots descriptors, sink -> source
 *   payload area        payload_size bytes; the source owns its allocator
 *
 * Each ring is a lock-free single-producer/single-consumer queue of
 * struct ps_desc (offset and size of a payload range, an opcode, a status
 * the sink sets, an opaque tag the sink echoes). The producer owns the
 * ring's tail index, the consumer its head; both are free-running 32-bit
 * counters (tail - head = entries queued), nslots a power of two.
 *
 * Trust: each side trusts nothing the other side writes. The geometry is
 * checked against the dataspace's size once (ps_source_init /
 * ps_sink_init) and kept in private memory; each side keeps its own index
 * privately and only publishes it; the other side's index is re-checked
 * on every read (it may only move forward, by at most nslots), and a
 * descriptor is copied out of the ring before it is checked. A sink
 * rejects a descriptor whose range leaves the payload area
 * (PS_E_BAD_DESC: it acknowledges it with status PS_STATUS_BAD_DESC and
 * never touches memory for it); a source rejects an acknowledgement that
 * does not name a packet it has in flight (PS_E_BAD_DESC: nothing is
 * freed). An index that moved impossibly is PS_E_CORRUPT and the stream
 * is dead for that side from then on (every call returns it).
 *
 * Signals: the four conditions (ps_cond) are signalled through a callback
 * that each side gives (in components: ps_signal_caps, which sends to the
 * notification capability of each condition, below). A side signals only
 * when the other side may be waiting: submit/ack ready when it put an
 * entry into a ring the consumer had emptied, a slot free when it took an
 * entry out of a ring that was full. A side that drains a ring until it
 * is empty before it waits therefore never misses an entry; spurious
 * signals are possible and harmless.
 *
 * Threads: one thread per side at a time (single producer, single
 * consumer per ring).
 */
#ifndef ARGIL_PACKET_STREAM_H
#define ARGIL_PACKET_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PS_MAGIC 0x4d525453544b5450ull   /* "PKTSTRM" */
#define PS_VERSION 1u
#define PS_MIN_SLOTS 2u
#define PS_MAX_SLOTS 4096u
#define PS_MAX_BLOCKS 4096u      /* allocation units of the source's payload allocator */
#define PS_MIN_BLOCK 64u

/* One descriptor (32 bytes). */
struct ps_desc {
	uint64_t offset;         /* into the payload area */
	uint32_t size;           /* bytes */
	uint16_t opcode;         /* the session's own operation numbers */
	uint16_t status;         /* set by the sink in the acknowledgement */
	uint64_t tag;            /* the source's; echoed by the sink */
	uint64_t arg;            /* a further word for the session (e.g. a block number) */
};

/* Status of an acknowledgement (sessions may add their own from 16 on). */
enum ps_status {
	PS_STATUS_OK = 0,
	PS_STATUS_BAD_DESC = 1,  /* the sink rejected the descriptor's range */
	PS_STATUS_BAD_OPCODE = 2,
	PS_STATUS_ERROR = 3,     /* the operation failed */
};

/* A ring's indices, each on its own cache line. */
struct ps_ring_ctl {
	volatile uint32_t head;  /* consumer's: entries taken */
	uint8_t pad0[60];
	volatile uint32_t tail;  /* producer's: entries put */
	uint8_t pad1[60];
};

struct ps_header {
	uint64_t magic;
	uint32_t version;
	uint32_t nslots;         /* per ring, a power of two */
	uint64_t payload_offset; /* from the start of the dataspace */
	uint64_t payload_size;
	uint8_t pad[32];
	struct ps_ring_ctl submit;
	struct ps_ring_ctl ack;
};

/* Results of the packet stream's calls. */
typedef enum ps_error {
	PS_OK = 0,
	PS_E_EMPTY = 1,          /* nothing to take */
	PS_E_FULL = 2,           /* no slot to put into */
	PS_E_NO_SPACE = 3,       /* the payload allocator has no room of that size */
	PS_E_BAD_DESC = 4,       /* a descriptor from the other side names memory it may not */
	PS_E_CORRUPT = 5,        /* the other side moved an index impossibly; stream dead */
	PS_E_LAYOUT = 6,         /* the header does not fit the dataspace */
	PS_E_INVALID = 7,        /* a bad argument from the caller itself */
} ps_error_t;

const char *ps_error_name(ps_error_t e);

/* The four signal conditions. */
enum ps_cond {
	PS_SUBMIT_READY = 0,     /* source -> sink: the submit ring has entries */
	PS_SUBMIT_SLOT_FREE = 1, /* sink -> source: the submit ring has room */
	PS_ACK_READY = 2,        /* sink -> source: the ack ring has entries */
	PS_ACK_SLOT_FREE = 3,    /* source -> sink: the ack ring has room */
	PS_CONDS = 4,
};

typedef void (*ps_notify_fn)(void *arg, enum ps_cond cond);

/* One side's private view of a ring. */
struct ps_ring {
	struct ps_ring_ctl *ctl;
	struct ps_desc *slots;
	uint32_t nslots;
	uint32_t mine;           /* our index (tail as producer, head as consumer) */
	uint32_t theirs;         /* the other side's index as last checked */
};

/* Common to both sides. */
struct ps_end {
	uint8_t *base;           /* the attached dataspace */
	uint8_t *payload;
	uint64_t payload_size;
	uint32_t nslots;
	bool dead;               /* PS_E_CORRUPT seen */
	struct ps_ring submit, ack;
	ps_notify_fn notify;     /* may be NULL */
	void *notify_arg;
};

/* The source: submits into the submit ring, takes from the ack ring, owns
 * the payload allocator (private memory: the sink cannot disturb it). */
struct ps_source {
	struct ps_end e;
	uint32_t block_size;     /* allocation unit, a power of two */
	uint32_t nblocks;
	uint32_t in_flight;      /* allocated packets */
	uint64_t used[PS_MAX_BLOCKS / 64];  /* block in use */
	uint64_t last[PS_MAX_BLOCKS / 64];  /* block ends a packet */
	uint64_t flight[PS_MAX_BLOCKS / 64]; /* first block of a submitted, unacked packet */
	uint32_t hint;           /* where the next search starts */
};

struct ps_sink {
	struct ps_end e;
};

/* The bytes a dataspace needs for nslots slots per ring and payload
 * bytes of payload. */
size_t ps_layout_size(uint32_t nslots, uint64_t payload);

/* Write a fresh header (zero indices) into mem of size bytes, with nslots
 * slots per ring and the rest (from a 64-byte aligned offset) as payload:
 * the one who allocates the dataspace does this before handing it out. */
ps_error_t ps_format(void *mem, size_t size, uint32_t nslots);

/* Attach to a formatted dataspace at mem of size bytes (the size the
 * dataspace really has, from DS_INFO, not what the header says). */
ps_error_t ps_source_init(struct ps_source *s, void *mem, size_t size, ps_notify_fn notify,
			  void *notify_arg);
ps_error_t ps_sink_init(struct ps_sink *k, void *mem, size_t size, ps_notify_fn notify,
			void *notify_arg);

/* ---- source ---- */

/* Allocate size bytes (> 0) of payload: d->offset and d->size are set,
 * the rest zeroed. PS_E_NO_SPACE when no run of blocks is free. */
ps_error_t ps_alloc(struct ps_source *s, uint32_t size, struct ps_desc *d);
/* Free a packet the source allocated and did not submit (or whose
 * acknowledgement it took). PS_E_BAD_DESC if d names no allocated packet. */
ps_error_t ps_free(struct ps_source *s, const struct ps_desc *d);
/* The packet's payload in our mapping (d checked against the area). */
void *ps_payload(struct ps_end *e, const struct ps_desc *d);
/* Put d into the submit ring: PS_E_FULL when no slot is free. */
ps_error_t ps_submit(struct ps_source *s, const struct ps_desc *d);
/* Take the next acknowledgement: PS_E_EMPTY when there is none;
 * PS_E_BAD_DESC when it names no packet in flight (it is taken out of the
 * ring and reported in *d, nothing is freed). The packet stays allocated
 * until ps_free (the source reads the payload first). */
ps_error_t ps_get_ack(struct ps_source *s, struct ps_desc *d);
/* Whether the submit ring has a free slot / the ack ring an entry. */
bool ps_submit_has_room(struct ps_source *s);
bool ps_ack_available(struct ps_source *s);

/* ---- sink ---- */

/* Take the next submitted packet: PS_E_EMPTY when there is none. A
 * descriptor whose range leaves the payload area is PS_E_BAD_DESC: it is
 * taken out of the ring and returned in *d so that the caller acknowledges
 * it (ps_reject); the caller must not touch its payload. */
ps_error_t ps_get_packet(struct ps_sink *k, struct ps_desc *d);
/* Put an acknowledgement into the ack ring: PS_E_FULL when no slot. */
ps_error_t ps_ack(struct ps_sink *k, const struct ps_desc *d);
/* Acknowledge a rejected descriptor: size 0, status PS_STATUS_BAD_DESC. */
ps_error_t ps_reject(struct ps_sink *k, const struct ps_desc *d);
bool ps_packet_available(struct ps_sink *k);
bool ps_ack_has_room(struct ps_sink *k);

/* ---- signals in components (base/src/packet_stream_signal.c) ---- */

/* The notification capability to signal for each condition (0: none);
 * pass ps_signal_caps as the notify function and the struct as its arg. */
struct ps_caps {
	uint64_t cap[PS_CONDS];
};
void ps_signal_caps(void *caps, enum ps_cond cond);

#endif
