/*
 * The namespaces served to the block multiplexer over Block_driver
 * sessions (serve.c).
 */
#ifndef NVME_SERVE_H
#define NVME_SERVE_H

#include <argil/entrypoint.h>
#include "nvme.h"

/* The I/O interrupt's signal handler (arg: the struct nvme); register
 * it before nvme_init and give its capability as sigh. */
void nvme_serve_irq(void *arg);
/* Open a Block_driver session per namespace of c (disk <name>n<nsid>). */
rpc_status_t nvme_serve_open(const struct nvme *c, const char *name);
/* Announce each opened disk whose namespace c has, with a stream (a DMA
 * buffer of c's Platform session) of stream bytes; then requests are
 * served from the signal handlers on ep. */
rpc_status_t nvme_serve_start(struct nvme *c, struct entrypoint *ep, size_t stream);

#endif
