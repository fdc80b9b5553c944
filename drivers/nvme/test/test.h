/*
 * What the cases of nvme_block_test share (main.c, restart.c).
 */
#ifndef NVME_BLOCK_TEST_H
#define NVME_BLOCK_TEST_H

#include <block_connection.h>

#define PATTERN_AT (2u << 20)
#define INFLIGHT 32
#define STREAM (2u << 20)         /* bytes of each session's stream */

struct expect {
	char name[BLOCK_DISK_NAME_MAX];
	uint64_t block_size, blocks;
	uint64_t error_block;    /* 0: none */
};

/* A disk as this client sees it through its Block session. */
struct session {
	const char *disk;
	struct block_connection c;
	uint32_t block_size;
	uint32_t max_request;    /* the largest request we make: half the payload area */
	uint64_t count;
	word_t flags;
};

struct req {
	struct ps_desc d;
	unsigned op;
	uint64_t block;
	bool done;
	uint16_t status;
};

extern int passed, failed;

/* Word k of block b of namespace n in the pattern. */
uint64_t pattern(uint32_t nsid, uint64_t block, unsigned k);
void result(bool ok, const char *id, const char *disk, const char *what);
/* n (<= INFLIGHT) requests of op over consecutive bytes from at, all in
 * flight together, data from / into buf; true if all succeeded. */
bool transfer(struct session *s, unsigned op, uint64_t at, const uint32_t *sizes, unsigned n,
	      uint8_t *buf);
bool submit_all(struct session *s, struct req *rs, unsigned n);
bool wait_acks(struct session *s, struct req *rs, unsigned n);
/* One request (SYNC, TRIM or a malformed one): its status, 0xffff when
 * the stream failed. */
unsigned single(struct session *s, unsigned op, uint64_t block, uint32_t size);
/* restart.c: the driver restarted under requests in flight. */
void restart_test(const struct expect *x, unsigned restarts);

#endif
