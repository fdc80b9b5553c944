/*
 * http_server's request parser (docs/network.md, "http_server"): portable
 * C without the component framework, host-tested (tests/host/http_parse.c)
 * and fuzzed (tests/fuzz/http_server_fuzz.c).
 *
 * http_parse_request looks at the bytes received so far on a connection
 * and says whether they hold a whole request head (request line and
 * header fields up to the empty line), and if so what it asks for, or
 * which error status answers it. Nothing is allocated; the path is
 * decoded into the request itself. Limits: a request line of at most
 * HTTP_LINE_MAX bytes (longer: 414), a head of at most HTTP_HEAD_MAX
 * bytes (longer: 400), at most HTTP_FIELDS_MAX header fields.
 */
#ifndef HTTP_PARSE_H
#define HTTP_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HTTP_LINE_MAX 2048
#define HTTP_HEAD_MAX 8192
#define HTTP_FIELDS_MAX 64
#define HTTP_PATH_MAX 512

enum http_method { HTTP_GET, HTTP_HEAD };

/* A Range header: none, one range of the forms a-b, a- or -n, or one the
 * server ignores (several ranges, another unit, a malformed one: RFC 9110
 * lets a server ignore it and answer 200). */
enum http_range_kind { HTTP_RANGE_NONE, HTTP_RANGE_FROM, HTTP_RANGE_FROM_TO,
		       HTTP_RANGE_SUFFIX, HTTP_RANGE_IGNORED };

struct http_range {
	enum http_range_kind kind;
	uint64_t first, last;      /* FROM: first; FROM_TO: first..last; SUFFIX: last = n */
};

struct http_request {
	enum http_method method;
	int minor;                 /* HTTP/1.minor: 0 or 1 */
	bool keep_alive;           /* the connection stays open after the answer */
	bool has_host;
	uint64_t content_length;   /* a request body to skip */
	struct http_range range;
	size_t head_len;           /* bytes of the head, the empty line included */
	char path[HTTP_PATH_MAX];  /* decoded, normalised, starts with '/', no NUL, no ".." */
	char target[96];           /* the request target as sent, cut (for the log) */
};

enum http_parse_result {
	HTTP_PARSE_INCOMPLETE = 0, /* no whole head yet (and no error so far) */
	HTTP_PARSE_OK = 1,         /* req is filled in */
	/* otherwise: the status code that answers the request (400, 405, 414,
	 * 501, 505); the connection is closed after the answer */
};

/* Parse buf[0..len). Returns HTTP_PARSE_INCOMPLETE, HTTP_PARSE_OK or an
 * error status (>= 400). A method, version, target and keep_alive that
 * were understood before an error stay in req (for the log). */
int http_parse_request(const char *buf, size_t len, struct http_request *req);

/* The part of a file of size bytes that a range selects: 200 (the whole
 * file: no range, or one the server ignores), 206 (*off, *count) or 416
 * (unsatisfiable: the first byte at or past the end, a suffix of 0). */
int http_range_resolve(const struct http_range *r, uint64_t size, uint64_t *off, uint64_t *count);

/* The reason phrase of a status code ("Not Found"); "" for unknown ones. */
const char *http_reason(int status);

/* A content type by the path's extension (application/octet-stream if
 * none is known). */
const char *http_content_type(const char *path);

#endif
