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
/* A Block_driver session per namespace of c, named <name>n<nsid>, with a
 * stream of stream bytes each; then requests are served from the
 * signal handlers on ep. */
rpc_status_t nvme_serve(struct nvme *c, struct entrypoint *ep, const char *name, size_t stream);

#endif
