/*
 * The implementation of stb_truetype (ports/stb), compiled once: the header
 * holds it behind STB_TRUETYPE_IMPLEMENTATION. Its memory comes from the C
 * library's malloc (a component's heap), its math from the C library port.
 * The host build of lib/gui compiles this same file with the host's C
 * library (tests/host, tools/gui_render).
 *
 * Its assertions (internal consistency, e.g. of a glyph's outline) stay on
 * but do not go through assert(): the C library port has no abort() (no
 * signals), so a failed one is reported and the component exits.
 */
#include <stdio.h>
#include <stdlib.h>

static void stbtt_argil_assert_failed(const char *what, int line)
{
	fprintf(stderr, "stb_truetype.h:%d: assertion failed: %s\n", line, what);
	exit(134);
}

#define STBTT_assert(x) ((x) ? (void)0 : stbtt_argil_assert_failed(#x, __LINE__))
#define STB_TRUETYPE_IMPLEMENTATION
#include "stb_truetype.h"
