/*
 * RPC message packing and status names (argil/rpc.h): pure code, no
 * system calls; also built by the host unit test tests/host/rpc_msg.c.
 * rpc_get_str trusts nothing in the message: lengths are checked against
 * the message and the buffer before a byte is copied.
 */
#include <argil/rpc.h>
#include <argil/string.h>

static const char *const status_names[RPC_E_COUNT] = {
	"RPC_OK", "RPC_E_INVALID_ARGUMENT", "RPC_E_INVALID_CAP", "RPC_E_DENIED",
	"RPC_E_NO_RAM_QUOTA", "RPC_E_NO_CAP_QUOTA", "RPC_E_NOT_FOUND", "RPC_E_EXISTS",
	"RPC_E_BUSY", "RPC_E_UNAVAILABLE", "RPC_E_ILLEGAL_OPERATION", "RPC_E_DELETED",
	"RPC_E_OUT_OF_SLOTS", "RPC_E_TRUNCATED", "RPC_E_OUT_OF_MEMORY",
};

static const char *const status_texts[RPC_E_COUNT] = {
	"success", "invalid argument", "invalid capability", "denied",
	"not enough RAM quota", "not enough capability quota", "not found", "already exists",
	"busy", "unavailable", "illegal operation", "the server or object is gone",
	"out of capability slots", "truncated reply", "out of memory",
};

/* table[s] for a known status, otherwise unknown */
static const char *status_lookup(const char *const table[RPC_E_COUNT], rpc_status_t s,
                                 const char *unknown)
{
	return (unsigned)s < RPC_E_COUNT ? table[s] : unknown;
}

const char *rpc_status_name(rpc_status_t s)
{
	return status_lookup(status_names, s, "RPC_E_<unknown>");
}

const char *rpc_status_text(rpc_status_t s)
{
	return status_lookup(status_texts, s, "unknown error");
}

bool rpc_put_strn(struct rpc_msg *m, const char *s, size_t n)
{
	word_t words = (n + 7) / 8;

	if (n > RPC_STR_MAX || m->len + 1 + words > RPC_MAX_WORDS)
		return false;
	m->w[m->len++] = n;
	for (word_t i = 0; i < words; i++) {
		word_t v = 0;
		for (word_t b = 0; b < 8 && i * 8 + b < n; b++)
			v |= (word_t)(unsigned char)s[i * 8 + b] << (8 * b);
		m->w[m->len++] = v;
	}
	return true;
}

bool rpc_put_str(struct rpc_msg *m, const char *s)
{
	return rpc_put_strn(m, s ? s : "", s ? strlen(s) : 0);
}

rpc_status_t rpc_get_str(const struct rpc_msg *m, word_t *pos, char *buf, size_t size)
{
	word_t p = *pos;

	if (size == 0 || p >= m->len)
		return RPC_E_INVALID_ARGUMENT;
	word_t n = m->w[p++];
	if (n > RPC_STR_MAX || n >= size)
		return RPC_E_INVALID_ARGUMENT;
	word_t words = (n + 7) / 8;
	if (words > m->len - p)
		return RPC_E_INVALID_ARGUMENT;
	for (word_t i = 0; i < n; i++) {
		char c = (char)(m->w[p + i / 8] >> (8 * (i % 8)));
		if (c == 0)
			return RPC_E_INVALID_ARGUMENT;
		buf[i] = c;
	}
	buf[n] = 0;
	*pos = p + words;
	return RPC_OK;
}

