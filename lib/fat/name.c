/*
 * Names and times of FAT directory entries.
 *
 * A client's name is UTF-8; a long (VFAT) name is UTF-16 (surrogate pairs
 * for characters beyond the BMP), at most 255 units, without the
 * characters Windows forbids (controls, " * / : < > ? \ |) and not ending
 * in a dot or a space (Windows would strip those, and two names would
 * become one). A name that is an exact 8.3 name in one case per part is
 * stored as a short entry alone with the case flags of the NT reserved
 * byte (as Windows NT and Linux do); any other gets long entries and a
 * short name made from it: upper case, spaces and leading dots dropped,
 * other characters a short name cannot hold as '_', base cut to 8 and
 * extension (after the last dot) to 3; when anything was lost, a ~N tail
 * (dir.c picks the N that no entry uses).
 *
 * Names are compared without case: the letters of ASCII, Latin-1, Latin
 * Extended-A, Greek and Cyrillic (a part of Windows' case table).
 *
 * Times: FAT keeps local time; Argil's clock is UTC, so the two are the
 * same here. Dates run 1980..2107; times have 2-second steps (the
 * creation time's tenths field keeps the odd second).
 */
#include "fat_int.h"

uint8_t fat_lfn_sum(const uint8_t sfn[11])
{
	uint8_t sum = 0;

	for (int i = 0; i < 11; i++)
		sum = (uint8_t)(((sum & 1) << 7) + (sum >> 1) + sfn[i]);
	return sum;
}

static bool lfn_forbidden(uint32_t c)
{
	return c < 0x20 || c == '"' || c == '*' || c == '/' || c == ':' || c == '<' ||
	       c == '>' || c == '?' || c == '\\' || c == '|';
}

fs_err_t fat_name_to_utf16(const char *name, size_t len, uint16_t *u, size_t *n)
{
	const uint8_t *s = (const uint8_t *)name;
	size_t i = 0, k = 0;

	while (i < len) {
		uint32_t c = s[i], need, min;

		if (c < 0x80) {
			need = 0;
			min = 0;
		} else if ((c & 0xe0) == 0xc0) {
			c &= 0x1f;
			need = 1;
			min = 0x80;
		} else if ((c & 0xf0) == 0xe0) {
			c &= 0x0f;
			need = 2;
			min = 0x800;
		} else if ((c & 0xf8) == 0xf0) {
			c &= 0x07;
			need = 3;
			min = 0x10000;
		} else {
			return FS_E_INVAL;
		}
		if (need && i + need >= len)
			return FS_E_INVAL;
		for (uint32_t j = 1; j <= need; j++) {
			if ((s[i + j] & 0xc0) != 0x80)
				return FS_E_INVAL;
			c = c << 6 | (s[i + j] & 0x3f);
		}
		i += need + 1;
		if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff) || lfn_forbidden(c))
			return FS_E_INVAL;
		if (c >= 0x10000) {
			if (k + 2 > LFN_MAX_UNITS)
				return FS_E_NAMETOOLONG;
			c -= 0x10000;
			u[k++] = (uint16_t)(0xd800 | c >> 10);
			u[k++] = (uint16_t)(0xdc00 | (c & 0x3ff));
		} else {
			if (k + 1 > LFN_MAX_UNITS)
				return FS_E_NAMETOOLONG;
			u[k++] = (uint16_t)c;
		}
	}
	if (!k || u[k - 1] == '.' || u[k - 1] == ' ')
		return FS_E_INVAL;
	*n = k;
	return FS_OK;
}

static bool put_utf8(char *out, size_t *k, uint32_t c)
{
	unsigned n = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;

	if (*k + n > FS_NAME_MAX)
		return false;
	switch (n) {
	case 1:
		out[(*k)++] = (char)c;
		break;
	case 2:
		out[(*k)++] = (char)(0xc0 | c >> 6);
		out[(*k)++] = (char)(0x80 | (c & 0x3f));
		break;
	case 3:
		out[(*k)++] = (char)(0xe0 | c >> 12);
		out[(*k)++] = (char)(0x80 | (c >> 6 & 0x3f));
		out[(*k)++] = (char)(0x80 | (c & 0x3f));
		break;
	default:
		out[(*k)++] = (char)(0xf0 | c >> 18);
		out[(*k)++] = (char)(0x80 | (c >> 12 & 0x3f));
		out[(*k)++] = (char)(0x80 | (c >> 6 & 0x3f));
		out[(*k)++] = (char)(0x80 | (c & 0x3f));
		break;
	}
	return true;
}

bool fat_utf16_to_name(const uint16_t *u, size_t n, char *out, size_t *len)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		uint32_t c = u[i];

		if (c >= 0xd800 && c <= 0xdbff) {
			if (i + 1 >= n || u[i + 1] < 0xdc00 || u[i + 1] > 0xdfff)
				return false;
			c = 0x10000 + ((c - 0xd800) << 10) + (u[++i] - 0xdc00u);
		} else if (c >= 0xdc00 && c <= 0xdfff) {
			return false;
		}
		if (!c || c == '/' || !put_utf8(out, &k, c))
			return false;
	}
	if (!k)
		return false;
	out[k] = 0;
	*len = k;
	return true;
}

size_t fat_sfn_to_name(const uint8_t *de, char *out)
{
	size_t k = 0;
	int bl = 8, el = 3;

	while (bl > 0 && de[bl - 1] == ' ')
		bl--;
	while (el > 0 && de[8 + el - 1] == ' ')
		el--;
	for (int i = 0; i < bl + el; i++) {
		uint32_t c = i < bl ? de[i] : de[8 + i - bl];
		uint8_t lower = i < bl ? NTRES_LOWER_BASE : NTRES_LOWER_EXT;

		if (i == bl)
			out[k++] = '.';
		if (i == 0 && c == 0x05)
			c = 0xe5;
		if (c >= 'A' && c <= 'Z' && (de[DE_NTRES] & lower))
			c += 'a' - 'A';
		if (c < 0x20 || c == '/')
			c = '_';
		put_utf8(out, &k, c);   /* < 24 bytes: always fits */
	}
	if (!k)   /* a name of spaces: shown as something */
		out[k++] = '_';
	out[k] = 0;
	return k;
}

static bool sfn_char(uint32_t c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c > 0x20 && c < 0x7f && c != '.' && c != '"' && c != '*' && c != '+' &&
		c != ',' && c != '/' && c != ':' && c != ';' && c != '<' && c != '=' && c != '>' &&
		c != '?' && c != '[' && c != '\\' && c != ']' && c != '|' && !(c >= 'a' && c <= 'z'));
}

static uint32_t upper(uint32_t c)
{
	return c >= 'a' && c <= 'z' ? c - ('a' - 'A') : c;
}

/* The case of a part: 1 lower letters only, 2 upper only, 3 both, 0 none. */
static int part_case(const uint16_t *u, size_t n)
{
	int k = 0;

	for (size_t i = 0; i < n; i++) {
		if (u[i] >= 'a' && u[i] <= 'z')
			k |= 1;
		else if (u[i] >= 'A' && u[i] <= 'Z')
			k |= 2;
	}
	return k;
}

bool fat_sfn_exact(const uint16_t *u, size_t n, uint8_t sfn[11], uint8_t *ntres)
{
	size_t dot = n, bl, el;

	for (size_t i = 0; i < n; i++) {
		if (u[i] == '.') {
			if (dot != n)
				return false;
			dot = i;
		} else if (!sfn_char(upper(u[i]))) {
			return false;
		}
	}
	bl = dot;
	el = dot == n ? 0 : n - dot - 1;
	if (!bl || bl > 8 || el > 3)
		return false;
	if (part_case(u, bl) == 3 || part_case(u + dot + 1, el) == 3)
		return false;
	memset(sfn, ' ', 11);
	for (size_t i = 0; i < bl; i++)
		sfn[i] = (uint8_t)upper(u[i]);
	for (size_t i = 0; i < el; i++)
		sfn[8 + i] = (uint8_t)upper(u[dot + 1 + i]);
	*ntres = (part_case(u, bl) == 1 ? NTRES_LOWER_BASE : 0) |
		 (part_case(u + dot + 1, el) == 1 ? NTRES_LOWER_EXT : 0);
	return true;
}

void fat_sfn_basis(const uint16_t *u, size_t n, uint8_t sfn[11], bool *lossy)
{
	size_t start = 0, dot = n, bl = 0, el = 0;

	*lossy = false;
	memset(sfn, ' ', 11);
	while (start < n && u[start] == '.')
		start++;
	if (start)
		*lossy = true;
	for (size_t i = start; i < n; i++)
		if (u[i] == '.')
			dot = i;
	for (size_t i = start; i < dot; i++) {
		uint32_t c = upper(u[i]);

		if (c == ' ' || c == '.') {
			*lossy = true;
			continue;
		}
		if (!sfn_char(c)) {
			c = '_';
			*lossy = true;
		}
		if (bl == 8) {
			*lossy = true;
			break;
		}
		sfn[bl++] = (uint8_t)c;
	}
	for (size_t i = dot + 1; i < n; i++) {
		uint32_t c = upper(u[i]);

		if (c == ' ') {
			*lossy = true;
			continue;
		}
		if (!sfn_char(c)) {
			c = '_';
			*lossy = true;
		}
		if (el == 3) {
			*lossy = true;
			break;
		}
		sfn[8 + el++] = (uint8_t)c;
	}
	if (!bl) {
		sfn[0] = '_';
		*lossy = true;
	}
}

void fat_sfn_tail(const uint8_t basis[11], uint32_t num, uint8_t out[11])
{
	char digits[12];
	int nd = 0, bl = 8, keep;

	do {
		digits[nd++] = (char)('0' + num % 10);
		num /= 10;
	} while (num && nd < 7);
	while (bl > 0 && basis[bl - 1] == ' ')
		bl--;
	keep = bl < 8 - (nd + 1) ? bl : 8 - (nd + 1);
	memcpy(out, basis, 11);
	memset(out + keep, ' ', (size_t)(8 - keep));
	out[keep] = '~';
	for (int i = 0; i < nd; i++)
		out[keep + 1 + i] = (uint8_t)digits[nd - 1 - i];
}

/* One character of a UTF-8 string at *i (a byte that starts no valid
 * sequence stands for itself, above every character). */
static uint32_t next_char(const char *str, size_t len, size_t *i)
{
	const uint8_t *s = (const uint8_t *)str;
	uint32_t c = s[*i], need = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;

	if (c < 0x80 || c >= 0xf8 || *i + need >= len) {
		(*i)++;
		return c < 0x80 ? c : 0x80000000u | c;
	}
	c &= 0x3f >> need;
	for (uint32_t j = 1; j <= need; j++) {
		if ((s[*i + j] & 0xc0) != 0x80) {
			return 0x80000000u | s[(*i)++];
		}
		c = c << 6 | (s[*i + j] & 0x3f);
	}
	*i += need + 1;
	return c;
}

/* Upper case of the letters of Latin-1, Latin Extended-A, Greek and
 * Cyrillic (the ones Windows' table folds that names use most). */
static uint32_t fold(uint32_t c)
{
	if (c >= 'a' && c <= 'z')
		return c - 0x20;
	if (c < 0xe0)
		return c;
	if (c <= 0xfe)
		return c == 0xf7 ? c : c - 0x20;
	if (c == 0xff)
		return 0x178;
	if (c >= 0x100 && c <= 0x17f) {
		if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e))
			return c & 1 ? c : c - 1;
		if (c == 0x130 || c == 0x131 || c == 0x138 || c == 0x149 || c == 0x17f)
			return c;
		return c & ~1u;
	}
	if (c >= 0x3b1 && c <= 0x3c9 && c != 0x3c2)
		return c - 0x20;
	if (c >= 0x430 && c <= 0x44f)
		return c - 0x20;
	if (c >= 0x450 && c <= 0x45f)
		return c - 0x50;
	return c;
}

bool fat_name_eq(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i = 0, j = 0;

	while (i < alen && j < blen)
		if (fold(next_char(a, alen, &i)) != fold(next_char(b, blen, &j)))
			return false;
	return i == alen && j == blen;
}

/* ---- times ---- */

#define T1980 315532800LL              /* 1980-01-01 00:00:00 UTC */
#define T2108 4354819200LL             /* 2108-01-01 00:00:00 UTC */

static bool leap(unsigned y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned month_days(unsigned y, unsigned m)
{
	static const uint8_t days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return days[m - 1] + (m == 2 && leap(y));
}

void fat_time_to(int64_t t, uint16_t *date, uint16_t *time, uint8_t *tenth)
{
	unsigned y = 1980, m = 1;
	int64_t days, secs;

	if (t < T1980)
		t = T1980;
	if (t >= T2108)
		t = T2108 - 1;
	days = (t - T1980) / 86400;
	secs = (t - T1980) % 86400;
	while (days >= (leap(y) ? 366 : 365)) {
		days -= leap(y) ? 366 : 365;
		y++;
	}
	while (days >= month_days(y, m)) {
		days -= month_days(y, m);
		m++;
	}
	*date = (uint16_t)((y - 1980) << 9 | m << 5 | (unsigned)(days + 1));
	*time = (uint16_t)((secs / 3600) << 11 | (secs / 60 % 60) << 5 | (secs % 60) / 2);
	if (tenth)
		*tenth = (uint8_t)(secs % 2 * 100);
}

int64_t fat_time_from(uint16_t date, uint16_t time)
{
	unsigned y = 1980 + (date >> 9), m = date >> 5 & 15, d = date & 31;
	unsigned h = time >> 11, min = time >> 5 & 63, s = (time & 31) * 2u;
	int64_t days = 0;

	if (m < 1 || m > 12 || d < 1 || d > month_days(y, m))
		return 0;
	if (h > 23 || min > 59 || s > 59)
		h = min = s = 0;
	for (unsigned yy = 1980; yy < y; yy++)
		days += leap(yy) ? 366 : 365;
	for (unsigned mm = 1; mm < m; mm++)
		days += month_days(y, mm);
	days += d - 1;
	return T1980 + days * 86400 + h * 3600 + min * 60 + s;
}
