/*
 * Core's only thread runs on stack 0 of the root-task runtime; it makes no
 * further threads, so this one stack replaces the runtime's pool of
 * BASE_STACK_POOL (base/src/stack_pool.c, then not linked).
 */
#define base_stacks base_stacks_pool_declaration   /* thread.h declares the whole pool */
#include <argil/thread.h>
#undef base_stacks

unsigned char base_stacks[1][BASE_STACK_SIZE]
	__attribute__((section(".bss.stacks"), aligned(BASE_STACK_SIZE)));
