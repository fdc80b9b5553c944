/*
 * The stack pool of root tasks (argil/thread.h): BASE_STACK_POOL stacks of
 * BASE_STACK_SIZE bytes in .bss, stack 0 for the initial thread. A root
 * task that never makes threads with thread_create() may define its own
 * base_stacks with fewer stacks (core does: one); then this object is not
 * linked.
 */
#include <argil/thread.h>

unsigned char base_stacks[BASE_STACK_POOL][BASE_STACK_SIZE]
	__attribute__((section(".bss.stacks"), aligned(BASE_STACK_SIZE)));
