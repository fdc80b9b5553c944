/*
 * http_server's request parser (http_parse.h): RFC 9112's request line and
 * header fields, RFC 9110's Range of one byte range. Portable C.
 */
#include "http_parse.h"

#include <string.h>

static bool is_tchar(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return true;
	return c && strchr("!#$%&'*+-.^_`|~", c);
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* a[0..n) equals the lower-case word w, ignoring case */
static bool word_is(const char *a, size_t n, const char *w)
{
	size_t i;

	for (i = 0; i < n && w[i]; i++)
		if (lower(a[i]) != w[i])
			return false;
	return i == n && !w[i];
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = lower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Decimal digits only, no overflow. */
static bool parse_u64(const char *s, size_t n, uint64_t *out)
{
	uint64_t v = 0;

	if (!n)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		if (v > (UINT64_MAX - (uint64_t)(s[i] - '0')) / 10)
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = v;
	return true;
}

/* The end of the head: the index after the empty line, 0 if not there. */
static size_t head_end(const char *buf, size_t len, size_t start)
{
	for (size_t i = start; i < len; i++) {
		if (buf[i] != '\n')
			continue;
		/* an empty line follows: "\n\n" or "\n\r\n" */
		if (i + 1 < len && buf[i + 1] == '\n')
			return i + 2;
		if (i + 2 < len && buf[i + 1] == '\r' && buf[i + 2] == '\n')
			return i + 3;
	}
	return 0;
}

/* The decoded target's path t[0..n) (after its first '/'), normalised into
 * out: "/" or "/a/b"; 0 or an error status. */
static int decode_path(const char *t, size_t n, char *out)
{
	size_t o = 1, i = 0;

	out[0] = '/';
	out[1] = 0;
	while (i <= n) {
		char seg[HTTP_PATH_MAX];
		size_t sl = 0;

		for (; i < n && t[i] != '/'; i++) {
			char c = t[i];
			if (c == '%') {
				int h = i + 1 < n ? hexval(t[i + 1]) : -1;
				int l = i + 2 < n ? hexval(t[i + 2]) : -1;
				if (h < 0 || l < 0)
					return 400;
				c = (char)(h << 4 | l);
				i += 2;
				if (c == '/')
					return 400;  /* a '/' inside a name: names cannot hold it */
			}
			if ((unsigned char)c < 0x20 || c == 0x7f)
				return 400;      /* NUL and the other control bytes */
			if (sl + 1 >= sizeof(seg))
				return 414;
			seg[sl++] = c;
		}
		i++;    /* past the '/' (or the end) */
		if (sl == 0 || (sl == 1 && seg[0] == '.'))
			continue;
		if (sl == 2 && seg[0] == '.' && seg[1] == '.') {
			if (o == 1)
				return 400;      /* above the root */
			while (o > 1 && out[o - 1] != '/')
				o--;
			if (o > 1)
				o--;             /* the '/' before the name */
			out[o] = 0;
			continue;
		}
		if (o + (o > 1) + sl + 1 > HTTP_PATH_MAX)
			return 414;
		if (o > 1)
			out[o++] = '/';
		memcpy(out + o, seg, sl);
		o += sl;
		out[o] = 0;
	}
	return 0;
}

static void parse_range(const char *v, size_t n, struct http_range *r)
{
	size_t i, dash;
	uint64_t a, b;

	r->kind = HTTP_RANGE_IGNORED;
	if (n < 6 || !word_is(v, 6, "bytes="))
		return;
	v += 6;
	n -= 6;
	while (n && (*v == ' ' || *v == '\t'))
		v++, n--;
	while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
		n--;
	dash = n;
	for (i = 0; i < n; i++) {
		if (v[i] == ',')
			return;     /* several ranges: ignored, the whole file */
		if (v[i] == '-' && dash == n)
			dash = i;
	}
	if (dash == n)
		return;
	if (dash == 0) {
		if (!parse_u64(v + 1, n - 1, &b))
			return;
		r->kind = HTTP_RANGE_SUFFIX;
		r->last = b;
		return;
	}
	if (!parse_u64(v, dash, &a))
		return;
	if (dash + 1 == n) {
		r->kind = HTTP_RANGE_FROM;
		r->first = a;
		return;
	}
	if (!parse_u64(v + dash + 1, n - dash - 1, &b) || b < a)
		return;
	r->kind = HTTP_RANGE_FROM_TO;
	r->first = a;
	r->last = b;
}

/* Connection: a comma-separated list of tokens */
static void parse_connection(const char *v, size_t n, bool *close, bool *keep)
{
	size_t i = 0;

	while (i < n) {
		size_t s, e;
		while (i < n && (v[i] == ' ' || v[i] == '\t' || v[i] == ','))
			i++;
		s = i;
		while (i < n && v[i] != ',')
			i++;
		e = i;
		while (e > s && (v[e - 1] == ' ' || v[e - 1] == '\t'))
			e--;
		if (word_is(v + s, e - s, "close"))
			*close = true;
		else if (word_is(v + s, e - s, "keep-alive"))
			*keep = true;
	}
}

static const char *const other_methods[] = {
	"POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH",
};

int http_parse_request(const char *buf, size_t len, struct http_request *req)
{
	size_t start = 0, end, line_end, p, sp1, sp2, tlen;
	const char *target;
	bool close = false, keep = false, have_cl = false, have_range = false;
	unsigned fields = 0;
	int st;

	memset(req, 0, sizeof(*req));
	/* empty lines before the request line are skipped (RFC 9112, 2.2) */
	while (start < len && start < 16 && (buf[start] == '\r' || buf[start] == '\n'))
		start++;
	for (line_end = start; line_end < len && buf[line_end] != '\n'; line_end++)
		;
	if (line_end - start > HTTP_LINE_MAX)
		return 414;
	end = head_end(buf, len, start);
	if (!end) {
		if (line_end == len && len - start >= 3 && start < 16) {
			/* the request line so far: a method must be a token */
			for (p = start; p < len && buf[p] != ' '; p++)
				if (!is_tchar((unsigned char)buf[p]))
					return 400;
		}
		return len > HTTP_HEAD_MAX ? 400 : HTTP_PARSE_INCOMPLETE;
	}
	if (end > HTTP_HEAD_MAX)
		return 400;
	req->head_len = end;

	/* the request line: method SP target SP version */
	{
		size_t le = line_end;
		if (le > start && buf[le - 1] == '\r')
			le--;
		for (sp1 = start; sp1 < le && buf[sp1] != ' '; sp1++)
			if (!is_tchar((unsigned char)buf[sp1]))
				return 400;
		if (sp1 == start || sp1 == le)
			return 400;
		for (sp2 = sp1 + 1; sp2 < le && buf[sp2] != ' '; sp2++)
			if ((unsigned char)buf[sp2] <= 0x20 || (unsigned char)buf[sp2] >= 0x7f)
				return 400;
		if (sp2 == sp1 + 1 || sp2 == le)
			return 400;
		target = buf + sp1 + 1;
		tlen = sp2 - sp1 - 1;
		memcpy(req->target, target, tlen < sizeof(req->target) - 1 ? tlen : sizeof(req->target) - 1);
		/* the version: HTTP/1.0 or HTTP/1.1; HTTP/d.d otherwise 505 */
		if (le - sp2 - 1 != 8 || memcmp(buf + sp2 + 1, "HTTP/", 5) ||
		    buf[sp2 + 6] < '0' || buf[sp2 + 6] > '9' || buf[sp2 + 7] != '.' ||
		    buf[sp2 + 8] < '0' || buf[sp2 + 8] > '9')
			return 400;
		if (buf[sp2 + 6] != '1' || buf[sp2 + 8] > '1')
			return 505;
		req->minor = buf[sp2 + 8] - '0';
		req->keep_alive = req->minor == 1;
		if (sp1 - start == 3 && !memcmp(buf + start, "GET", 3)) {
			req->method = HTTP_GET;
		} else if (sp1 - start == 4 && !memcmp(buf + start, "HEAD", 4)) {
			req->method = HTTP_HEAD;
		} else {
			for (size_t i = 0; i < sizeof(other_methods) / sizeof(other_methods[0]); i++)
				if (strlen(other_methods[i]) == sp1 - start &&
				    !memcmp(buf + start, other_methods[i], sp1 - start))
					return 405;
			return 501;
		}
	}

	/* header fields */
	for (p = line_end + 1; p < end;) {
		size_t le, ve, colon, vs;

		for (le = p; buf[le] != '\n'; le++)
			;
		ve = le;
		if (ve > p && buf[ve - 1] == '\r')
			ve--;
		if (ve == p)
			break;      /* the empty line */
		if (++fields > HTTP_FIELDS_MAX)
			return 400;
		if (buf[p] == ' ' || buf[p] == '\t')
			return 400; /* obsolete line folding */
		for (colon = p; colon < ve && buf[colon] != ':'; colon++)
			if (!is_tchar((unsigned char)buf[colon]))
				return 400;  /* also whitespace before the colon */
		if (colon == p || colon == ve)
			return 400;
		for (size_t i = colon + 1; i < ve; i++) {
			unsigned char c = (unsigned char)buf[i];
			if ((c < 0x20 && c != '\t') || c == 0x7f)
				return 400;
		}
		vs = colon + 1;
		while (vs < ve && (buf[vs] == ' ' || buf[vs] == '\t'))
			vs++;
		while (ve > vs && (buf[ve - 1] == ' ' || buf[ve - 1] == '\t'))
			ve--;
		if (word_is(buf + p, colon - p, "host")) {
			if (req->has_host)
				return 400;
			req->has_host = true;
		} else if (word_is(buf + p, colon - p, "connection")) {
			parse_connection(buf + vs, ve - vs, &close, &keep);
		} else if (word_is(buf + p, colon - p, "content-length")) {
			uint64_t cl;
			if (!parse_u64(buf + vs, ve - vs, &cl) || (have_cl && cl != req->content_length))
				return 400;
			have_cl = true;
			req->content_length = cl;
		} else if (word_is(buf + p, colon - p, "transfer-encoding")) {
			return 501;     /* a body of chunks: not taken */
		} else if (word_is(buf + p, colon - p, "range")) {
			if (have_range)
				req->range.kind = HTTP_RANGE_IGNORED;
			else
				parse_range(buf + vs, ve - vs, &req->range);
			have_range = true;
		}
		p = le + 1;
	}
	if (close)
		req->keep_alive = false;
	else if (keep)
		req->keep_alive = true;
	if (req->minor == 1 && !req->has_host)
		return 400;
	if (req->method == HTTP_HEAD)
		req->range.kind = HTTP_RANGE_NONE;   /* Range is defined for GET only */

	/* the target: origin-form, or absolute-form http://authority/path */
	if (tlen >= 7 && word_is(target, 7, "http://")) {
		size_t i = 7;
		while (i < tlen && target[i] != '/' && target[i] != '?')
			i++;
		if (i == 7)
			return 400;
		target += i;
		tlen -= i;
		if (!tlen || *target == '?') {
			target = "/";
			tlen = 1;
		}
	}
	if (!tlen || target[0] != '/')
		return 400;
	for (size_t i = 0; i < tlen; i++) {
		if (target[i] == '#')
			return 400;
		if (target[i] == '?') {
			tlen = i;
			break;
		}
	}
	if (tlen >= HTTP_PATH_MAX)
		return 414;
	st = decode_path(target + 1, tlen - 1, req->path);
	if (st)
		return st;
	return HTTP_PARSE_OK;
}

int http_range_resolve(const struct http_range *r, uint64_t size, uint64_t *off, uint64_t *count)
{
	switch (r->kind) {
	case HTTP_RANGE_FROM:
		if (r->first >= size)
			return 416;
		*off = r->first;
		*count = size - r->first;
		return 206;
	case HTTP_RANGE_FROM_TO:
		if (r->first >= size)
			return 416;
		*off = r->first;
		*count = (r->last >= size ? size - 1 : r->last) - r->first + 1;
		return 206;
	case HTTP_RANGE_SUFFIX:
		if (!r->last || !size)
			return 416;
		*count = r->last > size ? size : r->last;
		*off = size - *count;
		return 206;
	default:
		*off = 0;
		*count = size;
		return 200;
	}
}

const char *http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 206: return "Partial Content";
	case 400: return "Bad Request";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 414: return "URI Too Long";
	case 416: return "Range Not Satisfiable";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 503: return "Service Unavailable";
	case 505: return "HTTP Version Not Supported";
	default: return "";
	}
}

const char *http_content_type(const char *path)
{
	static const struct { const char *ext, *type; } types[] = {
		{ ".html", "text/html" }, { ".htm", "text/html" }, { ".txt", "text/plain" },
		{ ".css", "text/css" }, { ".js", "text/javascript" }, { ".json", "application/json" },
		{ ".png", "image/png" }, { ".jpg", "image/jpeg" }, { ".svg", "image/svg+xml" },
	};
	size_t n = strlen(path);

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		size_t e = strlen(types[i].ext);
		if (n > e && word_is(path + n - e, e, types[i].ext))
			return types[i].type;
	}
	return "application/octet-stream";
}
