/*
 * What the isolation test's parent (core/test/isolation.c) and its
 * neighbour component share: one page the parent attaches in both, at
 * ISO_SHARED in the neighbour.
 */
#ifndef ISOLATION_H
#define ISOLATION_H

#include <argil/abi.h>

#define ISO_SHARED 0x20000000ul   /* the page's address in the neighbour */
#define ISO_NTFN_SLOT 9           /* the parent's notification, signalled after every round */
#define ISO_MAGIC 0x6e6569676862ul

struct iso_shared {
	volatile word_t magic;        /* written by the neighbour once it found the page */
	volatile word_t rounds;       /* self-checks passed so far */
	volatile word_t errors;       /* self-checks failed */
	volatile word_t last_error;   /* which check failed last (ISO_E_*) */
	volatile word_t worker;       /* its worker thread's counter */
};

enum iso_error {
	ISO_E_MEMORY = 1,    /* its private RAM lost its pattern */
	ISO_E_HEAP,          /* its heap block lost its pattern */
	ISO_E_ROM,           /* its ROM's content changed */
	ISO_E_QUOTA,         /* its account at core changed */
	ISO_E_NTFN,          /* its own notification is gone or lost a signal */
	ISO_E_LOG,           /* its LOG session refused a line */
	ISO_E_WORKER,        /* its worker thread did not advance */
	ISO_E_CAPS,          /* a capability of its well-known slots changed type */
};

#endif
