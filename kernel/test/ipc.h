/*
 * What the IPC test files share (ipc.c, ipc_caps.c, ipc_fastpath.c).
 */
#ifndef KERNEL_TEST_IPC_H
#define KERNEL_TEST_IPC_H

#include "test.h"

#define RW (RIGHT_READ | RIGHT_WRITE)
#define MSG_LABEL 0x33

/* Worker results live in the worker's thread_info->user[] (root-visible). */
#define RESULT(i) (thread_self()->user[i])

/* Thread body: Recv on ep, the info, badge, mr0 and mr3 to RESULT(0..3),
 * then signal done. */
word_t recv_store(word_t ep, word_t done);
/* The root's receive slot for caps (IPC buffer). */
void set_recv_slot(cptr_t cnode, word_t index, word_t depth);

#endif
