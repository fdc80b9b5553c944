/*
 * The implementation of stb_truetype (ports/stb), compiled once: the header
 * holds it behind STB_TRUETYPE_IMPLEMENTATION. Its memory comes from the C
 * library's malloc (a component's heap), its math from the C library port.
 * The host build of lib/gui compiles this same file with the host's C
 * library (tests/host, tools/gui_render).
 */
#define STB_TRUETYPE_IMPLEMENTATION
#include "stb_truetype.h"
