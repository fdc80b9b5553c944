/*
 * Drawing into a pixel buffer (lib/gui, docs/gui.md "Text and widgets"):
 * a surface is a buffer of 0x00RRGGBB pixels (the Gui session's format)
 * with a clip rectangle; every operation draws only inside the clip and
 * the buffer, whatever coordinates it is given (negative, huge, empty).
 *
 * Blending is exact integer arithmetic, the same on the host and in Argil:
 * for each channel, out = (src * a + dst * (255 - a) + 127) / 255, with a
 * the coverage or alpha 0..255 (0: dst unchanged, 255: src).
 *
 * Portable C (no Argil headers): components link it (LIBS := guilib) and
 * the host tests and the reference renderer build it too.
 */
#ifndef GUI_SURFACE_H
#define GUI_SURFACE_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

struct gui_rect {
	int x, y, w, h;             /* w or h <= 0: empty */
};

struct gui_surface {
	uint32_t *pixels;           /* 0x00RRGGBB, line after line */
	int width, height;          /* pixels */
	int stride;                 /* pixels from one line to the next (>= width) */
	struct gui_rect clip;       /* always inside 0,0,width,height */
};

static inline struct gui_rect gui_rect(int x, int y, int w, int h)
{
	struct gui_rect r = { x, y, w, h };
	return r;
}

/* The overlap of a and b (w = h = 0 if none). */
struct gui_rect gui_rect_intersect(struct gui_rect a, struct gui_rect b);
bool gui_rect_empty(struct gui_rect r);
bool gui_rect_contains(struct gui_rect r, int x, int y);

/* A surface over pixels (stride 0: width); the clip is the whole buffer. */
void gui_surface_init(struct gui_surface *s, uint32_t *pixels, int width, int height, int stride);
/* Sets the clip to r within the buffer; returns the previous clip. */
struct gui_rect gui_clip(struct gui_surface *s, struct gui_rect r);

/* One channel mix: see the top comment. */
uint32_t gui_mix(uint32_t dst, uint32_t src_rgb, unsigned alpha);

/* Opaque fill of r with 0x00RRGGBB (the top byte is ignored). */
void gui_fill(struct gui_surface *s, struct gui_rect r, uint32_t rgb);
/* Fill of r with 0xAARRGGBB blended over what is there. */
void gui_fill_argb(struct gui_surface *s, struct gui_rect r, uint32_t argb);
/* Copy of a w x h block of 0x00RRGGBB pixels (stride in pixels) to x,y. */
void gui_blit(struct gui_surface *s, int x, int y, const uint32_t *src, int w, int h, int stride);
/* The same with 0xAARRGGBB pixels, each blended by its alpha. */
void gui_blit_argb(struct gui_surface *s, int x, int y, const uint32_t *src, int w, int h,
                   int stride);
/* A w x h 8-bit coverage mask (stride in bytes) in colour rgb at x,y:
 * each pixel mixed with rgb by its coverage (anti-aliased glyphs). */
void gui_blend_mask(struct gui_surface *s, int x, int y, const uint8_t *mask, int w, int h,
                    int stride, uint32_t rgb);
/* A one-pixel line from x0,y0 to x1,y1, both ends included (Bresenham). */
void gui_line(struct gui_surface *s, int x0, int y0, int x1, int y1, uint32_t rgb);
/* The border of r, 'thickness' pixels wide, inside r. */
void gui_frame(struct gui_surface *s, struct gui_rect r, int thickness, uint32_t rgb);

#endif
