// sources: base/src/rpc_msg.c
// cflags: -Ibase/arch/x86_64/include
/*
 * Host unit tests of the generated RPC code (argil/rpc_gen.h): a test
 * interface with every kind of argument and result, whose client stubs
 * call straight into its generated server dispatch (rpc_call_expect is
 * replaced here by a loop-back), and raw requests the unpacking must
 * refuse before any handler runs.
 *
 * Area: RPCG.
 */
#include <harness.h>
#include <argil/rpc_gen.h>

#define DEMO_RPC(OP, OPS)                                                               \
	OP(demo_put, DEMO_PUT, 1,                                                       \
	   ((STR, name, 8), (WORD, a), (WORD_REQ, b), (CAP, cap)),                      \
	   ((WORD, sum), (CAP, got)))                                                   \
	OP(demo_log, DEMO_LOG, 2, ((BUF, text, 16)), ((OPT, len), (EXTRA, hidden)))     \
	OPS(demo_stats, DEMO_STATS, 3, (), demo_stats, ((WORD, x), (WORD, y)))          \
	OP(demo_add, DEMO_ADD, 4, ((WORD, x), (WORD, y)), ((WORD, sum)))                \
	OP(demo_none, DEMO_NONE, 5, (), ())
RPC_INTERFACE(demo, DEMO_RPC);

RPC_CLIENT(demo, DEMO_RPC)
RPC_SERVER(demo, DEMO_RPC)

/* ---- the server ---- */

static int handled;                 /* handler calls */
static char last_name[8], last_text[17];
static word_t last_a, last_b, last_x, last_y;
static cptr_t last_cap;

static rpc_status_t do_put(struct demo_put_call *c)
{
	handled++;
	memcpy(last_name, c->in.name, sizeof(last_name));
	last_a = c->in.a;
	last_b = c->in.b;
	last_cap = c->in.cap->cap_kind == RPC_CAP_PLACED ? c->in.cap->cap : 0;
	if (c->in.a == 99)
		return RPC_E_DENIED;
	c->out.sum = c->in.a + c->in.b;
	c->out.got = 77;
	return RPC_OK;
}

static rpc_status_t do_log(struct demo_log_call *c)
{
	handled++;
	memcpy(last_text, c->in.text, sizeof(last_text));
	c->out.len = strlen(c->in.text);
	c->out.hidden = 4242;
	return RPC_OK;
}

static rpc_status_t do_stats(struct demo_stats_call *c)
{
	handled++;
	c->out.x = 1;
	c->out.y = 2;
	return RPC_OK;
}

static rpc_status_t do_add(struct demo_add_call *c)
{
	handled++;
	last_x = c->in.x;
	last_y = c->in.y;
	c->out.sum = c->in.x + c->in.y;
	return RPC_OK;
}

static const struct demo_server ops = {
	.demo_put = do_put,
	.demo_log = do_log,
	.demo_stats = do_stats,
	.demo_add = do_add,
	/* demo_none: not served */
};

static struct rpc_msg serve(struct rpc_msg *req)
{
	struct rpc_msg rep;

	rpc_init(&rep, RPC_OK);
	demo_dispatch(&ops, 0, req, &rep, RPC_E_UNAVAILABLE);
	return rep;
}

/* ---- the loop-back in place of the kernel ---- */

static struct rpc_msg sent;         /* the last request a stub made */
static int calls;

rpc_status_t rpc_call_expect(cptr_t cap, struct rpc_msg *m, word_t min_words, bool want_cap)
{
	(void)cap;
	calls++;
	sent = *m;
	m->cap_kind = m->cap ? RPC_CAP_PLACED : RPC_CAP_NONE;
	*m = serve(m);
	m->cap_kind = m->cap ? RPC_CAP_PLACED : RPC_CAP_NONE;
	if (m->label == RPC_OK && (m->len < min_words || (want_cap && !m->cap)))
		return RPC_E_TRUNCATED;
	return (rpc_status_t)m->label;
}

void rpc_slot_release(cptr_t slot)
{
	(void)slot;
}

TEST(RPCG_0001, "a stub's arguments reach the handler by name, its results come back")
{
	word_t sum = 0;
	cptr_t got = 0;

	handled = 0;
	CHECK_EQ(demo_put(5, "abc", 2, 3, 40, &sum, &got), RPC_OK);
	CHECK_EQ(handled, 1);
	CHECK(!strcmp(last_name, "abc"));
	CHECK_EQ(last_a, 2);
	CHECK_EQ(last_b, 3);
	CHECK_EQ(last_cap, 40);
	CHECK_EQ(sum, 5);
	CHECK_EQ(got, 77);
	/* the wire: words in order, then the string, then the capability */
	CHECK_EQ(sent.label, DEMO_PUT);
	CHECK_EQ(sent.len, 4);
	CHECK_EQ(sent.w[0], 2);
	CHECK_EQ(sent.w[1], 3);
	CHECK_EQ(sent.w[2], 3);
	CHECK_EQ(sent.w[3], 0x636261);
	CHECK_EQ(sent.cap, 40);
}

TEST(RPCG_0002, "an error from the handler comes back without results")
{
	word_t sum = 11;
	cptr_t got = 12;

	CHECK_EQ(demo_put(5, "x", 99, 1, 0, &sum, &got), RPC_E_DENIED);
	CHECK_EQ(sum, 11);
	CHECK_EQ(got, 12);
}

TEST(RPCG_0003, "malformed requests are INVALID_ARGUMENT before any handler runs")
{
	struct rpc_msg m, r;

	handled = 0;
	rpc_init(&m, DEMO_PUT);            /* no words at all */
	r = serve(&m);
	CHECK_EQ(r.label, RPC_E_INVALID_ARGUMENT);
	rpc_init(&m, DEMO_PUT);            /* b is required */
	rpc_put(&m, 1);
	r = serve(&m);
	CHECK_EQ(r.label, RPC_E_INVALID_ARGUMENT);
	rpc_init(&m, DEMO_PUT);            /* the string's length runs past the message */
	rpc_put(&m, 1);
	rpc_put(&m, 2);
	rpc_put(&m, 20);
	r = serve(&m);
	CHECK_EQ(r.label, RPC_E_INVALID_ARGUMENT);
	rpc_init(&m, DEMO_PUT);            /* a NUL inside */
	rpc_put(&m, 1);
	rpc_put(&m, 2);
	rpc_put(&m, 3);
	rpc_put(&m, 0x00474f);
	r = serve(&m);
	CHECK_EQ(r.label, RPC_E_INVALID_ARGUMENT);
	rpc_init(&m, DEMO_PUT);            /* longer than the server's 8 bytes */
	rpc_put(&m, 1);
	rpc_put(&m, 2);
	CHECK(rpc_put_str(&m, "12345678"));
	r = serve(&m);
	CHECK_EQ(r.label, RPC_E_INVALID_ARGUMENT);
	CHECK_EQ(r.len, 0);
	CHECK_EQ(handled, 0);
	rpc_init(&m, DEMO_PUT);            /* 7 bytes fit */
	rpc_put(&m, 1);
	rpc_put(&m, 2);
	CHECK(rpc_put_str(&m, "1234567"));
	r = serve(&m);
	CHECK_EQ(r.label, RPC_OK);
	CHECK_EQ(handled, 1);
}

TEST(RPCG_0004, "a missing word reads 0; extra words are ignored")
{
	struct rpc_msg m, r;

	rpc_init(&m, DEMO_ADD);
	rpc_put(&m, 7);
	r = serve(&m);
	CHECK_EQ(r.label, RPC_OK);
	CHECK_EQ(last_x, 7);
	CHECK_EQ(last_y, 0);
	rpc_init(&m, DEMO_ADD);
	rpc_put(&m, 7);
	rpc_put(&m, 8);
	rpc_put(&m, 9);
	r = serve(&m);
	CHECK_EQ(r.label, RPC_OK);
	CHECK_EQ(r.len, 1);
	CHECK_EQ(r.w[0], 15);
}

TEST(RPCG_0005, "an unknown opcode or one without a handler gets the server's answer, words unread")
{
	struct rpc_msg m, r;

	handled = 0;
	rpc_init(&m, DEMO_NONE);
	r = serve(&m);
	CHECK_EQ(r.label, RPC_E_UNAVAILABLE);
	rpc_init(&m, 1000);
	rpc_put(&m, 1);
	r = serve(&m);
	CHECK_EQ(r.label, RPC_E_UNAVAILABLE);
	CHECK_EQ(demo_none(5), RPC_E_UNAVAILABLE);
	CHECK_EQ(handled, 0);
}

TEST(RPCG_0006, "buffers with a length, optional and extra results, results in a struct")
{
	struct demo_stats st = { 0, 0 };
	word_t len = 0;

	CHECK_EQ(demo_log(5, "hello world", 5, &len), RPC_OK);
	CHECK(!strcmp(last_text, "hello"));
	CHECK_EQ(len, 5);
	CHECK_EQ(sent.len, 2);
	CHECK_EQ(demo_stats(5, &st), RPC_OK);
	CHECK_EQ(st.x, 1);
	CHECK_EQ(st.y, 2);
	/* a text longer than the server's buffer is refused there */
	CHECK_EQ(demo_log(5, "0123456789abcdefg", 17, &len), RPC_E_INVALID_ARGUMENT);
}

TEST(RPCG_0007, "a string the message cannot carry fails at the client without a call")
{
	static char big[RPC_STR_MAX + 2];
	word_t sum;
	cptr_t got;

	memset(big, 'a', sizeof(big) - 1);
	calls = 0;
	CHECK_EQ(demo_put(5, big, 1, 2, 0, &sum, &got), RPC_E_INVALID_ARGUMENT);
	CHECK_EQ(calls, 0);
}

TEST(RPCG_0008, "the packer of a later reply writes what the dispatch would")
{
	struct rpc_msg r;
	struct demo_put_out out = { 9, 33 };

	rpc_init(&r, RPC_OK);
	demo_put_reply(&r, &out);
	CHECK_EQ(r.len, 1);
	CHECK_EQ(r.w[0], 9);
	CHECK_EQ(r.cap, 33);
}

int main(int argc, char **argv) { return test_main(argc, argv); }
