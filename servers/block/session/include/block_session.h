/*
 * The Block interfaces (servers/block, docs/storage.md): block devices
 * behind the block multiplexer `block`.
 *
 *   disk driver ──Block_driver session──> block ──Block sessions──> file systems
 *   (virtio_blk, ahci, nvme: clients)     (GPT/MBR, policy,          (ext2, fat,
 *                                          in-flight replay)          fs_tool, tests)
 *
 * Both sessions move requests through a packet stream
 * (argil/packet_stream.h). One request is one descriptor:
 *
 *   opcode  BLOCK_OP_READ, BLOCK_OP_WRITE, BLOCK_OP_SYNC, BLOCK_OP_TRIM
 *   arg     the first block (relative to what the session sees)
 *   offset, size   the payload range; size is a multiple of the block size
 *           (READ: filled by the sink; WRITE: read by the sink; TRIM: size
 *           tells the number of blocks, the payload is not touched, its
 *           range still must lie in the payload area; SYNC: size 0, arg 0)
 *   tag     the source's, echoed
 *   status  in the acknowledgement: PS_STATUS_OK, or a failure:
 *           PS_STATUS_BAD_DESC (range outside the payload area),
 *           PS_STATUS_BAD_OPCODE, BLOCK_STATUS_RANGE (blocks beyond the
 *           device or not a whole number of blocks), BLOCK_STATUS_READONLY
 *           (a write or trim on a read-only session), PS_STATUS_ERROR (the
 *           device reported an error).
 *
 * Ordering: requests may complete in any order, and the sink may reorder
 * and batch them. A SYNC is acknowledged only when every write that was
 * acknowledged before the SYNC was submitted is on the medium (the sink
 * flushes the device's volatile cache). A source that needs an order
 * between two writes waits for the first one's acknowledgement.
 *
 * ---- Block (clients of the multiplexer) ----
 * The multiplexer is the sink, the client the source. The server allocates
 * and formats the stream's dataspace from the session's donation.
 *
 *   BLOCK_INFO    -> w0 block size in bytes, w1 block count, w2 flags
 *                    (BLOCK_WRITABLE, BLOCK_TRIM)
 *   BLOCK_STREAM  -> cap: the stream's dataspace (RAM, writable), w0 size
 *   BLOCK_SIGH    w0 condition (PS_ACK_READY or PS_SUBMIT_SLOT_FREE), cap:
 *                 the client's notification for it
 *   BLOCK_CAP     w0 condition (PS_SUBMIT_READY or PS_ACK_SLOT_FREE)
 *                 -> cap: the server's notification for it
 *
 *   Session arguments: "size=N" (bytes of the stream's dataspace, default
 *   BLOCK_STREAM_DEFAULT, at most BLOCK_STREAM_MAX), "slots=N" (per ring,
 *   default 64). Quota: BLOCK_SESSION_RAM(size), BLOCK_SESSION_CAPS.
 *   What a client sees (a whole disk or one partition, writable or not)
 *   is the multiplexer's policy for its label (docs/storage.md).
 *
 * ---- Block_driver (drivers, clients of the multiplexer) ----
 * A driver opens one Block_driver session per disk it drives. Here the
 * roles are turned: the multiplexer is the source (it submits the
 * requests), the driver the sink. The driver allocates the stream's
 * dataspace itself, normally as a DMA buffer from its Platform session so
 * that the device transfers straight from and into the payload area, and
 * formats it (ps_format) before it hands it over.
 *
 *   BLKDRV_ANNOUNCE  w0 block size (a power of two, 512..65536), w1 block
 *                    count, w2 flags (BLOCK_WRITABLE, BLOCK_TRIM), w3 the
 *                    largest request in bytes the driver takes (0: the
 *                    payload area's size)
 *   BLKDRV_STREAM    cap: the stream's dataspace (the driver's, formatted)
 *   BLKDRV_SIGH      w0 condition (PS_SUBMIT_READY or PS_ACK_SLOT_FREE),
 *                    cap: the driver's notification for it
 *   BLKDRV_CAP       w0 condition (PS_ACK_READY or PS_SUBMIT_SLOT_FREE)
 *                    -> cap: the multiplexer's notification for it
 *
 *   Session arguments: "disk=NAME" (the driver's name for the disk, e.g.
 *   "vd0", "sata0", "nvme0n1"; letters, digits, '_' and '-', at most 31).
 *   The multiplexer knows a disk by the driver's label and this name: a
 *   restarted driver that opens a session for the same disk (same size)
 *   gets every request that was in flight when its predecessor died,
 *   again, in order of submission. A driver must therefore treat every
 *   request as possibly already done once (reads and writes of blocks are
 *   idempotent; a SYNC is repeated). Quota: BLKDRV_SESSION_RAM,
 *   BLKDRV_SESSION_CAPS (the stream's memory is the driver's own).
 */
#ifndef BLOCK_SESSION_H
#define BLOCK_SESSION_H

#include <argil/packet_stream.h>
#include <argil/rpc_gen.h>
#include <argil/session_server.h>
#include <stdint.h>

#define BLOCK_SERVICE "Block"
#define BLKDRV_SERVICE "Block_driver"

enum block_opcode {
	BLOCK_OP_READ = 1,
	BLOCK_OP_WRITE = 2,
	BLOCK_OP_SYNC = 3,
	BLOCK_OP_TRIM = 4,
};

enum block_status {
	BLOCK_STATUS_RANGE = 16,
	BLOCK_STATUS_READONLY = 17,
};

enum block_flags {
	BLOCK_WRITABLE = 1u << 0,
	BLOCK_TRIM = 1u << 1,
};

#define BLOCK_STREAM_DEFAULT (1ul << 20)
#define BLOCK_STREAM_MAX (16ul << 20)
#define BLOCK_SESSION_BASE_RAM 4096ul
#define BLOCK_SESSION_RAM(bytes) (BLOCK_SESSION_BASE_RAM + DS_COST(PAGES(bytes)))
#define BLOCK_SESSION_CAPS 8ul
#define BLKDRV_SESSION_RAM 16384ul
#define BLKDRV_SESSION_CAPS 8ul
#define BLOCK_DISK_NAME_MAX 32

#define BLOCK_RPC(OP, OPS)                                                              \
	OP(block_info, BLOCK_INFO, 1, (),                                               \
	   ((WORD, block_size), (WORD, count), (WORD, flags)))                          \
	OP(block_stream, BLOCK_STREAM, 2, (), ((CAP, ds), (WORD, size)))                \
	OP(block_sigh, BLOCK_SIGH, 3, ((WORD_REQ, cond), (CAP, ntfn)), ())              \
	OP(block_cap, BLOCK_CAP, 4, ((WORD_REQ, cond)), ((CAP, ntfn)))
RPC_INTERFACE(block, BLOCK_RPC);

#define BLKDRV_RPC(OP, OPS)                                                             \
	OP(blkdrv_announce, BLKDRV_ANNOUNCE, 1,                                         \
	   ((WORD_REQ, block_size), (WORD_REQ, count), (WORD_REQ, flags),               \
	    (WORD, max_request)), ())                                                   \
	OP(blkdrv_stream, BLKDRV_STREAM, 2, ((CAP, ds)), ())                            \
	OP(blkdrv_sigh, BLKDRV_SIGH, 3, ((WORD_REQ, cond), (CAP, ntfn)), ())            \
	OP(blkdrv_cap, BLKDRV_CAP, 4, ((WORD_REQ, cond)), ((CAP, ntfn)))
RPC_INTERFACE(blkdrv, BLKDRV_RPC);

#endif
