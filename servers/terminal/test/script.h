/*
 * run/terminal_test's byte stream (servers/terminal/test/main.c writes it
 * into the terminal; tools/term_render.c feeds the same bytes to the same
 * vt and render code on the host for the reference screen), and what the
 * test does with typed bytes: it echoes them, a carriage return as CR LF.
 */
#ifndef TERM_SCRIPT_H
#define TERM_SCRIPT_H

#include <stddef.h>

static const char term_script[] =
	"\033[2J\033[H"
	"Argil terminal test: Gr\xc3\xbc\xc3\x9f" "e \xe2\x82\xac \xc3\xa9t\xc3\xa9 \xce\xbb\r\n"
	"\033[31mred\033[0m \033[32mgreen\033[0m \033[1;33mbold yellow\033[0m "
	"\033[4munderlined\033[0m \033[7minverse\033[0m \033[1mbold\033[0m\r\n"
	"\033[38;5;208m256-colour 208\033[0m \033[38;2;10;200;250;48;2;60;0;60mdirect\033[0m "
	"\033[44;97mwhite on blue\033[0m\r\n"
	/* cursor movement: absolute, relative, save and restore */
	"\033[6;10Habs 6,10\033[2;5Cright\033[1Bdown\0337\033[10;1Hrow 10\0338<-saved\r\n"
	/* erase: a line filled, then its end and part of its start erased */
	"\033[12;1HXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX\033[12;20H\033[K\033[12;5H\033[1K"
	"\033[13;1H################\033[13;1H\033[2K\033[13;3Herased line 13"
	/* a scroll region rows 15..18: five lines into four scroll one away */
	"\033[15;18r\033[15;1H"
	"region 1\r\nregion 2\r\nregion 3\r\nregion 4\r\nregion 5"
	"\033[r"
	"\033[20;1H\033[46;30m cyan bar \033[0m \033[9mstruck\033[0m tab:\tX\ty"
	"\033[22;1H$ ";

/* After the resize: forty lines, so that 28 go into the scrollback
 * (the host's Shift+PageUp then shows 17 of them). */
static const char term_script2[] =
	"scroll 01\r\n"
	"scroll 02\r\n"
	"scroll 03\r\n"
	"scroll 04\r\n"
	"scroll 05\r\n"
	"scroll 06\r\n"
	"scroll 07\r\n"
	"scroll 08\r\n"
	"scroll 09\r\n"
	"scroll 10\r\n"
	"scroll 11\r\n"
	"scroll 12\r\n"
	"scroll 13\r\n"
	"scroll 14\r\n"
	"scroll 15\r\n"
	"scroll 16\r\n"
	"scroll 17\r\n"
	"scroll 18\r\n"
	"scroll 19\r\n"
	"scroll 20\r\n"
	"scroll 21\r\n"
	"scroll 22\r\n"
	"scroll 23\r\n"
	"scroll 24\r\n"
	"scroll 25\r\n"
	"scroll 26\r\n"
	"scroll 27\r\n"
	"scroll 28\r\n"
	"scroll 29\r\n"
	"scroll 30\r\n"
	"scroll 31\r\n"
	"scroll 32\r\n"
	"scroll 33\r\n"
	"scroll 34\r\n"
	"scroll 35\r\n"
	"scroll 36\r\n"
	"scroll 37\r\n"
	"scroll 38\r\n"
	"scroll 39\r\n"
	"scroll 40\r\n"
	"";

/* After the scrollback (at 800x600, 88x35 cells): italic, faint,
 * blinking text, wide characters (U+4E2D U+6587, fullwidth A B), a wide character in the last
 * column that wraps; then bracketed paste mode for the host's pastes. */
static const char term_script3[] =
	"\033[0m\033[2J\033[H"
	"italic: \033[3mItalic text\033[0m \033[1;3mbold italic\033[0m "
	"\033[3;4;32mgreen underlined italic\033[0m\r\n"
	"faint: \033[2mfaint text\033[0m \033[2;31mfaint red\033[0m \033[2;7mfaint inverse\033[0m "
	"\033[2;3mfaint italic\033[0m\r\n"
	"blink: \033[5mblinking\033[0m \033[5;4;33mblinking underlined\033[0m steady\r\n"
	"wide: [\xe4\xb8\xad\xe6\x96\x87] [\xef\xbc\xa1\xef\xbc\xa2] \033[7m\xe4\xb8\xad\033[0m end\r\n"
	"\033[5;87Hx\xe4\xb8\xad"
	"\033[8;1H\033[?2004h$ ";

/* The echo of one typed byte into out[2]; returns the bytes. */
static inline size_t term_echo(char c, char out[2])
{
	if (c == '\r') {
		out[0] = '\r';
		out[1] = '\n';
		return 2;
	}
	out[0] = c;
	return 1;
}

#endif
