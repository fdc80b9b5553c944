/*
 * UTF-8 decoding and encoding (include/gui/font.h). Decoding follows the
 * Unicode standard's "maximal subpart" practice: an invalid sequence
 * becomes one U+FFFD for its longest prefix that could have started a valid
 * sequence (at least one byte), so "\xe2\x82" followed by "A" gives U+FFFD
 * then 'A', and a stray continuation byte is one U+FFFD each.
 */
#include <gui/font.h>

size_t gui_utf8_decode(const char *str, size_t len, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned need;
	uint32_t c, lo = 0x80, hi = 0xbf;

	*cp = GUI_REPLACEMENT;
	if (len == 0)
		return 0;
	c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		need = 1;
		c &= 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		need = 2;
		c &= 0x0f;
		if (s[0] == 0xe0)
			lo = 0xa0;          /* overlong below U+0800 */
		else if (s[0] == 0xed)
			hi = 0x9f;          /* surrogates U+D800..DFFF */
	} else if (c >= 0xf0 && c <= 0xf4) {
		need = 3;
		c &= 0x07;
		if (s[0] == 0xf0)
			lo = 0x90;          /* overlong below U+10000 */
		else if (s[0] == 0xf4)
			hi = 0x8f;          /* beyond U+10FFFF */
	} else {
		return 1;               /* continuation byte, C0, C1, F5..FF */
	}
	for (unsigned i = 1; i <= need; i++) {
		if (i >= len || s[i] < lo || s[i] > hi)
			return i;       /* the valid prefix so far is one U+FFFD */
		c = (c << 6) | (s[i] & 0x3f);
		lo = 0x80;
		hi = 0xbf;
	}
	*cp = c;
	return need + 1;
}

size_t gui_utf8_encode(uint32_t cp, char out[4])
{
	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		cp = GUI_REPLACEMENT;
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}
