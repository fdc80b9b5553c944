/*
 * shell (docs/gui.md, "The shell"): a small command shell of Argil's own
 * in a Terminal session (servers/terminal): a prompt, the line editor of
 * line.h and the commands of cmd.h. What the commands need comes from
 * sessions of its parent: Timer (uptime), ROM "state" (ps: init's state
 * report, <report child_ram="yes" child_caps="yes"/>, routed to it as
 * run/config/desktop_top.config does), LOG (log). Without the ROM or the
 * timer, those commands say so; without a Terminal session the shell
 * exits.
 *
 * Trusts its parent and the terminal for what they serve; typed bytes of
 * any kind only edit the line (line.h), a report's text is shown with its
 * control characters replaced (cmd.c).
 */
#include <argil/component.h>
#include <argil/config_rom.h>
#include <argil/log.h>
#include <argil/string.h>
#include <terminal_session.h>
#include <timer_session.h>
#include "cmd.h"
#include "line.h"

#define PROMPT "$ "

static struct component_env *env;
static struct terminal_connection term;
static struct timer_connection timer;
static bool have_timer, have_state;
static rpc_status_t timer_status, state_status;
static struct config_rom state;
static struct signal_handler term_sig;
static struct line_editor ed;
static struct shell sh;
static char in[TERMINAL_IO_SIZE];
static word_t cols, rows;

static void term_write(void *ctx, const char *s, size_t n)
{
	rpc_status_t st;

	(void)ctx;
	st = terminal_write_all(&term, s, n);
	if (st != RPC_OK)
		log("error: terminal write: %s", rpc_status_name(st));
}

static bool now_us(void *ctx, uint64_t *us)
{
	word_t t, expiries;

	(void)ctx;
	if (!have_timer || timer_elapsed(timer.session, &t, &expiries) != RPC_OK)
		return false;
	*us = t;
	return true;
}

static const struct cfg_node *state_node(void *ctx, const char **why)
{
	(void)ctx;
	if (!have_state) {
		*why = rpc_status_name(state_status);
		return 0;
	}
	if (!config_rom_update(&state)) {
		*why = state.heap_failed ? "out of memory" : state.err.msg ? state.err.msg : "the ROM is empty";
		return 0;
	}
	return state.node;
}

static void log_line(void *ctx, const char *text)
{
	(void)ctx;
	log("%s", text);
}

static const struct shell_sys sys = {
	.write = term_write,
	.now_us = now_us,
	.state = state_node,
	.log = log_line,
};

static void flush_editor(void)
{
	if (ed.out_len)
		term_write(0, ed.out, ed.out_len);
	ed.out_len = 0;
}

static void check_size(void)
{
	word_t c, r;

	if (terminal_size(term.session, &c, &r) != RPC_OK)
		return;
	rows = r;
	if (c == cols)
		return;
	cols = c;
	le_set_width(&ed, (int)c);
}

static void on_terminal(void *arg)
{
	(void)arg;
	check_size();
	for (;;) {
		size_t n;
		rpc_status_t st = terminal_read_some(&term, in, sizeof(in), &n);

		if (st != RPC_OK) {
			log("error: terminal read: %s", rpc_status_name(st));
			return;
		}
		if (!n)
			break;
		for (size_t i = 0; i < n; i++) {
			enum le_result r = le_feed(&ed, (uint8_t)in[i]);

			flush_editor();
			if (r == LE_LINE) {
				static char line[LINE_MAX_ + 1];
				memcpy(line, le_line(&ed), strlen(le_line(&ed)) + 1);
				shell_run(&sh, line);
				le_redraw(&ed);
				flush_editor();
			} else if (r == LE_CLEAR) {
				term_write(0, "\x1b[H\x1b[2J", 7);
				le_redraw(&ed);
				flush_editor();
			}
		}
	}
}

void component_construct(struct component_env *e)
{
	rpc_status_t st;

	env = e;
	sh.sys = &sys;
	timer_status = timer_connect(&timer, "");
	have_timer = timer_status == RPC_OK;
	if (!have_timer)
		log("no Timer session (%s): uptime will say so", rpc_status_name(timer_status));
	state_status = config_rom_open(&state, "state", 0, 0, 0);
	have_state = state_status == RPC_OK;
	if (!have_state)
		log("no ROM state (%s): ps will say so", rpc_status_name(state_status));
	if ((st = signal_handler_init(&env->ep, &term_sig, on_terminal, 0)) != RPC_OK) {
		log("error: signal handler: %s", rpc_status_name(st));
		component_exit(2);
	}
	st = terminal_connect(&term, "", term_sig.cap);
	if (st != RPC_OK) {
		log("error: no Terminal session: %s", rpc_status_name(st));
		component_exit(2);
	}
	le_init(&ed, PROMPT, 80);
	check_size();
	/* bracketed paste on: pasted text is inserted, never run */
	term_write(0, "\x1b[?2004h", 8);
	term_write(0, "Argil shell: 'help' lists the commands\r\n", 40);
	le_redraw(&ed);
	flush_editor();
	log("shell: started in a terminal of %lux%lu cells", (unsigned long)cols, (unsigned long)rows);
}
