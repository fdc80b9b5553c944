/*
 * The base library: RPC calls and packing, the entrypoint (objects,
 * dispatch by badge, stale badges, deferred replies, capability
 * arguments), signal handlers, the heap, argument strings.
 */
#include "test.h"
#include <argil/args.h>

#define KB 1024ul

TEST(RPC_0001, "calls on a null cap, a notification or an empty slot fail cleanly")
{
	struct rpc_msg m;
	cptr_t empty = cap_slot_alloc();

	rpc_init(&m, 1);
	CHECK_ST(rpc_call(0, &m), RPC_E_INVALID_CAP);
	rpc_init(&m, 1);
	CHECK_ST(rpc_call(test_ntfn, &m), RPC_E_INVALID_CAP);   /* a Call on a notification signals */
	sys_poll(test_ntfn);
	rpc_init(&m, 1);
	CHECK_ST(rpc_call(empty, &m), RPC_E_INVALID_CAP);
	rpc_init(&m, 1);
	CHECK_ST(rpc_call(4095, &m), RPC_E_INVALID_CAP);
	cap_slot_free(empty);
}

TEST(RPC_0002, "strings: packing round trip, limits, NUL bytes and overruns are rejected")
{
	struct rpc_msg m;
	char buf[RPC_STR_MAX + 1], big[RPC_STR_MAX + 2];
	word_t pos = 0;

	rpc_init(&m, 1);
	CHECK(rpc_put_str(&m, "hello, world"));
	CHECK(rpc_put_str(&m, ""));
	CHECK(rpc_put_str(&m, "12345678"));
	CHECK_OK(rpc_get_str(&m, &pos, buf, sizeof(buf)));
	CHECK_EQ(strcmp(buf, "hello, world"), 0);
	CHECK_OK(rpc_get_str(&m, &pos, buf, sizeof(buf)));
	CHECK_EQ(buf[0], 0);
	CHECK_OK(rpc_get_str(&m, &pos, buf, 9));
	CHECK_EQ(strcmp(buf, "12345678"), 0);
	CHECK_EQ(pos, m.len);
	CHECK_ST(rpc_get_str(&m, &pos, buf, sizeof(buf)), RPC_E_INVALID_ARGUMENT);  /* past the end */
	pos = 4;
	CHECK_ST(rpc_get_str(&m, &pos, buf, 8), RPC_E_INVALID_ARGUMENT);          /* too small a buffer */
	memset(big, 'x', sizeof(big));
	big[RPC_STR_MAX + 1] = 0;
	CHECK(!rpc_put_str(&m, big));
	rpc_init(&m, 1);
	rpc_put(&m, 3);
	rpc_put(&m, 0x410041);
	pos = 0;
	CHECK_ST(rpc_get_str(&m, &pos, buf, sizeof(buf)), RPC_E_INVALID_ARGUMENT);
	rpc_init(&m, 1);
	for (int i = 0; i < RPC_MAX_WORDS; i++)
		CHECK(rpc_put(&m, (word_t)i));
	CHECK(!rpc_put(&m, 1));
	CHECK(!rpc_put_str(&m, "a"));
}

/* An RPC object served by our entrypoint (the main thread). */
static struct rpc_object echo;
static struct rpc_reply_cap deferred;
static volatile int handled;

static void echo_handler(struct rpc_object *o, struct rpc_msg *req, struct rpc_msg *rep)
{
	(void)o;
	handled++;
	switch (req->label) {
	case 1:   /* add the words */
		{
			word_t sum = 0;
			for (word_t i = 0; i < req->len; i++)
				sum += req->w[i];
			rpc_put(rep, sum);
			rpc_put(rep, req->badge);
		}
		return;
	case 2:   /* report what capability came along */
		rpc_put(rep, req->cap_kind);
		rpc_put(rep, req->cap_kind == RPC_CAP_UNWRAPPED ? req->cap_badge : 0);
		rpc_put(rep, req->cap_kind == RPC_CAP_PLACED ? sys_debug_cap_type(req->cap) : 0);
		return;
	case 3:   /* answer later */
		rep->label = rpc_defer(&component_env()->ep, &deferred);
		signal_submit(test_ntfn);
		return;
	case 4:   /* hand out a capability: a fresh notification */
		{
			cptr_t s = cap_slot_alloc();
			word_t h;
			if (pd_alloc_ntfn(tenv->pd, s, &h) != RPC_OK) {
				rep->label = RPC_E_UNAVAILABLE;
				return;
			}
			rep->cap = s;
			rpc_put(rep, h);
			component_env()->ep.release_after_reply = s;
		}
		return;
	default:
		rep->label = RPC_E_ILLEGAL_OPERATION;
	}
}

TEST(RPC_0003, "an entrypoint object: long messages, the badge, unknown opcodes")
{
	struct rpc_msg m;

	CHECK_OK(ep_manage(&tenv->ep, &echo, echo_handler, 0));
	cptr_t cap = ep_cap(&tenv->ep, &echo);
	CHECK(cap != 0);
	rpc_init(&m, 1);
	word_t want = 0;
	for (word_t i = 0; i < 100; i++) {
		rpc_put(&m, i * 3);
		want += i * 3;
	}
	CHECK_OK(rpc_call(cap, &m));
	CHECK_EQ(m.len, 2);
	CHECK_EQ(m.w[0], want);
	CHECK_EQ(m.w[1], echo.badge);
	CHECK(echo.badge & RPC_BADGE_FLAG);
	rpc_init(&m, 9);
	CHECK_ST(rpc_call(cap, &m), RPC_E_ILLEGAL_OPERATION);
	rpc_init(&m, 0);   /* label 0 could look like a signal: refused */
	CHECK_ST(rpc_call(cap, &m), RPC_E_ILLEGAL_OPERATION);
	ep_dissolve(&tenv->ep, &echo);
}

TEST(RPC_0004, "capability arguments: unwrapped when it is the server's own, placed otherwise")
{
	struct rpc_msg m;

	CHECK_OK(ep_manage(&tenv->ep, &echo, echo_handler, 0));
	cptr_t cap = ep_cap(&tenv->ep, &echo);
	rpc_init(&m, 2);
	m.cap = cap;
	CHECK_OK(rpc_call(cap, &m));
	CHECK_EQ(m.w[0], RPC_CAP_UNWRAPPED);
	CHECK_EQ(m.w[1], echo.badge);
	rpc_init(&m, 2);
	m.cap = test_ntfn;
	CHECK_OK(rpc_call(cap, &m));
	CHECK_EQ(m.w[0], RPC_CAP_PLACED);
	CHECK_EQ(m.w[2], OBJ_NOTIFICATION);
	CHECK(sys_debug_cap_type(test_ntfn) == OBJ_NOTIFICATION);  /* ours is unaffected */
	rpc_init(&m, 4);
	CHECK_OK(rpc_call(cap, &m));
	CHECK_EQ(m.cap_kind, RPC_CAP_PLACED);
	CHECK_EQ(sys_debug_cap_type(m.cap), OBJ_NOTIFICATION);
	CHECK_OK(pd_free_obj(tenv->pd, m.w[0]));
	cap_slot_free(m.cap);
	ep_dissolve(&tenv->ep, &echo);
}

TEST(RPC_0005, "a dissolved object's capabilities are revoked; a stale badge is INVALID_CAP")
{
	struct rpc_msg m;
	cptr_t copy = cap_slot_alloc();

	CHECK_OK(ep_manage(&tenv->ep, &echo, echo_handler, 0));
	cptr_t cap = ep_cap(&tenv->ep, &echo);
	CHECK_EQ(cnode_copy(COMPONENT_CNODE, copy, 64, COMPONENT_CNODE, cap, 64, RIGHTS_ALL), E_OK);
	word_t badge = echo.badge;
	ep_dissolve(&tenv->ep, &echo);
	CHECK_EQ(sys_debug_cap_type(copy), 0);
	rpc_init(&m, 1);
	CHECK_ST(rpc_call(copy, &m), RPC_E_INVALID_CAP);
	/* a new object in the same table slot gets a new badge */
	CHECK_OK(ep_manage(&tenv->ep, &echo, echo_handler, 0));
	CHECK(echo.badge != badge);
	ep_dissolve(&tenv->ep, &echo);
	cap_slot_free(copy);
}

static volatile word_t call_result;

static void call_deferred(void *arg)
{
	struct rpc_msg m;

	rpc_init(&m, 3);
	call_result = rpc_call((cptr_t)arg, &m) == RPC_OK ? rpc_word(&m, 0) : 999;
}

TEST(RPC_0006, "a deferred reply: the caller waits until another thread answers")
{
	struct cthread t;
	struct rpc_msg r;

	CHECK_OK(ep_manage(&tenv->ep, &echo, echo_handler, 0));
	cptr_t cap = ep_cap(&tenv->ep, &echo);
	call_result = 0;
	deferred.slot = 0;
	worker_start(&t, call_deferred, (void *)cap);
	while (!deferred.slot)
		wait_signal();
	CHECK_EQ(call_result, 0);
	rpc_init(&r, RPC_OK);
	rpc_put(&r, 4242);
	rpc_reply_deferred(&deferred, &r);
	worker_join(&t);
	CHECK_EQ(call_result, 4242);
	ep_dissolve(&tenv->ep, &echo);
}

static struct signal_handler sigh;
static volatile int sig_count;

static void on_signal(void *arg)
{
	(void)arg;
	sig_count++;
	signal_submit(test_ntfn);
}

TEST(SIG_0001, "a signal handler runs on the entrypoint when its capability is signalled")
{
	sig_count = 0;
	CHECK_OK(signal_handler_init(&tenv->ep, &sigh, on_signal, 0));
	CHECK(sigh.bit >= 0 && sigh.bit < RPC_SIGNAL_BITS);
	signal_submit(sigh.cap);
	while (sig_count < 1)
		wait_signal();
	signal_submit(sigh.cap);
	signal_submit(sigh.cap);
	while (sig_count < 2)
		wait_signal();
	CHECK(sig_count <= 3);   /* several signals may merge into one */
	cptr_t c = sigh.cap;
	signal_handler_fini(&tenv->ep, &sigh);
	CHECK_EQ(sys_debug_cap_type(c), 0);
}

TEST(SIG_0002, "signal handlers of distinct bits are told apart; all 61 bits can be used")
{
	static struct signal_handler h[RPC_SIGNAL_BITS];
	struct signal_handler extra;
	int n = 0;

	for (; n < RPC_SIGNAL_BITS; n++)
		if (signal_handler_init(&tenv->ep, &h[n], on_signal, 0) != RPC_OK)
			break;
	/* the entrypoint's own users may hold some bits */
	CHECK(n > 50);
	CHECK_ST(signal_handler_init(&tenv->ep, &extra, on_signal, 0), RPC_E_OUT_OF_MEMORY);
	sig_count = 0;
	signal_submit(h[n - 1].cap);
	while (sig_count < 1)
		wait_signal();
	for (int i = 0; i < n; i++)
		signal_handler_fini(&tenv->ep, &h[i]);
}

TEST(HEAP_0001, "the heap: many sizes, freed again, the quota returns")
{
	struct pd_quota q0 = quota_of(tenv->pd);
	static void *p[200];

	for (int i = 0; i < 200; i++) {
		p[i] = malloc((size_t)(i * 97 % 5000) + 1);
		CHECK(p[i] != 0);
		CHECK_EQ((word_t)p[i] & 15, 0);
		memset(p[i], i, (size_t)(i * 97 % 5000) + 1);
	}
	for (int i = 0; i < 200; i++)
		CHECK_EQ(((unsigned char *)p[i])[(i * 97 % 5000)], (unsigned char)i);
	for (int i = 0; i < 200; i += 2)
		free(p[i]);
	for (int i = 1; i < 200; i += 2)
		free(p[i]);
	void *big = malloc(300 * KB);
	CHECK(big != 0);
	memset(big, 1, 300 * KB);
	void *r = realloc(big, 400 * KB);
	CHECK(r != 0);
	CHECK_EQ(((char *)r)[300 * KB - 1], 1);
	free(r);
	struct pd_quota q1 = quota_of(tenv->pd);
	CHECK_EQ(q1.ram_used, q0.ram_used);
	CHECK(calloc((size_t)1 << 62, 8) == 0);
	CHECK(malloc((size_t)1 << 45) == 0);
}

TEST(ARG_0001, "session argument strings: keys, quoting, numbers with suffixes")
{
	char buf[32];
	uint64_t v;

	CHECK(args_get("a=1, label=\"x, y\", b = 2", "label", buf, sizeof(buf)));
	CHECK_EQ(strcmp(buf, "x, y"), 0);
	CHECK_EQ(args_u64("a=1, label=\"x, y\", b = 2", "b", 0, &v), 1);
	CHECK_EQ(v, 2);
	CHECK_EQ(args_u64("ram=16M", "ram", 0, &v), 1);
	CHECK_EQ(v, 16ul << 20);
	CHECK_EQ(args_u64("base=0xfed00000", "base", 0, &v), 1);
	CHECK_EQ(v, 0xfed00000ul);
	CHECK_EQ(args_u64("x=1", "y", 5, &v), 0);
	CHECK_EQ(v, 5);
	CHECK_EQ(args_u64("x=1q", "x", 5, &v), -1);
	CHECK_EQ(args_u64("x=99999999999999999999", "x", 5, &v), -1);
	CHECK_EQ(args_u64("x=17179869184G", "x", 5, &v), -1);
	CHECK(!args_get("xx=1", "x", buf, sizeof(buf)));
	CHECK(!args_get("x=\"unterminated", "x", buf, sizeof(buf)));
	CHECK(!args_get("x=0123456789", "x", buf, 5));
}
