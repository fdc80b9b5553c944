/*
 * The Report session (os/report_rom, os/report_rom/README.md): a client
 * publishes a document (normally in the config format) under its session
 * label. The client code is os/report_rom/session/report_session.c (the
 * library report_session, LIBS := report_session).
 *
 * Session arguments: "buffer_size=N" (bytes, rounded up to pages; default:
 * the largest buffer the donation pays). Quota: REPORT_SESSION_RAM(N)
 * bytes and REPORT_SESSION_CAPS caps pay a buffer of N bytes.
 *
 *   REPORT_DATASPACE -> cap: the report buffer (a writable RAM dataspace
 *                       shared with the server); w0 its size
 *   REPORT_SUBMIT    w0 length: the first length bytes of the buffer are
 *                    the new report (length > size: INVALID_ARGUMENT); the
 *                    server copies them at once, so the client may write
 *                    the next one right away
 */
#ifndef REPORT_SESSION_H
#define REPORT_SESSION_H

#include <argil/rpc_gen.h>
#include <argil/session_server.h> /* DS_COST, PAGES */

#define REPORT_SERVICE "Report"
#define REPORT_SESSION_BASE 1024ul
#define REPORT_SESSION_CAPS 4ul
/* the buffer and the server's private snapshot of it */
#define REPORT_SESSION_RAM(bytes) (REPORT_SESSION_BASE + 2 * DS_COST(PAGES(bytes)))
#define REPORT_MAX_PAGES 4096ul   /* 16 MiB */

#define REPORT_RPC(OP, OPS)                                                             \
	OP(report_dataspace, REPORT_DATASPACE, 1, (), ((CAP, ds), (WORD, size)))        \
	OP(report_submit, REPORT_SUBMIT, 2, ((WORD_REQ, len)), ())
RPC_INTERFACE(report, REPORT_RPC);

/* A Report session through the parent with its buffer attached. */
struct reporter {
	cptr_t session;
	word_t id;
	cptr_t ds;
	char *buf;
	word_t size;
};
rpc_status_t reporter_open(struct reporter *r, const char *label, word_t size);
/* Copy len bytes into the buffer and submit them. */
rpc_status_t reporter_submit(struct reporter *r, const char *data, word_t len);
void reporter_close(struct reporter *r);

#endif
