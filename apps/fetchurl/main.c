/*
 * fetchurl (docs/network.md, "fetchurl"): HTTP/1.1 downloads to files of
 * lib/vfs, one per <fetch> node of the config, in order:
 *
 *   <config timeout_ms="60000" retries="5" backoff_ms="250" max_backoff_ms="4000"
 *           redirects="5" report="yes">
 *     <net address="10.0.1.2" netmask="255.255.255.0" gateway="10.0.1.1"/>
 *     <vfs> <ram path="/tmp" quota="8M"/> </vfs>
 *     <fetch url="http://10.0.2.100/file.bin" path="/tmp/file.bin"/>
 *   </config>
 *
 * The network is a Nic session of nic_router (lib/net over net_nic). Each
 * fetch: connect, GET (with "Range: bytes=N-" once N bytes are written),
 * follow 301/302/303/307/308 (at most redirects=), write the body; a
 * refused or cut connection, a 408, 429 or 5xx answer is retried after a
 * back-off (backoff_ms, doubled per attempt up to max_backoff_ms, at most
 * retries= times) and a cut download resumes where it stopped (206 with
 * a matching Content-Range; a 200 instead starts the file again). The
 * whole fetch, retries included, ends at timeout_ms (attribute of the
 * config or of the fetch). What was written is hashed as it is written:
 * "fetchurl: <url>: N bytes, sha256 <hex>". Progress goes to the report
 * "progress" (report="yes"): <fetchurl url path done total attempt
 * state="connecting|fetching|waiting|done|failed"/>, and to the LOG per
 * MiB. At the end "fetchurl: N fetched, N failed", exit 0 if none failed;
 * a <fetch expect="failure"> (for tests) counts as fetched when it fails.
 * <fetch sha256="no">: no hash (the line says "no sha256").
 * A <fetch bench="NAME"> (run/http_download*_bench) also prints the busy
 * instructions of the whole fetch (argil/busy.h: under -icount shift=0
 * the machine's instructions, every component's) as a bench line.
 *
 * Transports are behind transport.h: "http" only; "https" is refused
 * until a TLS transport exists. Chunked transfer encoding is refused (the
 * request asks for none: HTTP/1.1 servers answer a Range or a Content-
 * Length, or close at the end).
 */
#include <argil/busy.h>
#include <argil/component.h>
#include <argil/config_rom.h>
#include <argil/printf.h>
#include <argil/string.h>
#include <net.h>
#include <net_nic.h>
#include <report_session.h>
#include <sha256.h>
#include <vfs.h>
#include "transport.h"

#define HDR_MAX 8192
#define BODY_CHUNK 16384
#define REPORT_SIZE 1024
#define REPORT_STEP (256u * 1024)
#define LOG_STEP (1024u * 1024)
#define UNKNOWN UINT64_MAX

struct url {
	char scheme[8];
	char host[128];
	uint16_t port;
	char path[512];
};

struct fetch {
	const char *path;
	struct url url;
	int fd;
	uint64_t done, total, deadline, logged, reported;
	unsigned attempt;
	struct sha256 sha;
	bool hash;               /* <fetch sha256="no">: no hash */
	const char *state;
};

static struct config_rom config;
static struct vfs vfs;
static struct net_nic_link link;
static struct net_stack *stack;
static struct reporter reporter;
static bool reporting;
static char hdr[HDR_MAX + 1];
static uint8_t body[BODY_CHUNK];
static char request[1024];

/* ---- small parsers ---- */

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool prefix_ci(const char *s, const char *p)
{
	for (; *p; s++, p++)
		if (lower(*s) != lower(*p))
			return false;
	return true;
}

/* Digits at *s (at least one) into *v; *s moves past them. */
static bool parse_u64(const char **s, uint64_t *v)
{
	const char *p = *s;
	uint64_t n = 0;

	if (*p < '0' || *p > '9')
		return false;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (n > (UINT64_MAX - 9) / 10)
			return false;
		n = n * 10 + (uint64_t)(*p - '0');
	}
	*s = p;
	*v = n;
	return true;
}

/* "scheme://host[:port]/path", or "/path" relative to base (a redirect). */
static bool url_parse(const char *s, struct url *u, const struct url *base)
{
	const char *p = s, *h;
	size_t n;

	if (*s == '/' && base) {
		*u = *base;
		n = strlen(s);
		if (n >= sizeof(u->path))
			return false;
		memcpy(u->path, s, n + 1);
		return true;
	}
	while (*p && *p != ':')
		p++;
	n = (size_t)(p - s);
	if (!n || n >= sizeof(u->scheme) || strncmp(p, "://", 3))
		return false;
	memcpy(u->scheme, s, n);
	u->scheme[n] = 0;
	h = p + 3;
	for (p = h; *p && *p != ':' && *p != '/'; p++)
		;
	n = (size_t)(p - h);
	if (!n || n >= sizeof(u->host))
		return false;
	memcpy(u->host, h, n);
	u->host[n] = 0;
	u->port = 80;
	if (*p == ':') {
		uint64_t port;

		p++;
		if (!parse_u64(&p, &port) || !port || port > 65535)
			return false;
		u->port = (uint16_t)port;
	}
	if (!*p)
		p = "/";
	if (*p != '/' || strlen(p) >= sizeof(u->path))
		return false;
	for (const char *q = p; *q; q++)
		if (*q <= ' ' || *q == 0x7f)
			return false;   /* would break the request line */
	memcpy(u->path, p, strlen(p) + 1);
	return true;
}

/* The value of header name in the header lines (after the status line,
 * each ended by "\r\n"), copied into out; false if there is none or it
 * does not fit. */
static bool header(const char *block, const char *name, char *out, size_t size)
{
	size_t nl = strlen(name);
	const char *l = block;

	while (*l) {
		const char *end = l, *v;
		size_t n;

		while (*end && *end != '\r')
			end++;
		if (prefix_ci(l, name) && l[nl] == ':') {
			for (v = l + nl + 1; *v == ' ' || *v == '\t'; v++)
				;
			n = (size_t)(end - v);
			while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
				n--;
			if (n >= size)
				return false;
			memcpy(out, v, n);
			out[n] = 0;
			return true;
		}
		if (!*end)
			break;
		l = end + (end[1] == '\n' ? 2 : 1);
	}
	return false;
}

/* ---- progress ---- */

static void report(struct fetch *f, const char *state, const char *url)
{
	char buf[REPORT_SIZE];
	char total[24];
	int n;

	f->state = state;
	if (!reporting)
		return;
	if (f->total == UNKNOWN)
		snprintf(total, sizeof(total), "unknown");
	else
		snprintf(total, sizeof(total), "%llu", (unsigned long long)f->total);
	n = snprintf(buf, sizeof(buf),
		     "<fetchurl url=\"%s\" path=\"%s\" done=\"%llu\" total=\"%s\" attempt=\"%u\" state=\"%s\"/>\n",
		     url, f->path, (unsigned long long)f->done, total, f->attempt, state);
	if (n > 0 && (size_t)n < sizeof(buf) && reporter_submit(&reporter, buf, (word_t)n) != RPC_OK)
		printf("warning: report not taken\n");
}

/* ---- one fetch ---- */

enum outcome { DONE, RETRY, FAIL, REDIRECT };

static bool open_file(struct fetch *f, bool restart)
{
	fs_err_t err;

	if (f->fd >= 0)
		vfs_close(&vfs, f->fd);
	f->fd = -1;
	err = vfs_open(&vfs, f->path, FS_OPEN_CREATE | FS_OPEN_TRUNC | FS_OPEN_WRITE, 0644, &f->fd);
	if (err != FS_OK) {
		printf("fetchurl: %s: cannot open: %s\n", f->path, fs_err_name(err));
		f->fd = -1;
		return false;
	}
	if (restart)
		printf("fetchurl: %s: starting again from byte 0\n", f->path);
	f->done = 0;
	f->logged = f->reported = 0;
	sha256_init(&f->sha);
	return true;
}

static bool put(struct fetch *f, const char *url, const void *p, size_t n)
{
	size_t wrote;
	fs_err_t err;

	if (!n)
		return true;
	if (f->total != UNKNOWN && n > f->total - f->done) {
		printf("fetchurl: %s: more body than announced\n", url);
		return false;
	}
	err = vfs_write(&vfs, f->fd, p, n, &wrote);
	if (err == FS_OK && wrote != n)
		err = FS_E_NOSPC;
	if (err != FS_OK) {
		printf("fetchurl: %s: write failed: %s\n", f->path, fs_err_name(err));
		return false;
	}
	if (f->hash)
		sha256_update(&f->sha, p, n);
	f->done += n;
	if (f->done - f->reported >= REPORT_STEP) {
		f->reported = f->done;
		report(f, "fetching", url);
	}
	if (f->done - f->logged >= LOG_STEP) {
		f->logged = f->done - f->done % LOG_STEP;
		if (f->total == UNKNOWN)
			printf("fetchurl: progress %llu bytes\n", (unsigned long long)f->done);
		else
			printf("fetchurl: progress %llu of %llu bytes\n", (unsigned long long)f->done,
			       (unsigned long long)f->total);
	}
	return true;
}

static uint64_t remaining_us(const struct fetch *f)
{
	uint64_t now = net_now_us();

	return now >= f->deadline ? 0 : f->deadline - now;
}

/* One request and its answer; *why says what went wrong. */
static enum outcome attempt(struct fetch *f, const char *url, struct url *next, const char **why)
{
	struct transport t = { .so = 0, .stack = stack };
	char value[128];
	uint32_t ip;
	size_t have = 0, got;
	char *end = NULL, *p;
	uint64_t status, len = UNKNOWN;
	const char *q;
	net_err_t err;
	int n;

	t.ops = transport_for(f->url.scheme, strlen(f->url.scheme));
	if (!t.ops) {
		*why = "no transport for this scheme (only http)";
		return FAIL;
	}
	if (!net_ip_parse(f->url.host, &ip)) {
		err = net_resolve(f->url.host, &ip, remaining_us(f));
		if (err != NET_OK) {
			*why = net_err_name(err);
			return err == NET_E_NOT_FOUND ? FAIL : RETRY;
		}
	}
	report(f, "connecting", url);
	err = t.ops->connect(&t, ip, f->url.port, remaining_us(f));
	if (err != NET_OK) {
		*why = net_err_name(err);
		return RETRY;
	}
	if (f->done)
		n = snprintf(request, sizeof(request),
			     "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: argil-fetchurl\r\nAccept: */*\r\n"
			     "Connection: close\r\nRange: bytes=%llu-\r\n\r\n",
			     f->url.path, f->url.host, (unsigned long long)f->done);
	else
		n = snprintf(request, sizeof(request),
			     "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: argil-fetchurl\r\nAccept: */*\r\n"
			     "Connection: close\r\n\r\n",
			     f->url.path, f->url.host);
	if (n < 0 || (size_t)n >= sizeof(request)) {
		t.ops->close(&t);
		*why = "request too long";
		return FAIL;
	}
	err = t.ops->send(&t, request, (size_t)n);
	/* the header */
	while (err == NET_OK && !end) {
		if (have == HDR_MAX) {
			t.ops->close(&t);
			*why = "response header too long";
			return FAIL;
		}
		err = t.ops->recv(&t, hdr + have, HDR_MAX - have, &got);
		if (err != NET_OK)
			break;
		if (!got) {
			t.ops->close(&t);
			*why = "connection closed before the response header";
			return RETRY;
		}
		have += got;
		hdr[have] = 0;
		for (size_t i = 0; i + 3 < have && !end; i++)
			if (!memcmp(hdr + i, "\r\n\r\n", 4))
				end = hdr + i;
	}
	if (err != NET_OK) {
		t.ops->close(&t);
		*why = net_err_name(err);
		return RETRY;
	}
	end[2] = 0;   /* the header lines, each with its "\r\n" */
	q = hdr;
	if (!prefix_ci(q, "HTTP/1.") || (q[7] != '0' && q[7] != '1') || q[8] != ' ' ||
	    (q += 9, !parse_u64(&q, &status)) || status < 100 || status > 599) {
		t.ops->close(&t);
		*why = "not an HTTP/1.x response";
		return FAIL;
	}
	for (p = hdr; *p && *p != '\n'; p++)
		;
	if (*p)
		p++;   /* the header lines after the status line */
	if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
		t.ops->close(&t);
		if (!header(p, "Location", request, sizeof(request)) || !url_parse(request, next, &f->url)) {
			*why = "a redirect without a usable Location";
			return FAIL;
		}
		printf("fetchurl: %s: %llu redirect to %s\n", url, (unsigned long long)status, request);
		return REDIRECT;
	}
	if (status == 408 || status == 429 || status >= 500) {
		t.ops->close(&t);
		snprintf(request, sizeof(request), "HTTP status %llu", (unsigned long long)status);
		*why = request;
		return RETRY;
	}
	if (status != 200 && status != 206) {
		t.ops->close(&t);
		snprintf(request, sizeof(request), "HTTP status %llu", (unsigned long long)status);
		*why = request;
		return FAIL;
	}
	if (header(p, "Transfer-Encoding", value, sizeof(value)) && !prefix_ci(value, "identity")) {
		t.ops->close(&t);
		*why = "chunked transfer encoding is not supported";
		return FAIL;
	}
	if (header(p, "Content-Length", value, sizeof(value))) {
		q = value;
		if (!parse_u64(&q, &len) || *q) {
			t.ops->close(&t);
			*why = "a malformed Content-Length";
			return FAIL;
		}
	}
	if (status == 206) {
		uint64_t first, last, total;

		q = value;
		if (!header(p, "Content-Range", value, sizeof(value)) || !prefix_ci(q, "bytes ") ||
		    (q += 6, !parse_u64(&q, &first)) || *q++ != '-' || !parse_u64(&q, &last) ||
		    *q++ != '/' || !parse_u64(&q, &total) || *q || last < first || last >= total ||
		    (len != UNKNOWN && len != last - first + 1)) {
			t.ops->close(&t);
			*why = "a malformed Content-Range";
			return FAIL;
		}
		if (first != f->done || last + 1 != total) {
			t.ops->close(&t);
			if (!open_file(f, true)) {
				*why = "cannot restart the file";
				return FAIL;
			}
			*why = "a range that is not the one asked for";
			return RETRY;
		}
		if (f->done)
			printf("fetchurl: %s: resumed at byte %llu of %llu\n", url,
			       (unsigned long long)first, (unsigned long long)total);
		f->total = total;
	} else {
		if (f->done && !open_file(f, true)) {
			t.ops->close(&t);
			*why = "cannot restart the file";
			return FAIL;
		}
		f->total = len;
	}
	report(f, "fetching", url);
	/* the body: what came with the header, then the rest */
	end += 4;
	if (!put(f, url, end, (size_t)(hdr + have - end))) {
		t.ops->close(&t);
		*why = "bad body";
		return FAIL;
	}
	while (f->total == UNKNOWN || f->done < f->total) {
		err = t.ops->recv(&t, body, sizeof(body), &got);
		if (err != NET_OK || !got)
			break;
		if (!put(f, url, body, got)) {
			t.ops->close(&t);
			*why = "bad body";
			return FAIL;
		}
	}
	t.ops->close(&t);
	if (f->total == UNKNOWN && err == NET_OK) {
		f->total = f->done;
		return DONE;
	}
	if (f->done == f->total)
		return DONE;
	*why = err != NET_OK ? net_err_name(err) : "connection cut before the end of the body";
	return RETRY;
}

struct settings {
	uint64_t timeout_ms, retries, backoff_ms, max_backoff_ms, redirects;
};

static bool fetch(const struct cfg_node *n, const struct settings *s)
{
	const char *url = cfg_attr(n, "url");
	struct fetch f = { .path = cfg_attr(n, "path"), .fd = -1, .total = UNKNOWN };
	uint64_t timeout_ms, backoff_ms = s->backoff_ms, redirects = 0, start = net_now_us();
	const char *why = "";
	char hex[SHA256_HEX];
	uint8_t digest[SHA256_DIGEST];
	struct url next;
	bool ok = false;

	if (!url || !f.path || cfg_attr_u64(n, "timeout_ms", s->timeout_ms, &timeout_ms) < 0 ||
	    !timeout_ms || cfg_attr_bool(n, "sha256", true, &f.hash) < 0) {
		printf("fetchurl: config: <fetch> (line %u) needs url=, path= and a timeout_ms= above 0; "
		       "sha256= is yes or no\n", n->line);
		return false;
	}
	if (!url_parse(url, &f.url, NULL)) {
		printf("fetchurl: %s: not a URL of the form scheme://host[:port]/path\n", url);
		return false;
	}
	if (!transport_for(f.url.scheme, strlen(f.url.scheme))) {
		printf("fetchurl: %s: scheme %s is not supported (only http; https needs a TLS transport)\n",
		       url, f.url.scheme);
		return false;
	}
	f.deadline = start + timeout_ms * 1000;
	if (!open_file(&f, false))
		return false;
	for (;;) {
		enum outcome o;

		f.attempt++;
		o = attempt(&f, url, &next, &why);
		if (o == DONE) {
			ok = true;
			break;
		}
		if (o == FAIL)
			break;
		if (o == REDIRECT) {
			if (++redirects > s->redirects) {
				why = "too many redirects";
				break;
			}
			f.url = next;
			f.attempt--;
			continue;
		}
		if (f.attempt > s->retries) {
			printf("fetchurl: %s: attempt %u failed: %s\n", url, f.attempt, why);
			why = "no retries left";
			break;
		}
		if (remaining_us(&f) <= backoff_ms * 1000) {
			printf("fetchurl: %s: attempt %u failed: %s\n", url, f.attempt, why);
			why = "timed out";
			break;
		}
		printf("fetchurl: %s: attempt %u failed: %s; retrying in %llu ms (%llu bytes written)\n",
		       url, f.attempt, why, (unsigned long long)backoff_ms, (unsigned long long)f.done);
		report(&f, "waiting", url);
		for (uint64_t until = net_now_us() + backoff_ms * 1000; net_now_us() < until;)
			net_wait(until - net_now_us());
		backoff_ms = backoff_ms * 2 > s->max_backoff_ms ? s->max_backoff_ms : backoff_ms * 2;
	}
	if (f.fd >= 0)
		vfs_close(&vfs, f.fd);
	if (!ok) {
		report(&f, "failed", url);
		printf("fetchurl: %s: failed after %u attempts: %s\n", url, f.attempt, why);
		return false;
	}
	report(&f, "done", url);
	if (!f.hash) {
		printf("fetchurl: %s: %llu bytes in %llu ms, %u attempts, no sha256\n", url,
		       (unsigned long long)f.done, (unsigned long long)((net_now_us() - start) / 1000),
		       f.attempt);
		return true;
	}
	sha256_final(&f.sha, digest);
	sha256_hex(digest, hex);
	printf("fetchurl: %s: %llu bytes in %llu ms, %u attempts, sha256 %s\n", url,
	       (unsigned long long)f.done, (unsigned long long)((net_now_us() - start) / 1000),
	       f.attempt, hex);
	return true;
}

void component_construct(struct component_env *env)
{
	struct settings s;
	const struct cfg_node *net_node;
	unsigned fetched = 0, failed = 0;
	bool report_on = false;
	fs_err_t ferr;
	net_err_t err;

	if (config_rom_open(&config, "config", 0, 0, 0) != RPC_OK || !config.node) {
		printf("error: no config\n");
		component_exit(1);
	}
	net_node = cfg_child(config.node, "net");
	if (cfg_attr_u64(config.node, "timeout_ms", 60000, &s.timeout_ms) < 0 ||
	    cfg_attr_u64(config.node, "retries", 5, &s.retries) < 0 ||
	    cfg_attr_u64(config.node, "backoff_ms", 250, &s.backoff_ms) < 0 ||
	    cfg_attr_u64(config.node, "max_backoff_ms", 4000, &s.max_backoff_ms) < 0 ||
	    cfg_attr_u64(config.node, "redirects", 5, &s.redirects) < 0 ||
	    cfg_attr_bool(config.node, "report", false, &report_on) < 0 || !net_node ||
	    s.retries > 1000 || s.backoff_ms > 3600000 || s.max_backoff_ms > 3600000) {
		printf("error: config: timeout_ms, retries (<= 1000), backoff_ms, max_backoff_ms, redirects "
		       "are numbers, report is yes or no, and <net> is needed\n");
		component_exit(1);
	}
	ferr = vfs_init(&vfs, cfg_child(config.node, "vfs"));
	if (ferr != FS_OK) {
		printf("error: cannot mount: %s\n", fs_err_name(ferr));
		component_exit(1);
	}
	if (report_on) {
		if (reporter_open(&reporter, "progress", REPORT_SIZE) != RPC_OK) {
			printf("error: no Report session \"progress\"\n");
			component_exit(1);
		}
		reporting = true;
	}
	err = net_init(&env->ep, net_node);
	if (err == NET_OK)
		err = net_nic_link_open(&link, &env->ep, "");
	if (err == NET_OK)
		err = net_stack_open(&stack, &link.link, net_node);
	if (err == NET_OK)
		err = net_stack_wait_address(stack, s.timeout_ms * 1000);
	if (err != NET_OK) {
		printf("error: no network: %s\n", net_err_name(err));
		component_exit(1);
	}
	for (const struct cfg_node *n = cfg_child(config.node, "fetch"); n; n = cfg_next(n, "fetch")) {
		bool must_fail = cfg_attr_is(n, "expect", "failure");

		if (cfg_attr(n, "expect") && !must_fail) {
			printf("fetchurl: config: <fetch> (line %u): expect= is \"failure\" or absent\n",
			       n->line);
			failed++;
		} else if (cfg_attr(n, "bench") && must_fail) {
			printf("fetchurl: config: <fetch> (line %u): bench= with expect=\"failure\"\n",
			       n->line);
			failed++;
		} else if (cfg_attr(n, "bench")) {
			/* a benchmark: the machine's busy instructions for the fetch */
			struct busy_clock c;
			busy_start(&c);
			bool ok = fetch(n, &s);
			uint64_t busy = busy_instructions(&c, 0);
			if (ok) {
				fetched++;
				bench_line(cfg_attr(n, "bench"), (unsigned long)busy, "busy instructions");
			} else
				failed++;
		} else if (fetch(n, &s) != must_fail) {
			fetched++;
			if (must_fail)
				printf("fetchurl: %s: failed as expected\n", cfg_attr(n, "url"));
		} else {
			failed++;
			if (must_fail)
				printf("fetchurl: %s: succeeded, but expect=\"failure\"\n", cfg_attr(n, "url"));
		}
	}
	vfs_fini(&vfs);
	printf("fetchurl: %u fetched, %u failed\n", fetched, failed);
	if (reporting)
		reporter_close(&reporter);
	component_exit(failed ? 1 : 0);
}
