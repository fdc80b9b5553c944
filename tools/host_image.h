/*
 * The host renderers' files (tools/gui_render.c, tools/term_render.c):
 * reading a whole input file and writing pixels as a binary PPM.
 */
#ifndef TOOLS_HOST_IMAGE_H
#define TOOLS_HOST_IMAGE_H

#include <stddef.h>
#include <stdint.h>

/* The file's bytes (malloc'd); the program ends (status 1) with "tool:
 * cannot read PATH" if it cannot be read or is empty. */
void *host_load(const char *tool, const char *path, size_t *size);

/* w x h pixels 0x00RRGGBB as an 8-bit binary PPM; 0, or 1 after "tool:
 * cannot write PATH". */
int host_write_ppm(const char *tool, const char *path, const uint32_t *px, int w, int h);

#endif
