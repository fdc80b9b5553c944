/*
 * libFuzzer harness of http_server's request parser (http_parse.c): the
 * input as the bytes received on a connection. Checks that a parsed head
 * lies inside the input, that the path is absolute, confined (no "." or
 * ".." segment, no empty one) and free of control bytes, that the result
 * is incomplete, OK or an error status the server answers with, and that
 * a resolved range lies inside the file for a few sizes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "http_parse.h"

#define ASSERT(e) do { if (!(e)) abort(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_request r;
	int st = http_parse_request((const char *)data, size, &r);
	static const uint64_t sizes[] = { 0, 1, 1000, UINT64_MAX };

	ASSERT(st == HTTP_PARSE_INCOMPLETE || st == HTTP_PARSE_OK || st == 400 || st == 405 ||
	       st == 414 || st == 501 || st == 505);
	ASSERT(http_reason(st >= 400 ? st : 200)[0]);
	if (st != HTTP_PARSE_OK)
		return 0;
	ASSERT(r.head_len > 0 && r.head_len <= size && r.head_len <= HTTP_HEAD_MAX);
	ASSERT(r.path[0] == '/');
	size_t n = strlen(r.path);
	ASSERT(n < HTTP_PATH_MAX);
	ASSERT(n == 1 || r.path[n - 1] != '/');
	for (size_t i = 0; i < n; i++)
		ASSERT((unsigned char)r.path[i] >= 0x20 && r.path[i] != 0x7f);
	/* every segment: not empty, not "." nor ".." */
	for (const char *s = r.path + 1; n > 1 && *s;) {
		const char *e = strchr(s, '/');
		size_t l = e ? (size_t)(e - s) : strlen(s);
		ASSERT(l > 0);
		ASSERT(!(l == 1 && s[0] == '.') && !(l == 2 && s[0] == '.' && s[1] == '.'));
		s += l + (e != NULL);
	}
	ASSERT(r.minor == 0 || r.minor == 1);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		uint64_t off = 0, count = 0;
		int rs = http_range_resolve(&r.range, sizes[i], &off, &count);
		ASSERT(rs == 200 || rs == 206 || rs == 416);
		if (rs != 416) {
			ASSERT(off <= sizes[i] && count <= sizes[i] - off);
			ASSERT(rs == 206 || (off == 0 && count == sizes[i]));
		}
	}
	return 0;
}
