/*
 * LOG sessions: the kernel console, every line prefixed with "[label] ".
 */
#include "core.h"
#include <argil/log.h>

void core_log_line(const char *label, const char *text, size_t len)
{
	char buf[PRINTF_BUF];
	size_t n = 0;

	/* one burst per line: the label, the text (control characters shown as '?') */
	n = (size_t)snprintf(buf, sizeof(buf), "[%s] ", label);
	if (n >= sizeof(buf))
		n = sizeof(buf) - 1;
	for (size_t i = 0; i < len; i++) {
		if (n >= sizeof(buf) - 2) {
			buf[n] = 0;
			printf("%s", buf);
			n = 0;
		}
		char c = text[i];
		buf[n++] = (c < 32 && c != '\t') || c == 127 ? '?' : c;
	}
	buf[n++] = '\n';
	buf[n] = 0;
	printf("%s", buf);
}

rpc_status_t log_session_create(struct pd *payer, const char *label, word_t ram, word_t caps,
				struct session **out)
{
	return session_new(sizeof(struct session), payer, ram, caps, K_LOG, label, out);
}

static rpc_status_t do_write(struct log_write_call *c)
{
	struct session *s = c->obj;
	/* strings may contain any byte but NUL; the unpacking checked that */
	const char *p = c->in.text;

	while (*p) {
		const char *e = p;
		while (*e && *e != '\n')
			e++;
		core_log_line(s->label, p, (size_t)(e - p));
		p = *e ? e + 1 : e;
	}
	return RPC_OK;
}

RPC_SERVER(log, LOG_RPC)

static const struct log_server log_ops = { .log_write = do_write };

rpc_status_t log_serve(struct session *s, struct request *q)
{
	log_dispatch(&log_ops, s, q->msg, q->reply, RPC_E_ILLEGAL_OPERATION);
	return q->reply->label;
}
