/*
 * The shell's commands (cmd.h). Output goes to the terminal, so lines end
 * in CR LF, and text that comes from elsewhere (init's state report) is
 * shown with its control characters as '?': a name in a report cannot
 * send escape sequences to the terminal.
 */
#include "cmd.h"
#include <string.h>

struct command {
	const char *name, *args, *help;
	void (*run)(struct shell *sh, int argc, char **argv);
};

static const struct command commands[];

void shell_flush(struct shell *sh)
{
	if (sh->out_len)
		sh->sys->write(sh->sys->ctx, sh->out, sh->out_len);
	sh->out_len = 0;
}

void shell_put(struct shell *sh, const char *s, size_t n)
{
	while (n) {
		size_t k = sizeof(sh->out) - sh->out_len;
		if (!k) {
			shell_flush(sh);
			continue;
		}
		if (k > n)
			k = n;
		memcpy(sh->out + sh->out_len, s, k);
		sh->out_len += k;
		s += k;
		n -= k;
	}
}

void shell_puts(struct shell *sh, const char *s) { shell_put(sh, s, strlen(s)); }

/* s with control characters as '?', cut or padded with spaces to width
 * (0: as it is); a cut ends in '~'. */
static void put_text(struct shell *sh, const char *s, size_t width)
{
	size_t n = strlen(s);

	for (size_t i = 0; i < n && (!width || i < width); i++) {
		char c = (uint8_t)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
		if (width && i == width - 1 && n > width)
			c = '~';
		shell_put(sh, &c, 1);
	}
	for (size_t i = n; i < width; i++)
		shell_put(sh, " ", 1);
}

/* v in decimal, right-aligned in width (0: as it is). */
static void put_u64(struct shell *sh, uint64_t v, size_t width)
{
	char tmp[21];
	size_t n = 0;

	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10));
	for (size_t i = n; i < width; i++)
		shell_put(sh, " ", 1);
	while (n)
		shell_put(sh, &tmp[--n], 1);
}

/* ---- words ---- */

int shell_split(char *line, char **argv, int max)
{
	int argc = 0;
	char *r = line, *w = line;

	for (;;) {
		bool quoted = false;

		while (*r == ' ' || *r == '\t')
			r++;
		if (!*r)
			return argc;
		if (argc == max)
			return -1;
		argv[argc++] = w;
		while (*r && (quoted || (*r != ' ' && *r != '\t'))) {
			if (*r == '"') {
				quoted = !quoted;
				r++;
			} else if (quoted && r[0] == '\\' && r[1] == '"') {
				*w++ = '"';
				r += 2;
			} else {
				*w++ = *r++;
			}
		}
		if (quoted)
			return -2;
		/* w <= r: the word ends in place */
		if (*r)
			r++;
		*w++ = 0;
	}
}

/* ---- the commands ---- */

static void cmd_help(struct shell *sh, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	shell_puts(sh, "Commands:\r\n");
	for (const struct command *c = commands; c->name; c++) {
		char head[32];
		size_t n = strlen(c->name);

		memcpy(head, c->name, n);
		head[n++] = ' ';
		memcpy(head + n, c->args, strlen(c->args) + 1);
		shell_puts(sh, "  ");
		put_text(sh, head, 14);
		shell_puts(sh, c->help);
		shell_puts(sh, "\r\n");
	}
	shell_puts(sh, "Keys: Left/Right/Home/End, Up/Down the history, ^U erase, ^C drop\r\n");
}

static void cmd_echo(struct shell *sh, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (i > 1)
			shell_puts(sh, " ");
		shell_puts(sh, argv[i]);
	}
	shell_puts(sh, "\r\n");
}

static void cmd_clear(struct shell *sh, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	/* home, erase the screen and the scrollback */
	shell_puts(sh, "\x1b[H\x1b[2J\x1b[3J");
}

static const struct cfg_node *child_node(const struct cfg_node *c, const char *name)
{
	for (c = c->child; c; c = c->next)
		if (cfg_is(c, name))
			return c;
	return 0;
}

/* used/assigned of a child's <ram> or <caps>; false if absent or bad */
static bool quota(const struct cfg_node *child, const char *name, uint64_t *used, uint64_t *assigned)
{
	const struct cfg_node *q = child_node(child, name);

	return q && cfg_attr_u64(q, "used", 0, used) == 1 && cfg_attr_u64(q, "assigned", 0, assigned) == 1;
}

static void cmd_ps(struct shell *sh, int argc, char **argv)
{
	const char *why = "no report";
	const struct cfg_node *top = sh->sys->state(sh->sys->ctx, &why);
	uint64_t sum_used = 0, sum_assigned = 0;
	unsigned n = 0;

	(void)argv;
	if (argc > 1) {
		shell_puts(sh, "ps: no arguments expected\r\n");
		return;
	}
	if (!top) {
		shell_puts(sh, "ps: no state report: ");
		put_text(sh, why, 0);
		shell_puts(sh, "\r\n");
		return;
	}
	if (!cfg_is(top, "state")) {
		shell_puts(sh, "ps: the state ROM is no <state> report\r\n");
		return;
	}
	shell_puts(sh, "NAME             STATE      RAM KiB ASSIGNED   CAPS ASSIGNED\r\n");
	for (const struct cfg_node *c = top->child; c; c = c->next) {
		const char *name = cfg_attr(c, "name"), *state = cfg_attr(c, "state");
		uint64_t used, assigned;

		if (!cfg_is(c, "child") || !name)
			continue;
		n++;
		put_text(sh, name, 16);
		shell_puts(sh, " ");
		put_text(sh, state ? state : "?", 9);
		if (quota(c, "ram", &used, &assigned)) {
			put_u64(sh, used / 1024, 9);
			put_u64(sh, assigned / 1024, 9);
			sum_used += used;
			sum_assigned += assigned;
		} else {
			shell_puts(sh, "        -        -");
		}
		if (quota(c, "caps", &used, &assigned)) {
			put_u64(sh, used, 7);
			put_u64(sh, assigned, 9);
		} else {
			shell_puts(sh, "      -        -");
		}
		shell_puts(sh, "\r\n");
	}
	put_u64(sh, n, 0);
	shell_puts(sh, n == 1 ? " component, " : " components, ");
	put_u64(sh, sum_used / 1024, 0);
	shell_puts(sh, " of ");
	put_u64(sh, sum_assigned / 1024, 0);
	shell_puts(sh, " KiB RAM used\r\n");
}

static void cmd_uptime(struct shell *sh, int argc, char **argv)
{
	uint64_t us, s;

	(void)argv;
	if (argc > 1) {
		shell_puts(sh, "uptime: no arguments expected\r\n");
		return;
	}
	if (!sh->sys->now_us(sh->sys->ctx, &us)) {
		shell_puts(sh, "uptime: no time from the Timer session\r\n");
		return;
	}
	s = us / 1000000;
	shell_puts(sh, "up ");
	if (s >= 86400) {
		put_u64(sh, s / 86400, 0);
		shell_puts(sh, s >= 2 * 86400 ? " days, " : " day, ");
	}
	put_u64(sh, s / 3600 % 24, 0);
	shell_puts(sh, ":");
	put_u64(sh, s / 60 % 60 / 10, 0);
	put_u64(sh, s / 60 % 10, 0);
	shell_puts(sh, ":");
	put_u64(sh, s % 60 / 10, 0);
	put_u64(sh, s % 10, 0);
	shell_puts(sh, " (");
	put_u64(sh, us / 1000, 0);
	shell_puts(sh, " ms since the timer started)\r\n");
}

static void cmd_colors(struct shell *sh, int argc, char **argv)
{
	static const char *const names[8] = { "black", "red", "green", "yellow", "blue", "magenta",
	                                      "cyan", "white" };
	static const struct { const char *sgr, *name; } attrs[] = {
		{ "1", "bold" }, { "2", "faint" }, { "3", "italic" }, { "4", "underline" },
		{ "5", "blink" }, { "7", "inverse" }, { "9", "strike" },
	};

	(void)argv;
	if (argc > 1) {
		shell_puts(sh, "colors: no arguments expected\r\n");
		return;
	}
	/* the eight colours, then the bright eight, as text and as background */
	for (int bright = 0; bright < 2; bright++) {
		for (int i = 0; i < 8; i++) {
			char sgr[16] = "\x1b[";
			size_t k = 2;
			if (bright) {
				sgr[k++] = '9';
			} else {
				sgr[k++] = '3';
			}
			sgr[k++] = (char)('0' + i);
			sgr[k++] = 'm';
			shell_put(sh, sgr, k);
			put_u64(sh, (uint64_t)(i + 8 * bright), 2);
			shell_puts(sh, " ");
			put_text(sh, names[i], 8);
			shell_puts(sh, "\x1b[0m");
			if (i == 3 || i == 7)
				shell_puts(sh, "\r\n");
		}
		for (int i = 0; i < 8; i++) {
			char sgr[16] = "\x1b[";
			size_t k = 2;
			if (bright) {
				memcpy(sgr + k, "10", 2);
				k += 2;
			} else {
				sgr[k++] = '4';
			}
			sgr[k++] = (char)('0' + i);
			sgr[k++] = 'm';
			shell_put(sh, sgr, k);
			shell_puts(sh, "      ");
			shell_puts(sh, "\x1b[0m ");
		}
		shell_puts(sh, "\r\n");
	}
	for (size_t i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
		shell_puts(sh, "\x1b[");
		shell_puts(sh, attrs[i].sgr);
		shell_puts(sh, "m");
		shell_puts(sh, attrs[i].name);
		shell_puts(sh, "\x1b[0m ");
	}
	shell_puts(sh, "\x1b[1;3;31mbold italic red\x1b[0m\r\n");
}

static void cmd_log(struct shell *sh, int argc, char **argv)
{
	char text[256];
	size_t n = 0;

	if (argc < 2) {
		shell_puts(sh, "log: usage: log <text>\r\n");
		return;
	}
	for (int i = 1; i < argc; i++) {
		size_t k = strlen(argv[i]);
		if (n + k + 2 > sizeof(text)) {
			shell_puts(sh, "log: the text is longer than 254 bytes\r\n");
			return;
		}
		if (i > 1)
			text[n++] = ' ';
		memcpy(text + n, argv[i], k);
		n += k;
	}
	text[n] = 0;
	sh->sys->log(sh->sys->ctx, text);
}

static const struct command commands[] = {
	{ "help", "", "this list", cmd_help },
	{ "echo", "[word..]", "the words, one space between them", cmd_echo },
	{ "clear", "", "an empty screen", cmd_clear },
	{ "ps", "", "the components of init: RAM and caps used, assigned", cmd_ps },
	{ "uptime", "", "the time since the timer started", cmd_uptime },
	{ "colors", "", "the 16 colours and the attributes", cmd_colors },
	{ "log", "<text>", "the text as a LOG line", cmd_log },
	{ 0, 0, 0, 0 },
};

void shell_run(struct shell *sh, char *line)
{
	char *argv[SHELL_ARGS];
	int argc = shell_split(line, argv, SHELL_ARGS);

	if (argc == -1) {
		shell_puts(sh, "shell: more than 16 words\r\n");
	} else if (argc == -2) {
		shell_puts(sh, "shell: a quote is not closed\r\n");
	} else if (argc > 0) {
		const struct command *c = commands;
		while (c->name && strcmp(c->name, argv[0]))
			c++;
		if (c->name) {
			c->run(sh, argc, argv);
		} else {
			shell_puts(sh, "shell: ");
			put_text(sh, argv[0], 0);
			shell_puts(sh, ": no such command\r\n");
		}
	}
	shell_flush(sh);
}
