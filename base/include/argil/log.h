/*
 * LOG sessions: text output, each line prefixed with the session's label
 * by the server (core: "[label] text" on the kernel console)
 * (docs/framework.md, "Core: LOG").
 *
 *   LOG_WRITE  str text (at most LOG_WRITE_MAX bytes; the server splits it
 *              at newlines and prints each line with the prefix; a missing
 *              final newline is added)
 *
 * In a component, printf() and puts() write to the component's LOG session
 * (opened by the runtime at start, label ""), one LOG_WRITE per call; log()
 * is the same with a newline added.
 */
#ifndef ARGIL_LOG_H
#define ARGIL_LOG_H

#include <argil/rpc_gen.h>

/* Quota a LOG session at core needs; the component runtime donates this. */
#define LOG_SESSION_RAM 8192
#define LOG_SESSION_CAPS 2

#define LOG_WRITE_MAX RPC_STR_MAX

#define LOG_RPC(OP, OPS) OP(log_write, LOG_WRITE, 1, ((BUF, text, LOG_WRITE_MAX)), ())
RPC_INTERFACE(log, LOG_RPC);
/* printf to the component's LOG session, newline appended */
void log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
