/*
 * Session argument strings (argil/args.h). Pure string code, no
 * allocation; portable (also built by the host unit tests).
 */
#include <argil/args.h>

static int is_blank(char c) { return c == ' ' || c == '\t'; }

static int is_key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* Finds key; on success val and len describe its value (unquoted). */
static bool find(const char *a, const char *key, const char **val, size_t *len)
{
	size_t klen = 0;

	if (!a || !key)
		return false;
	while (key[klen])
		klen++;
	while (*a) {
		while (is_blank(*a) || *a == ',')
			a++;
		const char *k = a;
		while (is_key_char(*a))
			a++;
		size_t kl = (size_t)(a - k);
		while (is_blank(*a))
			a++;
		const char *v = 0;
		size_t vl = 0;
		if (*a == '=') {
			a++;
			while (is_blank(*a))
				a++;
			if (*a == '"') {
				v = ++a;
				while (*a && *a != '"')
					a++;
				if (!*a)
					return false;  /* unterminated quote: the rest is unusable */
				vl = (size_t)(a - v);
				a++;
			} else {
				v = a;
				while (*a && *a != ',')
					a++;
				vl = (size_t)(a - v);
				while (vl && is_blank(v[vl - 1]))
					vl--;
			}
		}
		if (kl == klen && kl > 0 && v) {
			size_t i = 0;
			while (i < kl && k[i] == key[i])
				i++;
			if (i == kl) {
				*val = v;
				*len = vl;
				return true;
			}
		}
		/* skip to the next comma */
		while (*a && *a != ',')
			a++;
	}
	return false;
}

bool args_get(const char *args, const char *key, char *buf, size_t size)
{
	const char *v;
	size_t n;

	if (!find(args, key, &v, &n) || n + 1 > size)
		return false;
	for (size_t i = 0; i < n; i++)
		buf[i] = v[i];
	buf[n] = 0;
	return true;
}

static bool parse_num(const char *s, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	size_t i = 0;
	unsigned base = 10;

	if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	size_t digits = 0;
	for (; i < n; i++) {
		char c = s[i];
		unsigned d;
		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (base == 16 && c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			break;
		if (v > (UINT64_MAX - d) / base)
			return false;
		v = v * base + d;
		digits++;
	}
	if (!digits)
		return false;
	if (i < n) {
		unsigned shift;
		switch (s[i]) {
		case 'K': case 'k': shift = 10; break;
		case 'M': case 'm': shift = 20; break;
		case 'G': case 'g': shift = 30; break;
		default: return false;
		}
		if (i + 1 != n || (v >> (64 - shift)))
			return false;
		v <<= shift;
	}
	*out = v;
	return true;
}

bool args_parse_u64(const char *s, uint64_t *out)
{
	size_t n = 0;

	while (s[n])
		n++;
	return parse_num(s, n, out);
}

int args_u64(const char *args, const char *key, uint64_t def, uint64_t *out)
{
	const char *v;
	size_t n;

	*out = def;
	if (!find(args, key, &v, &n))
		return 0;
	uint64_t x;
	if (!parse_num(v, n, &x))
		return -1;
	*out = x;
	return 1;
}
