/*
 * The Packet_sink test service (tests/packet_stream/sink): the sink
 * of a packet stream (argil/packet_stream.h) for run/packet_stream_test
 * and the packet_stream_4k benchmark. It inverts every byte of each packet
 * it takes (opcode PSINK_OP_INVERT) and acknowledges it; it can be told to
 * pause, or to misbehave as a hostile sink would.
 *
 * How a session sets up a packet stream (Block, Nic and File_system
 * sessions will do the same): the server allocates and formats the
 * dataspace from the session's donation and hands it out; each side
 * registers, for the two conditions it waits for, a notification
 * capability with the other side.
 *
 *   PSINK_STREAM  -> cap: the stream's dataspace (RAM, writable), w0 size
 *   PSINK_SIGH    w0 condition (PS_ACK_READY or PS_SUBMIT_SLOT_FREE), cap:
 *                 the client's notification for it
 *   PSINK_CAP     w0 condition (PS_SUBMIT_READY or PS_ACK_SLOT_FREE)
 *                 -> cap: the sink's notification for it
 *   PSINK_MODE    w0 enum psink_mode
 *   PSINK_STATS   -> w0 packets processed, w1 rejected (bad descriptors),
 *                 w2 1 if the stream is dead for the sink (PS_E_CORRUPT)
 *
 * Session arguments: "size=N" (bytes of the dataspace, default 64 KiB,
 * at most 4 MiB), "slots=N" (per ring, default 16). Quota: PSINK_RAM(N).
 */
#ifndef PACKET_SINK_H
#define PACKET_SINK_H

#include <argil/packet_stream.h>
#include <argil/rpc_gen.h>
#include <argil/session_server.h>

#define PSINK_SERVICE "Packet_sink"
#define PSINK_BASE_RAM 2048ul
#define PSINK_RAM(bytes) (PSINK_BASE_RAM + DS_COST(PAGES(bytes)))
#define PSINK_CAPS 8ul
#define PSINK_MAX_SIZE (4ul << 20)
#define PSINK_OP_INVERT 1

enum psink_mode {
	PSINK_NORMAL = 0,
	PSINK_PAUSED = 1,        /* take nothing until normal again */
	PSINK_ACK_WRONG = 2,     /* acknowledge each packet at a wrong offset */
	PSINK_ACK_TWICE = 3,     /* acknowledge each packet twice */
};

#define PSINK_RPC(OP, OPS)                                                             \
	OP(psink_stream, PSINK_STREAM, 1, (), ((CAP, ds), (WORD, size)))               \
	OP(psink_sigh, PSINK_SIGH, 2, ((WORD_REQ, cond), (CAP, ntfn)), ())             \
	OP(psink_cap, PSINK_CAP, 3, ((WORD_REQ, cond)), ((CAP, ntfn)))                 \
	OP(psink_mode, PSINK_MODE, 4, ((WORD_REQ, mode)), ())                          \
	OP(psink_stats, PSINK_STATS, 5, (),                                            \
	   ((WORD, processed), (WORD, rejected), (WORD, dead)))
RPC_INTERFACE(psink, PSINK_RPC);

#endif
