#define _GNU_SOURCE
// sources: apps/shell/line.c apps/shell/cmd.c base/src/config_parse.c base/src/config_query.c
// cflags: -Iapps/shell -Iservers/terminal/session/include
/*
 * Host unit tests of the shell (apps/shell): the line editor (typing,
 * moving, deleting, the history, ^C, a bracketed paste, stray escape
 * sequences and bytes, the length cap) and the commands (splitting into
 * words, help, echo, clear, ps from a state report, uptime, colors, log,
 * an unknown command, bad input).
 *
 * Area: SHELL.
 */
#include <harness.h>
#include <stdio.h>
#include <string.h>
#include "cmd.h"
#include "line.h"

static struct line_editor ed;

/* Feeds s; the result of its last byte; the output is dropped. */
static enum le_result type(const char *s)
{
	enum le_result r = LE_NONE;

	for (; *s; s++) {
		r = le_feed(&ed, (uint8_t)*s);
		CHECK(ed.out_len <= sizeof(ed.out));
	}
	ed.out_len = 0;
	return r;
}

#define CHECK_LINE(s, p) CHECK_MSG(!strcmp(ed.buf, s) && ed.pos == (p), "line \"%s\" at %zu, not \"%s\" at %d", \
				   ed.buf, ed.pos, s, p)

TEST(SHELL_0001, "typing inserts at the cursor, Left/Right/Home/End move, Backspace and Delete delete")
{
	le_init(&ed, "$ ", 80);
	CHECK(type("helo") == LE_NONE);
	CHECK_LINE("helo", 4);
	type("\x1b[D");
	type("l");
	CHECK_LINE("hello", 4);
	type("\x1b[H");
	CHECK_LINE("hello", 0);
	type("\x1b[C\x1b[C");
	CHECK_LINE("hello", 2);
	type("\x1b[3~");            /* Delete */
	CHECK_LINE("helo", 2);
	type("\x7f");               /* Backspace */
	CHECK_LINE("hlo", 1);
	type("\x1b[F");
	CHECK_LINE("hlo", 3);
	type("\x1b[1~");            /* Home as CSI 1 ~ */
	CHECK_LINE("hlo", 0);
	type("\x1bOF");             /* End as SS3 F */
	CHECK_LINE("hlo", 3);
	type("\x01");               /* ^A */
	CHECK_LINE("hlo", 0);
	type("\x7f\x1b[D");         /* nothing before the start */
	CHECK_LINE("hlo", 0);
	type("\x05\x1b[C\x1b[3~");  /* ^E; nothing after the end */
	CHECK_LINE("hlo", 3);
	type("\x08");               /* ^H */
	CHECK_LINE("hl", 2);
}

TEST(SHELL_0002, "Enter ends the line, the redraw shows prompt, line and cursor column")
{
	le_init(&ed, "$ ", 80);
	type("ab");
	le_feed(&ed, 'c');
	CHECK_MSG(ed.out_len == strlen("\r$ abc\x1b[K\r\x1b[5C") && !memcmp(ed.out, "\r$ abc\x1b[K\r\x1b[5C", ed.out_len),
	          "redraw '%.*s'", (int)ed.out_len, ed.out);
	ed.out_len = 0;
	CHECK(type("\r") == LE_LINE);
	CHECK(!strcmp(le_line(&ed), "abc"));
	CHECK_LINE("", 0);
	CHECK(type("x\n") == LE_LINE);
	CHECK(!strcmp(le_line(&ed), "x"));
}

TEST(SHELL_0003, "^U erases to the start, ^K to the end, ^C drops the line with ^C shown")
{
	le_init(&ed, "$ ", 80);
	type("one two\x1b[D\x1b[D\x1b[D");
	CHECK_LINE("one two", 4);
	type("\x15");
	CHECK_LINE("two", 0);
	type("\x1b[C\x0b");
	CHECK_LINE("t", 1);
	type("xyz");
	le_feed(&ed, 3);
	CHECK_LINE("", 0);
	CHECK(ed.out_len >= 4 && memmem(ed.out, ed.out_len, "^C\r\n", 4));
	ed.out_len = 0;
	CHECK(type("\x0c") == LE_CLEAR);
}

TEST(SHELL_0004, "Up/Down walk the history, the line being typed comes back, duplicates and blanks are not kept")
{
	le_init(&ed, "$ ", 80);
	type("first\r");
	type("second\r");
	type("second\r");
	type("   \r");
	CHECK_EQ(ed.hist_count, 2);
	type("draft");
	type("\x1b[A");
	CHECK_LINE("second", 6);
	type("\x1b[A");
	CHECK_LINE("first", 5);
	type("\x1b[A");             /* no older one */
	CHECK_LINE("first", 5);
	type("\x1bOB");             /* Down as SS3 */
	CHECK_LINE("second", 6);
	type("\x1b[B");
	CHECK_LINE("draft", 5);
	type("\x1b[B");
	CHECK_LINE("draft", 5);
	/* an edited entry is a new line; the entry itself stays */
	type("\x15\x1b[A!\r");
	CHECK(!strcmp(le_line(&ed), "second!"));
	type("\x1b[A\x1b[A");
	CHECK_LINE("second", 6);
	/* more than LINE_HISTORY lines: the oldest go */
	le_init(&ed, "$ ", 80);
	for (int i = 0; i < LINE_HISTORY + 5; i++) {
		char l[16];
		snprintf(l, sizeof(l), "l%d\r", i);
		type(l);
	}
	CHECK_EQ(ed.hist_count, LINE_HISTORY);
	for (int i = 0; i < LINE_HISTORY + 3; i++)
		type("\x1b[A");
	CHECK_LINE("l5", 2);
}

TEST(SHELL_0005, "the line never gets wider than the terminal: a character too many rings the bell")
{
	le_init(&ed, "$ ", 10);     /* 10 columns: prompt 2, line at most 7 */
	CHECK_EQ(le_capacity(&ed), 7u);
	type("1234567");
	CHECK_LINE("1234567", 7);
	le_feed(&ed, '8');
	CHECK_LINE("1234567", 7);
	CHECK(ed.out_len == 1 && ed.out[0] == '\a');
	ed.out_len = 0;
	/* a narrower terminal cuts the line */
	le_set_width(&ed, 6);
	CHECK_LINE("123", 3);
	/* a wide character takes two columns */
	le_init(&ed, "$ ", 10);
	type("12345\xe4\xb8\xad");
	CHECK_LINE("12345\xe4\xb8\xad", 8);
	CHECK_EQ(le_columns(ed.buf, ed.len), 7);
	type("\xe4\xb8\xad");
	CHECK_LINE("12345\xe4\xb8\xad", 8);
	/* a terminal too narrow for the prompt: nothing fits */
	le_init(&ed, "$ ", 2);
	type("abc");
	CHECK_LINE("", 0);
	/* the whole of LINE_MAX_ on a wide terminal, and no more */
	le_init(&ed, "$ ", 500);
	for (int i = 0; i < LINE_MAX_ + 20; i++)
		le_feed(&ed, 'x');
	CHECK_EQ(ed.len, (size_t)LINE_MAX_);
	ed.out_len = 0;
}

TEST(SHELL_0006, "UTF-8 moves by characters; stray sequences, bytes and controls change nothing")
{
	le_init(&ed, "$ ", 80);
	type("a\xc3\xbc" "b");
	type("\x1b[D\x1b[D");
	CHECK_LINE("a\xc3\xbc" "b", 1);
	type("\x1b[3~");
	CHECK_LINE("ab", 1);
	/* unknown CSI, a long CSI, ESC x, OSC-ish junk, C0 controls, stray continuation bytes */
	type("\x1b[12;34;56;78;90;12;34;56;78;90;12;34Z\x1b[99q\x1bx\x02\x06\x80\xbf\xff\x1b[?25h\t");
	CHECK_LINE("ab", 1);
	/* a cut-short UTF-8 character: dropped, the next byte counts */
	type("\xc3Z");
	CHECK_LINE("aZb", 2);
	/* a CSI broken by a control character: the control acts */
	CHECK(type("\x1b[1\r") == LE_LINE);
	CHECK(!strcmp(le_line(&ed), "aZb"));
}

TEST(SHELL_0007, "a bracketed paste is inserted as text: line breaks as spaces, nothing runs")
{
	le_init(&ed, "$ ", 80);
	CHECK(type("\x1b[200~echo one\r\ntwo\tthree\x1b\x1b[201~") == LE_NONE);
	CHECK_LINE("echo one  two three", 19);
	CHECK(type("\r") == LE_LINE);
	CHECK(!strcmp(le_line(&ed), "echo one  two three"));
}

/* ---- commands ---- */

static char output[8192];
static size_t out_len;
static char logged[512];
static const char *state_text;
static char arena[65536];
static bool have_time;

static void w(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	CHECK(out_len + n < sizeof(output));
	memcpy(output + out_len, s, n);
	out_len += n;
	output[out_len] = 0;
}

static bool now(void *ctx, uint64_t *us)
{
	(void)ctx;
	*us = 3723456789ull;   /* 1:02:03.456789 */
	return have_time;
}

static const struct cfg_node *state(void *ctx, const char **why)
{
	struct cfg_error err;
	const struct cfg_node *n;

	(void)ctx;
	if (!state_text) {
		*why = "RPC_E_DENIED";
		return 0;
	}
	n = cfg_parse(state_text, strlen(state_text), arena, sizeof(arena), &err);
	if (!n)
		*why = err.msg;
	return n;
}

static void lg(void *ctx, const char *t)
{
	(void)ctx;
	snprintf(logged, sizeof(logged), "%s", t);
}

static const struct shell_sys sys = { 0, w, now, state, lg };
static struct shell sh = { .sys = &sys };

static const char *run(const char *line)
{
	static char l[1024];

	snprintf(l, sizeof(l), "%s", line);
	out_len = 0;
	output[0] = 0;
	shell_run(&sh, l);
	return output;
}

#define CHECK_OUT(line, want) do { \
	const char *got_ = run(line); \
	bool same_ = !strcmp(got_, want); \
	CHECK_MSG(same_, "'%s' gave '%s', not '%s'", line, got_, want); \
} while (0)
#define CHECK_HAS(line, want) do { \
	const char *got_ = run(line); \
	CHECK_MSG(strstr(got_, want), "'%s' gave '%s', without '%s'", line, got_, want); \
} while (0)

TEST(SHELL_0008, "a line is split into words: spaces, tabs, quotes; too many words, an open quote")
{
	char l[128], *argv[SHELL_ARGS];

	snprintf(l, sizeof(l), "  echo\t a  \"b c\" d\"e f\"g \"q\\\"x\" ");
	CHECK_EQ(shell_split(l, argv, SHELL_ARGS), 5);
	CHECK(!strcmp(argv[0], "echo") && !strcmp(argv[1], "a") && !strcmp(argv[2], "b c") &&
	      !strcmp(argv[3], "de fg") && !strcmp(argv[4], "q\"x"));
	snprintf(l, sizeof(l), "   ");
	CHECK_EQ(shell_split(l, argv, SHELL_ARGS), 0);
	snprintf(l, sizeof(l), "a b c");
	CHECK_EQ(shell_split(l, argv, 2), -1);
	snprintf(l, sizeof(l), "echo \"open");
	CHECK_EQ(shell_split(l, argv, SHELL_ARGS), -2);
	CHECK_OUT("echo \"open", "shell: a quote is not closed\r\n");
	CHECK_OUT("a b c d e f g h i j k l m n o p q", "shell: more than 16 words\r\n");
	CHECK_OUT("", "");
}

TEST(SHELL_0009, "help, echo, clear; an unknown command")
{
	CHECK_HAS("help", "  ps ");
	CHECK_HAS("help", "  colors ");
	CHECK_OUT("echo", "\r\n");
	CHECK_OUT("echo  hello   world ", "hello world\r\n");
	CHECK_OUT("echo \"two  spaces\"", "two  spaces\r\n");
	CHECK_OUT("clear", "\x1b[H\x1b[2J\x1b[3J");
	CHECK_OUT("frobnicate x", "shell: frobnicate: no such command\r\n");
	CHECK_OUT("ech\x1b[31mo", "shell: ech?[31mo: no such command\r\n");
}

TEST(SHELL_0010, "ps shows each child of the state report with RAM and caps; no report, a bad one")
{
	state_text =
		"<state>\n"
		" <child name=\"timer\" binary=\"timer\" state=\"running\">\n"
		"  <ram assigned=\"1048576\" used=\"524288\"/> <caps assigned=\"200\" used=\"31\"/>\n"
		" </child>\n"
		" <child name=\"a_name_longer_than_sixteen\" binary=\"x\" state=\"exited\" exit=\"1\">\n"
		"  <ram assigned=\"2097152\" used=\"4096\"/>\n"
		" </child>\n"
		" <child name=\"evil&#9;[2J\" state=\"running\"/>\n"
		"</state>\n";
	CHECK_OUT("ps",
	          "NAME             STATE      RAM KiB ASSIGNED   CAPS ASSIGNED\r\n"
	          "timer            running        512     1024     31      200\r\n"
	          "a_name_longer_t~ exited           4     2048      -        -\r\n"
	          "evil?[2J         running          -        -      -        -\r\n"
	          "3 components, 516 of 3072 KiB RAM used\r\n");
	CHECK_OUT("ps x", "ps: no arguments expected\r\n");
	state_text = "<other/>";
	CHECK_OUT("ps", "ps: the state ROM is no <state> report\r\n");
	state_text = "<state";
	CHECK_HAS("ps", "ps: no state report: ");
	state_text = 0;
	CHECK_OUT("ps", "ps: no state report: RPC_E_DENIED\r\n");
}

TEST(SHELL_0011, "uptime from the timer; colors; log writes a LOG line")
{
	have_time = true;
	CHECK_OUT("uptime", "up 1:02:03 (3723456 ms since the timer started)\r\n");
	have_time = false;
	CHECK_OUT("uptime", "uptime: no time from the Timer session\r\n");
	CHECK_HAS("colors", "\x1b[31m 1 red     \x1b[0m");
	CHECK_HAS("colors", "\x1b[97m15 white   \x1b[0m");
	CHECK_HAS("colors", "\x1b[107m      \x1b[0m");
	CHECK_HAS("colors", "\x1b[3mitalic\x1b[0m");
	CHECK_HAS("colors", "\x1b[5mblink\x1b[0m");
	CHECK_OUT("log hello   from the shell", "");
	CHECK(!strcmp(logged, "hello from the shell"));
	CHECK_OUT("log", "log: usage: log <text>\r\n");
}

TEST(SHELL_0012, "random bytes never break the editor: the line stays within its cap, valid")
{
	unsigned seed = 12345;

	le_init(&ed, "$ ", 40);
	for (int i = 0; i < 200000; i++) {
		seed = seed * 1103515245u + 12345u;
		le_feed(&ed, (uint8_t)(seed >> 16));
		CHECK(ed.out_len <= sizeof(ed.out));
		ed.out_len = 0;
		CHECK(ed.len <= LINE_MAX_ && (size_t)le_columns(ed.buf, ed.len) <= le_capacity(&ed));
		CHECK(ed.pos <= ed.len && ed.buf[ed.len] == 0);
		if (i % 50000 == 0)
			le_set_width(&ed, 10 + i % 30);
	}
}

int main(int argc, char **argv) { return test_main(argc, argv); }
