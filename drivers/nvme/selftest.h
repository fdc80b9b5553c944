/*
 * The driver's self-test against the controller alone (selftest.c).
 */
#ifndef NVME_SELFTEST_H
#define NVME_SELFTEST_H

#include "nvme.h"

/* Every namespace of c (the I/O interrupt opened without a signal
 * handler); logs "nvme selftest: N passed, N failed". */
void nvme_selftest(struct nvme *c, const char *name, uint64_t hash_bytes);

#endif
