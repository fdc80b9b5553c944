/*
 * Which characters take two cells of a terminal (servers/terminal,
 * docs/gui.md "Terminal"): the East Asian wide and fullwidth characters
 * (Unicode's EastAsianWidth.txt, classes W and F), as ranges merged over
 * the unassigned code points between them. Programs that line text up
 * (apps/shell's line editor) count columns with the same table the
 * terminal's screen model (vt.c) uses.
 */
#ifndef TERMINAL_WIDE_H
#define TERMINAL_WIDE_H

#include <stdbool.h>
#include <stdint.h>

static inline bool terminal_wide(uint32_t cp)
{
	static const struct { uint32_t first, last; } wide[] = {
		{ 0x1100, 0x115f },   /* Hangul Jamo, leading consonants */
		{ 0x231a, 0x231b },   /* watch, hourglass */
		{ 0x2329, 0x232a },   /* angle brackets */
		{ 0x23e9, 0x23ec }, { 0x23f0, 0x23f0 }, { 0x23f3, 0x23f3 },
		{ 0x25fd, 0x25fe }, { 0x2614, 0x2615 }, { 0x2648, 0x2653 },
		{ 0x267f, 0x267f }, { 0x2693, 0x2693 }, { 0x26a1, 0x26a1 },
		{ 0x26aa, 0x26ab }, { 0x26bd, 0x26be }, { 0x26c4, 0x26c5 },
		{ 0x26ce, 0x26ce }, { 0x26d4, 0x26d4 }, { 0x26ea, 0x26ea },
		{ 0x26f2, 0x26f3 }, { 0x26f5, 0x26f5 }, { 0x26fa, 0x26fa },
		{ 0x26fd, 0x26fd }, { 0x2705, 0x2705 }, { 0x270a, 0x270b },
		{ 0x2728, 0x2728 }, { 0x274c, 0x274c }, { 0x274e, 0x274e },
		{ 0x2753, 0x2755 }, { 0x2757, 0x2757 }, { 0x2795, 0x2797 },
		{ 0x27b0, 0x27b0 }, { 0x27bf, 0x27bf }, { 0x2b1b, 0x2b1c },
		{ 0x2b50, 0x2b50 }, { 0x2b55, 0x2b55 },
		{ 0x2e80, 0x303e },   /* CJK radicals, Kangxi, ideographic description, CJK punctuation */
		{ 0x3041, 0x33ff },   /* kana, Bopomofo, Hangul compatibility Jamo, CJK enclosed and compatibility */
		{ 0x3400, 0x4dbf },   /* CJK extension A */
		{ 0x4e00, 0x9fff },   /* CJK unified ideographs */
		{ 0xa000, 0xa4cf },   /* Yi */
		{ 0xa960, 0xa97f },   /* Hangul Jamo extended A */
		{ 0xac00, 0xd7a3 },   /* Hangul syllables */
		{ 0xf900, 0xfaff },   /* CJK compatibility ideographs */
		{ 0xfe10, 0xfe19 },   /* vertical forms */
		{ 0xfe30, 0xfe6f },   /* CJK compatibility forms, small forms */
		{ 0xff00, 0xff60 },   /* fullwidth forms */
		{ 0xffe0, 0xffe6 },   /* fullwidth signs */
		{ 0x16fe0, 0x18aff }, /* Tangut, ideographic symbols */
		{ 0x1b000, 0x1b2ff }, /* kana supplement and extensions, Nushu */
		{ 0x1f004, 0x1f004 }, { 0x1f0cf, 0x1f0cf }, { 0x1f18e, 0x1f18e },
		{ 0x1f191, 0x1f19a }, { 0x1f200, 0x1f251 },
		{ 0x1f300, 0x1f64f }, /* pictographs, emoticons (their text forms aside) */
		{ 0x1f680, 0x1f6ff }, /* transport and map symbols */
		{ 0x1f7e0, 0x1f7eb },
		{ 0x1f90c, 0x1f9ff }, /* supplemental symbols and pictographs */
		{ 0x1fa70, 0x1faff },
		{ 0x20000, 0x2fffd }, /* CJK extensions B.. */
		{ 0x30000, 0x3fffd },
	};
	unsigned lo = 0, hi = sizeof(wide) / sizeof(wide[0]);

	if (cp < wide[0].first)
		return false;
	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;
		if (cp < wide[mid].first)
			hi = mid;
		else if (cp > wide[mid].last)
			lo = mid + 1;
		else
			return true;
	}
	return false;
}

#endif
