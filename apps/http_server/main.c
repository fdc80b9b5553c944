/*
 * http_server (docs/network.md, "http_server"): an HTTP/1.1 server on
 * lib/net behind nic_router that serves the files of lib/vfs (normally a
 * File_system session): GET, HEAD, one byte range (206, 416),
 * Content-Length, keep-alive and pipelining, up to `connections` clients
 * at once over non-blocking sockets on the entrypoint. Every request gets
 * a log line: peer "request" status bytes.
 *
 *   <config port="80" root="/www" connections="8" idle_timeout_ms="30000">
 *     <net address="10.0.4.2" netmask="255.255.255.0" gateway="10.0.4.1"/>
 *     <vfs> <fs path="/www" label="www"/> </vfs>
 *   </config>
 *
 * A bad request (http_parse.c says why: 400, 405, 414, 501, 505) is
 * answered and its connection closed; nothing else is spent on it. A
 * client beyond `connections` gets a 503 and is closed; a connection idle
 * (nothing received, nothing sent) for idle_timeout_ms is closed.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <argil/component.h>
#include <argil/config_rom.h>
#include <net.h>
#include <net_nic.h>
#include <vfs.h>
#include "http_parse.h"

#define CONNS_MAX 16
#define OUT_SIZE 16384

struct conn {
	net_socket_t so;             /* 0: a free slot */
	char peer[24];               /* a.b.c.d:port */
	char in[HTTP_HEAD_MAX + 1];
	size_t in_len;
	char out[OUT_SIZE];
	size_t out_len, out_off;     /* bytes of out still to send */
	int fd;                      /* the file being sent, -1: none */
	uint64_t left;               /* its bytes still to read */
	uint64_t skip;               /* request body bytes to drop */
	bool close_after;            /* close once everything is sent */
	uint64_t last_us;            /* the last progress */
};

static struct component_env *env;
static struct config_rom config;
static struct vfs vfs;
static struct net_nic_link link;
static struct net_stack *stack;
static struct conn conns[CONNS_MAX];
static unsigned n_conns = 8;
static uint64_t idle_us = 30000000;
static char root[VFS_MOUNT_PATH] = "";
static unsigned long long served, refused;

static void conn_close(struct conn *c)
{
	if (c->fd >= 0)
		vfs_close(&vfs, c->fd);
	net_close(c->so);
	c->so = 0;
	c->fd = -1;
}

/* The log's copy of what a client sent: printable ASCII only. */
static void sanitize(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e || *s == '"')
			*s = '?';
}

static const char *method_name(enum http_method m)
{
	return m == HTTP_HEAD ? "HEAD" : "GET";
}

/* The head of an answer into c->out. */
static void head(struct conn *c, int status, uint64_t length, const char *type, const char *extra,
		 bool keep, int minor)
{
	int n = snprintf(c->out, sizeof(c->out),
			 "HTTP/1.1 %d %s\r\nServer: argil-http_server\r\nContent-Length: %llu\r\n"
			 "Content-Type: %s\r\nAccept-Ranges: bytes\r\n%s%s\r\n",
			 status, http_reason(status), (unsigned long long)length, type, extra,
			 !keep ? "Connection: close\r\n" : minor == 0 ? "Connection: keep-alive\r\n" : "");

	c->out_len = n > 0 && (size_t)n < sizeof(c->out) ? (size_t)n : 0;
	c->out_off = 0;
}

/* An error answer; the connection closes after it unless keep. */
static void answer_error(struct conn *c, int status, bool send_body, bool keep, int minor)
{
	char body[64];
	const char *extra = status == 405 ? "Allow: GET, HEAD\r\n" : "";
	int n = snprintf(body, sizeof(body), "%d %s\n", status, http_reason(status));

	head(c, status, (uint64_t)n, "text/plain", extra, keep, minor);
	if (send_body && c->out_len + (size_t)n <= sizeof(c->out)) {
		memcpy(c->out + c->out_len, body, (size_t)n);
		c->out_len += (size_t)n;
	}
	c->close_after = !keep;
}

static void log_request(struct conn *c, const struct http_request *r, int status, uint64_t bytes)
{
	char target[sizeof(r->target)];

	memcpy(target, r->target, sizeof(target));
	target[sizeof(target) - 1] = 0;
	sanitize(target);
	printf("http_server: %s \"%s %s HTTP/1.%d\" %d %llu\n", c->peer, method_name(r->method), target,
	       r->minor, status, (unsigned long long)bytes);
}

/* Answer a parsed request: the file, a part of it, or an error. */
static void serve(struct conn *c, const struct http_request *r)
{
	char path[VFS_MOUNT_PATH + HTTP_PATH_MAX];
	struct fs_stat st;
	uint64_t off = 0, count = 0;
	bool get = r->method == HTTP_GET;
	int status, fd = -1;
	fs_err_t e;

	snprintf(path, sizeof(path), "%s%s", root, r->path[1] || !*root ? r->path : "");
	e = vfs_open(&vfs, path, 0, 0, &fd);
	if (e == FS_OK && (e = vfs_fstat(&vfs, fd, &st)) == FS_OK && (st.mode & FS_IFMT) == FS_IFDIR)
		e = FS_E_ISDIR;
	if (e != FS_OK) {
		if (fd >= 0)
			vfs_close(&vfs, fd);
		status = e == FS_E_NOENT || e == FS_E_NOTDIR || e == FS_E_ISDIR ? 404 :
			 e == FS_E_NAMETOOLONG ? 414 : 500;
		if (status == 500)
			printf("http_server: %s: %s\n", path, fs_err_name(e));
		/* 404 keeps the connection; 414 and 500 end it */
		answer_error(c, status, get, status == 404 && r->keep_alive, r->minor);
		log_request(c, r, status, 0);
		return;
	}
	status = http_range_resolve(&r->range, st.size, &off, &count);
	if (status == 416) {
		char extra[64];
		snprintf(extra, sizeof(extra), "Content-Range: bytes */%llu\r\n",
			 (unsigned long long)st.size);
		head(c, 416, 0, "text/plain", extra, r->keep_alive, r->minor);
		vfs_close(&vfs, fd);
		c->close_after = !r->keep_alive;
		log_request(c, r, 416, 0);
		return;
	}
	if (off && vfs_seek(&vfs, fd, (int64_t)off, VFS_SEEK_SET, 0) != FS_OK) {
		vfs_close(&vfs, fd);
		answer_error(c, 500, get, false, r->minor);
		log_request(c, r, 500, 0);
		return;
	}
	{
		char extra[96] = "";
		if (status == 206)
			snprintf(extra, sizeof(extra), "Content-Range: bytes %llu-%llu/%llu\r\n",
				 (unsigned long long)off, (unsigned long long)(off + count - 1),
				 (unsigned long long)st.size);
		head(c, status, count, http_content_type(r->path), extra, r->keep_alive, r->minor);
	}
	c->close_after = !r->keep_alive;
	if (get && count) {
		c->fd = fd;
		c->left = count;
	} else {
		vfs_close(&vfs, fd);
	}
	served++;
	log_request(c, r, status, get ? count : 0);
}

/* Parse what was received: an answer to give, or nothing yet. */
static bool take_request(struct conn *c)
{
	struct http_request r;
	int st;

	if (c->skip) {
		size_t n = c->skip < c->in_len ? (size_t)c->skip : c->in_len;
		memmove(c->in, c->in + n, c->in_len - n);
		c->in_len -= n;
		c->skip -= n;
		if (c->skip)
			return false;
	}
	if (!c->in_len)
		return false;
	st = http_parse_request(c->in, c->in_len, &r);
	if (st == HTTP_PARSE_INCOMPLETE)
		return false;
	if (st != HTTP_PARSE_OK) {
		char target[sizeof(r.target)];
		memcpy(target, r.target, sizeof(target));
		target[sizeof(target) - 1] = 0;
		sanitize(target);
		answer_error(c, st, r.method == HTTP_GET, false, r.minor);
		c->in_len = 0;
		refused++;
		printf("http_server: %s \"%s\" %d 0 (bad request)\n", c->peer, target, st);
		return true;
	}
	memmove(c->in, c->in + r.head_len, c->in_len - r.head_len);
	c->in_len -= r.head_len;
	c->skip = r.content_length;
	serve(c, &r);
	return true;
}

/* Move one connection on as far as it goes without waiting. */
static bool step(struct conn *c, uint64_t now)
{
	bool moved = false;

	for (;;) {
		size_t n = 0;
		net_err_t e;

		if (c->out_off < c->out_len) {
			e = net_send(c->so, c->out + c->out_off, c->out_len - c->out_off, &n);
			if (e == NET_E_AGAIN)
				break;
			if (e != NET_OK) {
				conn_close(c);
				return true;
			}
			c->out_off += n;
			moved = true;
			c->last_us = now;
			continue;
		}
		if (c->left) {
			size_t want = c->left < sizeof(c->out) ? (size_t)c->left : sizeof(c->out);
			fs_err_t fe = vfs_read(&vfs, c->fd, c->out, want, &n);
			if (fe != FS_OK || !n) {
				/* the head is out: all that is left is to cut the connection */
				printf("http_server: %s: reading failed (%s) with %llu bytes left\n",
				       c->peer, fe != FS_OK ? fs_err_name(fe) : "the file shrank",
				       (unsigned long long)c->left);
				conn_close(c);
				return true;
			}
			c->out_len = n;
			c->out_off = 0;
			c->left -= n;
			if (!c->left) {
				vfs_close(&vfs, c->fd);
				c->fd = -1;
			}
			continue;
		}
		if (c->close_after) {
			conn_close(c);
			return true;
		}
		/* the answer is out: the next request */
		c->out_len = c->out_off = 0;
		if (take_request(c)) {
			moved = true;
			continue;
		}
		if (c->in_len > HTTP_HEAD_MAX)
			break;  /* cannot happen: a full buffer parses as 400 */
		e = net_recv(c->so, c->in + c->in_len, sizeof(c->in) - c->in_len, &n);
		if (e == NET_E_AGAIN)
			break;
		if (e != NET_OK || !n) {
			conn_close(c);
			return true;
		}
		c->in_len += n;
		c->last_us = now;
		moved = true;
	}
	if (now - c->last_us > idle_us) {
		printf("http_server: %s: idle for %llu ms, closed\n", c->peer,
		       (unsigned long long)(idle_us / 1000));
		conn_close(c);
		return true;
	}
	return moved;
}

static bool accept_all(net_socket_t l, uint64_t now)
{
	bool moved = false;
	net_socket_t so;

	while (net_tcp_accept(l, &so) == NET_OK) {
		struct conn *c = 0;
		uint32_t ip = 0;
		uint16_t port = 0;
		char text[NET_IP_STR];

		moved = true;
		for (unsigned i = 0; i < n_conns && !c; i++)
			if (!conns[i].so)
				c = &conns[i];
		net_peer(so, &ip, &port);
		if (!c) {
			static const char busy[] = "HTTP/1.1 503 Service Unavailable\r\n"
				"Content-Length: 0\r\nConnection: close\r\n\r\n";
			net_socket_nonblock(so, true);
			net_send(so, busy, sizeof(busy) - 1, 0);
			net_close(so);
			printf("http_server: %s:%u: %u connections open: 503\n",
			       net_ip_format(ip, text), port, n_conns);
			continue;
		}
		/* everything of the slot's last connection goes (not the buffers' bytes) */
		c->so = so;
		c->fd = -1;
		c->in_len = c->out_len = c->out_off = 0;
		c->left = c->skip = 0;
		c->close_after = false;
		c->last_us = now;
		snprintf(c->peer, sizeof(c->peer), "%s:%u", net_ip_format(ip, text), port);
		net_socket_nonblock(so, true);
	}
	return moved;
}

void component_construct(struct component_env *e)
{
	const struct cfg_node *net_node, *vfs_node;
	uint64_t port = 80, conns_cfg = 8, idle_ms = 30000;
	const char *root_attr;
	net_socket_t listener;
	net_err_t err;
	fs_err_t fe;

	env = e;
	if (config_rom_open(&config, "config", 0, 0, 0) != RPC_OK || !config.node) {
		printf("http_server: error: no config\n");
		component_exit(1);
	}
	net_node = cfg_child(config.node, "net");
	vfs_node = cfg_child(config.node, "vfs");
	root_attr = cfg_attr(config.node, "root");
	if (cfg_attr_u64(config.node, "port", 80, &port) < 0 || !port || port > 65535) {
		printf("http_server: error: config: port=\"1..65535\"\n");
		component_exit(1);
	}
	if (cfg_attr_u64(config.node, "connections", 8, &conns_cfg) < 0 || !conns_cfg ||
	    conns_cfg > CONNS_MAX) {
		printf("http_server: error: config: connections=\"1..%u\"\n", CONNS_MAX);
		component_exit(1);
	}
	if (cfg_attr_u64(config.node, "idle_timeout_ms", 30000, &idle_ms) < 0 || !idle_ms) {
		printf("http_server: error: config: idle_timeout_ms is a positive number\n");
		component_exit(1);
	}
	if (root_attr && (root_attr[0] != '/' || strlen(root_attr) >= sizeof(root))) {
		printf("http_server: error: config: root=\"/path\" (below %zu bytes)\n", sizeof(root));
		component_exit(1);
	}
	if (root_attr && strcmp(root_attr, "/")) {
		strcpy(root, root_attr);
		if (root[strlen(root) - 1] == '/')
			root[strlen(root) - 1] = 0;
	}
	n_conns = (unsigned)conns_cfg;
	idle_us = idle_ms * 1000;
	if (!net_node || !vfs_node) {
		printf("http_server: error: config: <net .../> and <vfs>...</vfs> are needed\n");
		component_exit(1);
	}
	fe = vfs_init(&vfs, vfs_node);
	if (fe != FS_OK) {
		printf("http_server: error: vfs: %s\n", fs_err_name(fe));
		component_exit(1);
	}
	err = net_init(&env->ep, net_node);
	if (err == NET_OK)
		err = net_nic_link_open(&link, &env->ep, "");
	if (err == NET_OK)
		err = net_stack_open(&stack, &link.link, net_node);
	if (err == NET_OK)
		err = net_stack_wait_address(stack, 60000000);
	if (err == NET_OK)
		err = net_tcp_listen(stack, (uint16_t)port, 8, NET_NONBLOCK, &listener);
	if (err != NET_OK) {
		printf("http_server: error: no network: %s\n", net_err_name(err));
		component_exit(1);
	}
	{
		char text[NET_IP_STR];
		printf("http_server: listening on %s:%u, serving %s, %u connections at most\n",
		       net_ip_format(net_stack_address(stack), text), (unsigned)port,
		       *root ? root : "/", n_conns);
	}
	for (unsigned i = 0; i < CONNS_MAX; i++)
		conns[i].fd = -1;
	for (;;) {
		uint64_t now = net_now_us();
		bool moved = accept_all(listener, now);

		for (unsigned i = 0; i < n_conns; i++)
			if (conns[i].so)
				moved = step(&conns[i], now) || moved;
		if (!moved)
			net_wait(1000000);
	}
}
