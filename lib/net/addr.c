/*
 * IPv4 addresses as text: "a.b.c.d", each part 0..255 in at most three
 * decimal digits, nothing else. Portable, host-tested (tests/host/net_addr.c).
 */
#include <net.h>

bool net_ip_parse(const char *s, uint32_t *ip)
{
	uint32_t v = 0;

	if (!s)
		return false;
	for (int i = 0; i < 4; i++) {
		unsigned part = 0, digits = 0;
		while (*s >= '0' && *s <= '9' && digits < 4) {
			part = part * 10 + (unsigned)(*s++ - '0');
			digits++;
		}
		if (!digits || digits > 3 || part > 255)
			return false;
		v = v << 8 | part;
		if (i < 3 && *s++ != '.')
			return false;
	}
	if (*s)
		return false;
	if (ip)
		*ip = v;
	return true;
}

char *net_ip_format(uint32_t ip, char *buf)
{
	char *p = buf;

	for (int i = 3; i >= 0; i--) {
		unsigned b = ip >> (8 * i) & 0xff;
		if (b >= 100)
			*p++ = (char)('0' + b / 100);
		if (b >= 10)
			*p++ = (char)('0' + b / 10 % 10);
		*p++ = (char)('0' + b % 10);
		if (i)
			*p++ = '.';
	}
	*p = 0;
	return buf;
}
