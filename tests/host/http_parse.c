// sources: apps/http_server/http_parse.c
// cflags: -Iapps/http_server
/*
 * Host unit tests of http_server's request parser
 * (apps/http_server/http_parse.c): whole and partial heads, methods,
 * versions, targets (decoding, normalisation, confinement), header fields,
 * keep-alive, Range and its resolution against a file's size.
 *
 * Area: HTTPPARSE.
 */
#include <string.h>
#include <harness.h>
#include "http_parse.h"

static int parse(const char *text, struct http_request *r)
{
	return http_parse_request(text, strlen(text), r);
}

struct req_row {
	TEST_ROW;
	const char *text;
	int result;
	const char *path;      /* for HTTP_PARSE_OK */
};

static const struct req_row req_rows[] = {
	{ "HTTPPARSE_0001", "a plain GET", "GET /file.bin HTTP/1.1\r\nHost: x\r\n\r\n", HTTP_PARSE_OK, "/file.bin" },
	{ "HTTPPARSE_0002", "HEAD of the root", "HEAD / HTTP/1.1\r\nHost: x\r\n\r\n", HTTP_PARSE_OK, "/" },
	{ "HTTPPARSE_0003", "bare LF line ends", "GET /a HTTP/1.0\n\n", HTTP_PARSE_OK, "/a" },
	{ "HTTPPARSE_0004", "a head not yet whole", "GET /a HTTP/1.1\r\nHost: x\r\n", HTTP_PARSE_INCOMPLETE, 0 },
	{ "HTTPPARSE_0005", "nothing yet", "", HTTP_PARSE_INCOMPLETE, 0 },
	{ "HTTPPARSE_0006", "POST: not allowed", "POST /a HTTP/1.1\r\nHost: x\r\n\r\n", 405, 0 },
	{ "HTTPPARSE_0007", "an unknown method", "BREW /a HTTP/1.1\r\nHost: x\r\n\r\n", 501, 0 },
	{ "HTTPPARSE_0008", "HTTP/2.0", "GET /a HTTP/2.0\r\nHost: x\r\n\r\n", 505, 0 },
	{ "HTTPPARSE_0009", "a malformed version", "GET /a HTTX/1.1\r\nHost: x\r\n\r\n", 400, 0 },
	{ "HTTPPARSE_0010", "HTTP/1.1 without Host", "GET /a HTTP/1.1\r\n\r\n", 400, 0 },
	{ "HTTPPARSE_0011", "two Host fields", "GET /a HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n", 400, 0 },
	{ "HTTPPARSE_0012", "a space before the colon", "GET /a HTTP/1.1\r\nHost : x\r\n\r\n", 400, 0 },
	{ "HTTPPARSE_0013", "obsolete line folding", "GET /a HTTP/1.1\r\nHost: x\r\n y\r\n\r\n", 400, 0 },
	{ "HTTPPARSE_0014", "a field without a colon", "GET /a HTTP/1.1\r\nHost x\r\n\r\n", 400, 0 },
	{ "HTTPPARSE_0015", "a control byte in a value", "GET /a HTTP/1.1\r\nHost: x\x01y\r\n\r\n", 400, 0 },
	{ "HTTPPARSE_0016", "percent decoding", "GET /a%20b%41 HTTP/1.1\r\nHost: x\r\n\r\n", HTTP_PARSE_OK, "/a bA" },
	{ "HTTPPARSE_0017", "an encoded NUL", "GET /a%00b HTTP/1.1\r\nHost: x\r\n\r\n", 400, 0 },
	{ "HTTPPARSE_0018", "a bad percent escape", "GET /a%4 HTTP/1.1\r\nHost: x\r\n\r\n", 400, 0 },
	{ "HTTPPARSE_0019", "a percent at the end", "GET /a% HTTP/1.1\r\nHost: x\r\n\r\n", 400, 0 },
	{ "HTTPPARSE_0020", "an encoded slash", "GET /a%2fb HTTP/1.1\r\nHost: x\r\n\r\n", 400, 0 },
	{ "HTTPPARSE_0021", "dot segments within the root", "GET /a/./b/../c//d/ HTTP/1.1\r\nHost: x\r\n\r\n", HTTP_PARSE_OK, "/a/c/d" },
	{ "HTTPPARSE_0022", "'..' above the root", "GET /../etc HTTP/1.1\r\nHost: x\r\n\r\n", 400, 0 },
	{ "HTTPPARSE_0023", "'..' above the root, encoded", "GET /a/%2e%2E/%2E. HTTP/1.1\r\nHost: x\r\n\r\n", 400, 0 },
	{ "HTTPPARSE_0024", "a query is dropped", "GET /a?x=/../.. HTTP/1.1\r\nHost: x\r\n\r\n", HTTP_PARSE_OK, "/a" },
	{ "HTTPPARSE_0025", "absolute-form", "GET http://10.0.2.15:8080/d/f HTTP/1.1\r\nHost: x\r\n\r\n", HTTP_PARSE_OK, "/d/f" },
	{ "HTTPPARSE_0026", "absolute-form without a path", "GET http://h HTTP/1.1\r\nHost: x\r\n\r\n", HTTP_PARSE_OK, "/" },
	{ "HTTPPARSE_0027", "a relative target", "GET a/b HTTP/1.1\r\nHost: x\r\n\r\n", 400, 0 },
	{ "HTTPPARSE_0028", "the asterisk form", "GET * HTTP/1.1\r\nHost: x\r\n\r\n", 400, 0 },
	{ "HTTPPARSE_0029", "a fragment", "GET /a#b HTTP/1.1\r\nHost: x\r\n\r\n", 400, 0 },
	{ "HTTPPARSE_0030", "two spaces in the request line", "GET  /a HTTP/1.1\r\nHost: x\r\n\r\n", 400, 0 },
	{ "HTTPPARSE_0031", "a garbage method, before the head is whole", "\x16\x03\x01\x02", 400, 0 },
	{ "HTTPPARSE_0032", "Transfer-Encoding: not taken", "GET /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n", 501, 0 },
	{ "HTTPPARSE_0033", "two different Content-Lengths", "GET /a HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400, 0 },
	{ "HTTPPARSE_0034", "a Content-Length that is no number", "GET /a HTTP/1.1\r\nHost: x\r\nContent-Length: 1x\r\n\r\n", 400, 0 },
	{ "HTTPPARSE_0035", "empty lines before the request line", "\r\n\r\nGET /a HTTP/1.1\r\nHost: x\r\n\r\n", HTTP_PARSE_OK, "/a" },
	{ "HTTPPARSE_0036", "a lowercase method is another method", "get /a HTTP/1.1\r\nHost: x\r\n\r\n", 501, 0 },
};

TEST_TABLE(HTTPPARSE_0001, req_rows, row)
{
	struct http_request r;

	CHECK_EQ(parse(row->text, &r), row->result);
	if (row->result == HTTP_PARSE_OK) {
		CHECK(!strcmp(r.path, row->path));
		CHECK_EQ(r.head_len, strlen(row->text));
	}
}

TEST(HTTPPARSE_0040, "a request line longer than HTTP_LINE_MAX: 414, even before the head is whole")
{
	static char buf[HTTP_LINE_MAX + 64];
	struct http_request r;

	memcpy(buf, "GET /", 5);
	memset(buf + 5, 'a', sizeof(buf) - 5);
	CHECK_EQ(http_parse_request(buf, sizeof(buf), &r), 414);
	/* a path that fits the line but not HTTP_PATH_MAX: 414 too */
	memcpy(buf + 5 + HTTP_PATH_MAX + 10, " HTTP/1.1\r\nHost: x\r\n\r\n", 23);
	CHECK_EQ(http_parse_request(buf, 5 + HTTP_PATH_MAX + 10 + 23, &r), 414);
}

TEST(HTTPPARSE_0041, "a head larger than HTTP_HEAD_MAX: 400; too many fields: 400")
{
	static char buf[HTTP_HEAD_MAX + 512];
	struct http_request r;
	size_t n = 0;

	n += (size_t)sprintf(buf, "GET / HTTP/1.1\r\nHost: x\r\n");
	while (n < HTTP_HEAD_MAX + 100)
		n += (size_t)sprintf(buf + n, "X-A: %0100d\r\n", 1);
	CHECK_EQ(http_parse_request(buf, n, &r), 400);
	n = (size_t)sprintf(buf, "GET / HTTP/1.1\r\nHost: x\r\n");
	for (int i = 0; i < HTTP_FIELDS_MAX; i++)
		n += (size_t)sprintf(buf + n, "X-%d: y\r\n", i);
	n += (size_t)sprintf(buf + n, "\r\n");
	CHECK_EQ(http_parse_request(buf, n, &r), 400);
}

TEST(HTTPPARSE_0042, "keep-alive: HTTP/1.1 by default, HTTP/1.0 on request, Connection: close ends it")
{
	struct http_request r;

	CHECK_EQ(parse("GET / HTTP/1.1\r\nHost: x\r\n\r\n", &r), HTTP_PARSE_OK);
	CHECK(r.keep_alive);
	CHECK_EQ(parse("GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, close\r\n\r\n", &r), HTTP_PARSE_OK);
	CHECK(!r.keep_alive);
	CHECK_EQ(parse("GET / HTTP/1.0\r\n\r\n", &r), HTTP_PARSE_OK);
	CHECK(!r.keep_alive);
	CHECK_EQ(parse("GET / HTTP/1.0\r\nconnection: Keep-Alive\r\n\r\n", &r), HTTP_PARSE_OK);
	CHECK(r.keep_alive);
	CHECK_EQ(r.minor, 0);
	CHECK_EQ(parse("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n", &r), HTTP_PARSE_OK);
	CHECK_EQ(r.content_length, 5u);
}

TEST(HTTPPARSE_0043, "pipelined requests: head_len is where the next one starts")
{
	const char *two = "GET /a HTTP/1.1\r\nHost: x\r\n\r\nHEAD /b HTTP/1.1\r\nHost: x\r\n\r\n";
	struct http_request r;

	CHECK_EQ(parse(two, &r), HTTP_PARSE_OK);
	CHECK(!strcmp(r.path, "/a"));
	CHECK_EQ(r.method, HTTP_GET);
	CHECK_EQ(http_parse_request(two + r.head_len, strlen(two) - r.head_len, &r), HTTP_PARSE_OK);
	CHECK(!strcmp(r.path, "/b"));
	CHECK_EQ(r.method, HTTP_HEAD);
}

struct range_row {
	TEST_ROW;
	const char *field;
	enum http_range_kind kind;
	uint64_t size;
	int status;
	uint64_t off, count;
};

static const struct range_row range_rows[] = {
	{ "HTTPPARSE_0050", "first-last", "bytes=0-99", HTTP_RANGE_FROM_TO, 1000, 206, 0, 100 },
	{ "HTTPPARSE_0051", "last beyond the end", "bytes=900-5000", HTTP_RANGE_FROM_TO, 1000, 206, 900, 100 },
	{ "HTTPPARSE_0052", "first-", "bytes=10-", HTTP_RANGE_FROM, 1000, 206, 10, 990 },
	{ "HTTPPARSE_0053", "a suffix", "bytes=-10", HTTP_RANGE_SUFFIX, 1000, 206, 990, 10 },
	{ "HTTPPARSE_0054", "a suffix longer than the file", "bytes=-5000", HTTP_RANGE_SUFFIX, 1000, 206, 0, 1000 },
	{ "HTTPPARSE_0055", "first at the end: unsatisfiable", "bytes=1000-", HTTP_RANGE_FROM, 1000, 416, 0, 0 },
	{ "HTTPPARSE_0056", "a suffix of 0: unsatisfiable", "bytes=-0", HTTP_RANGE_SUFFIX, 1000, 416, 0, 0 },
	{ "HTTPPARSE_0057", "any range of an empty file: unsatisfiable", "bytes=0-0", HTTP_RANGE_FROM_TO, 0, 416, 0, 0 },
	{ "HTTPPARSE_0058", "several ranges: ignored", "bytes=0-1,5-6", HTTP_RANGE_IGNORED, 1000, 200, 0, 1000 },
	{ "HTTPPARSE_0059", "last before first: ignored", "bytes=5-1", HTTP_RANGE_IGNORED, 1000, 200, 0, 1000 },
	{ "HTTPPARSE_0060", "another unit: ignored", "items=0-1", HTTP_RANGE_IGNORED, 1000, 200, 0, 1000 },
	{ "HTTPPARSE_0061", "no number: ignored", "bytes=-", HTTP_RANGE_IGNORED, 1000, 200, 0, 1000 },
	{ "HTTPPARSE_0062", "an overflowing number: ignored", "bytes=99999999999999999999-", HTTP_RANGE_IGNORED, 1000, 200, 0, 1000 },
	{ "HTTPPARSE_0063", "upper-case unit and spaces", "BYTES= 2-3 ", HTTP_RANGE_FROM_TO, 1000, 206, 2, 2 },
};

TEST_TABLE(HTTPPARSE_0050, range_rows, row)
{
	char text[256];
	struct http_request r;
	uint64_t off = 77, count = 77;

	snprintf(text, sizeof(text), "GET /f HTTP/1.1\r\nHost: x\r\nRange: %s\r\n\r\n", row->field);
	CHECK_EQ(parse(text, &r), HTTP_PARSE_OK);
	CHECK_EQ(r.range.kind, row->kind);
	CHECK_EQ(http_range_resolve(&r.range, row->size, &off, &count), row->status);
	if (row->status != 416) {
		CHECK_EQ(off, row->off);
		CHECK_EQ(count, row->count);
	}
}

TEST(HTTPPARSE_0070, "Range is ignored for HEAD; no Range: the whole file")
{
	struct http_request r;
	uint64_t off, count;

	CHECK_EQ(parse("HEAD /f HTTP/1.1\r\nHost: x\r\nRange: bytes=0-1\r\n\r\n", &r), HTTP_PARSE_OK);
	CHECK_EQ(r.range.kind, HTTP_RANGE_NONE);
	CHECK_EQ(http_range_resolve(&r.range, 10, &off, &count), 200);
	CHECK_EQ(count, 10u);
	CHECK(!strcmp(http_reason(416), "Range Not Satisfiable"));
	CHECK(!strcmp(http_content_type("/x/index.HTML"), "text/html"));
	CHECK(!strcmp(http_content_type("/file.bin"), "application/octet-stream"));
}

TEST(HTTPPARSE_0071, "every prefix of a valid request is incomplete, never an error")
{
	const char *t = "GET /dir/file.bin?q=1 HTTP/1.1\r\nHost: 10.0.2.15\r\nRange: bytes=1-2\r\nConnection: keep-alive\r\n\r\n";
	struct http_request r;

	for (size_t n = 0; n < strlen(t); n++)
		CHECK_EQ(http_parse_request(t, n, &r), HTTP_PARSE_INCOMPLETE);
	CHECK_EQ(http_parse_request(t, strlen(t), &r), HTTP_PARSE_OK);
}

int main(int argc, char **argv)
{
	return test_main(argc, argv);
}
