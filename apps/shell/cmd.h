/*
 * The shell's commands (apps/shell, docs/gui.md "The shell"): a line
 * split into words, the command named by the first run with the rest.
 * Portable C: what a command needs from the system (the time, init's
 * state report, the LOG) comes through struct shell_sys, so that the
 * commands are host-tested (tests/host/shell.c) with made-up ones.
 *
 * Words are separated by spaces and tabs; "double quotes" keep spaces in
 * a word (a quote inside one is \"; a backslash elsewhere is itself). At
 * most SHELL_ARGS words; more, or an unterminated quote, is an error
 * ("shell: ..."), and nothing runs.
 */
#ifndef SHELL_CMD_H
#define SHELL_CMD_H

#include <argil/config.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SHELL_ARGS 16
#define SHELL_OUT 1024           /* output buffered before a flush */

struct shell_sys {
	void *ctx;
	/* writes output to the terminal */
	void (*write)(void *ctx, const char *s, size_t n);
	/* microseconds since the timer started; false: no time to be had */
	bool (*now_us)(void *ctx, uint64_t *us);
	/* init's state report, parsed (NULL: none, *why says why) */
	const struct cfg_node *(*state)(void *ctx, const char **why);
	/* one LOG line */
	void (*log)(void *ctx, const char *text);
};

struct shell {
	const struct shell_sys *sys;
	char out[SHELL_OUT];
	size_t out_len;
	bool quit;
};

/* Splits line (changed in place) into at most max words; returns the
 * count, or -1 (too many) or -2 (a quote not closed). */
int shell_split(char *line, char **argv, int max);
/* Runs one line (changed in place); its output through sys->write. */
void shell_run(struct shell *sh, char *line);
/* The buffered output to sys->write. */
void shell_flush(struct shell *sh);
/* Output helpers (buffered). */
void shell_puts(struct shell *sh, const char *s);
void shell_put(struct shell *sh, const char *s, size_t n);

#endif
