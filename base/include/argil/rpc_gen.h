/*
 * RPC interfaces described once (docs/framework.md, "RPC interfaces"):
 * from one X-macro table per interface come its opcodes, the argument and
 * result structures, the client stubs and the server's unpacking and
 * dispatch, so that both sides agree by construction.
 *
 * A table lists one operation a line:
 *
 *   #define TIMER_RPC(OP, OPS)                                                         \
 *     OP(timer_sigh,    TIMER_SIGH,    1, ((CAP, ntfn)), ())                           \
 *     OP(timer_elapsed, TIMER_ELAPSED, 5, (), ((WORD, us), (WORD, expiries)))
 *   RPC_INTERFACE(timer, TIMER_RPC)
 *
 *   OP(fn, OPCODE, number, (arguments), (results))
 *       the client stub is fn(cptr_t obj, arguments..., result pointers...)
 *   OPS(fn, OPCODE, number, (arguments), tag, (results))
 *       the same, but the results are one struct tag, which the stub fills:
 *       fn(cptr_t obj, arguments..., struct tag *out)
 *
 * Arguments (a request's words in the order given, then its strings in the
 * order given; at most one capability):
 *   (WORD, name)          a word; a request without it reads 0
 *   (WORD_REQ, name)      a word the request must have (else INVALID_ARGUMENT)
 *   (STR, name, size)     a string (rpc_put_str); the server's copy is
 *                         char name[size], NUL-terminated: longer, cut
 *                         short or with a NUL byte is INVALID_ARGUMENT
 *   (BUF, name, max)      the same from a pointer and a length (the stub
 *                         takes name and name_len), char name[max + 1]
 *   (CAP, name)           the message's capability; the server sees the
 *                         request itself (name->cap_kind, ->cap, ->cap_badge)
 *                         and checks it by its own rules
 * Results (only with RPC_OK; a reply with fewer words or without the
 * capability is RPC_E_TRUNCATED at the client):
 *   (WORD, name)          a word
 *   (CAP, name)           the reply's capability (the server's slot; the
 *                         client gets a fresh slot, or it is released when
 *                         the stub's pointer is NULL)
 *   (OPT, name)           a word the server sends after the others that the
 *                         client does not require: the stub's pointer is
 *                         left alone when the reply lacks it
 *   (EXTRA, name)         a word the server sends after the others that the
 *                         stub neither requires nor returns (for raw
 *                         readers such as tests)
 *
 * RPC_INTERFACE(iface, TABLE) (in the interface's header) declares
 *   enum iface_op, struct fn_in and struct fn_out (or the OPS tag) of each
 *   operation, struct fn_call { void *obj; struct fn_in in; struct fn_out out; },
 *   the client stubs, and struct iface_server: one handler a operation,
 *   rpc_status_t (*fn)(struct fn_call *c), NULL for "not served".
 * RPC_CLIENT(iface, TABLE) (in one .c file) defines the client stubs.
 * RPC_SERVER(iface, TABLE) (in a server's .c file) defines
 *   static void iface_dispatch(const struct iface_server *srv, void *obj,
 *                              struct rpc_msg *req, struct rpc_msg *rep,
 *                              rpc_status_t missing);
 *   which unpacks req (a malformed request is answered INVALID_ARGUMENT
 *   before any handler runs), calls the handler with obj and packs its
 *   results; an opcode without a handler, or an unknown one, is answered
 *   `missing` (RPC_E_ILLEGAL_OPERATION, or what the interface says).
 *   It also defines fn_reply(rep, &out) a operation, which packs results
 *   into a reply (for replies a server sends later, rpc_reply_deferred).
 */
#ifndef ARGIL_RPC_GEN_H
#define ARGIL_RPC_GEN_H

#include <argil/rpc.h>

/* ---- iterating over a parenthesised list of (kind, name, ...) ---- */

#define RPC_UNPAREN(...) __VA_ARGS__
#define RPC_CAT(a, b) RPC_CAT_(a, b)
#define RPC_CAT_(a, b) a##b
#define RPC_NARG(...) RPC_NARG_(_, ##__VA_ARGS__, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)
#define RPC_NARG_(_, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, n, ...) n
#define RPC_ITEM(ctx, x) RPC_ITEM_(ctx, RPC_UNPAREN x)
#define RPC_ITEM_(ctx, ...) RPC_ITEM__(ctx, __VA_ARGS__)
#define RPC_ITEM__(ctx, kind, ...) RPC_##ctx##_##kind(__VA_ARGS__)
/* RPC_EACH(ctx, (items)): RPC_<ctx>_<kind>(name, ...) for each item */
#define RPC_EACH(ctx, list) RPC_EACH_(ctx, RPC_UNPAREN list)
#define RPC_EACH_(ctx, ...) RPC_CAT(RPC_FOR_, RPC_NARG(__VA_ARGS__))(ctx, __VA_ARGS__)
#define RPC_FOR_0(c, ...)
#define RPC_FOR_1(c, x) RPC_ITEM(c, x)
#define RPC_FOR_2(c, x, ...) RPC_ITEM(c, x) RPC_FOR_1(c, __VA_ARGS__)
#define RPC_FOR_3(c, x, ...) RPC_ITEM(c, x) RPC_FOR_2(c, __VA_ARGS__)
#define RPC_FOR_4(c, x, ...) RPC_ITEM(c, x) RPC_FOR_3(c, __VA_ARGS__)
#define RPC_FOR_5(c, x, ...) RPC_ITEM(c, x) RPC_FOR_4(c, __VA_ARGS__)
#define RPC_FOR_6(c, x, ...) RPC_ITEM(c, x) RPC_FOR_5(c, __VA_ARGS__)
#define RPC_FOR_7(c, x, ...) RPC_ITEM(c, x) RPC_FOR_6(c, __VA_ARGS__)
#define RPC_FOR_8(c, x, ...) RPC_ITEM(c, x) RPC_FOR_7(c, __VA_ARGS__)
#define RPC_FOR_9(c, x, ...) RPC_ITEM(c, x) RPC_FOR_8(c, __VA_ARGS__)
#define RPC_FOR_10(c, x, ...) RPC_ITEM(c, x) RPC_FOR_9(c, __VA_ARGS__)
#define RPC_FOR_11(c, x, ...) RPC_ITEM(c, x) RPC_FOR_10(c, __VA_ARGS__)
#define RPC_FOR_12(c, x, ...) RPC_ITEM(c, x) RPC_FOR_11(c, __VA_ARGS__)

/* ---- per kind: what each item becomes in each place ---- */

/* fields of struct fn_in */
#define RPC_FIELD_IN_WORD(n) word_t n;
#define RPC_FIELD_IN_WORD_REQ(n) word_t n;
#define RPC_FIELD_IN_STR(n, size) char n[size];
#define RPC_FIELD_IN_BUF(n, max) char n[(max) + 1];
#define RPC_FIELD_IN_CAP(n) struct rpc_msg *n;
/* fields of struct fn_out */
#define RPC_FIELD_OUT_WORD(n) word_t n;
#define RPC_FIELD_OUT_EXTRA(n) word_t n;
#define RPC_FIELD_OUT_OPT(n) word_t n;
#define RPC_FIELD_OUT_CAP(n) cptr_t n;
/* stub parameters */
#define RPC_PARAM_IN_WORD(n) , word_t n
#define RPC_PARAM_IN_WORD_REQ(n) , word_t n
#define RPC_PARAM_IN_STR(n, size) , const char *n
#define RPC_PARAM_IN_BUF(n, max) , const char *n, size_t n##_len
#define RPC_PARAM_IN_CAP(n) , cptr_t n
#define RPC_PARAM_OUT_WORD(n) , word_t *n
#define RPC_PARAM_OUT_EXTRA(n)
#define RPC_PARAM_OUT_OPT(n) , word_t *n
#define RPC_PARAM_OUT_CAP(n) , cptr_t *n
/* client packing: words (at most 12, into an empty message: no bound to
 * check), then strings, then the capability */
#define RPC_PUTW_WORD(n) m_.w[m_.len++] = n;
#define RPC_PUTW_WORD_REQ(n) m_.w[m_.len++] = n;
#define RPC_PUTW_STR(n, size)
#define RPC_PUTW_BUF(n, max)
#define RPC_PUTW_CAP(n)
#define RPC_PUTS_WORD(n)
#define RPC_PUTS_WORD_REQ(n)
#define RPC_PUTS_STR(n, size) if (!rpc_put_str(&m_, n)) return RPC_E_INVALID_ARGUMENT;
#define RPC_PUTS_BUF(n, max) if (!rpc_put_strn(&m_, n, n##_len)) return RPC_E_INVALID_ARGUMENT;
#define RPC_PUTS_CAP(n)
#define RPC_PUTC_WORD(n)
#define RPC_PUTC_WORD_REQ(n)
#define RPC_PUTC_STR(n, size)
#define RPC_PUTC_BUF(n, max)
#define RPC_PUTC_CAP(n) m_.cap = n;
/* what a reply must have */
#define RPC_NWORDS_WORD(n) + 1
#define RPC_NWORDS_EXTRA(n)
#define RPC_NWORDS_OPT(n)
#define RPC_NWORDS_CAP(n)
#define RPC_NCAPS_WORD(n)
#define RPC_NCAPS_EXTRA(n)
#define RPC_NCAPS_OPT(n)
#define RPC_NCAPS_CAP(n) + 1
/* client unpacking into pointers / into a struct */
#define RPC_GETP_WORD(n) if (n) *n = m_.w[i_]; i_++;
#define RPC_GETP_EXTRA(n) i_++;
#define RPC_GETP_OPT(n) if (n && i_ < m_.len) *n = m_.w[i_]; i_++;
#define RPC_GETP_CAP(n) if (n) *n = m_.cap; else rpc_slot_release(m_.cap);
#define RPC_GETS_WORD(n) out_->n = m_.w[i_++];
#define RPC_GETS_EXTRA(n) out_->n = i_ < m_.len ? m_.w[i_] : 0; i_++;
#define RPC_GETS_OPT(n) RPC_GETS_EXTRA(n)
#define RPC_GETS_CAP(n) out_->n = m_.cap;
/* server unpacking: words, then strings, then the capability */
#define RPC_DECW_WORD(n) c_.in.n = rpc_word(req, pos_); pos_++;
#define RPC_DECW_WORD_REQ(n)                                                            \
	if (pos_ >= req->len) { rep->label = RPC_E_INVALID_ARGUMENT; return; }          \
	c_.in.n = req->w[pos_++];
#define RPC_DECW_STR(n, size)
#define RPC_DECW_BUF(n, max)
#define RPC_DECW_CAP(n)
#define RPC_DECS_WORD(n)
#define RPC_DECS_WORD_REQ(n)
#define RPC_DECS_STR(n, size)                                                           \
	if (rpc_get_str(req, &pos_, c_.in.n, sizeof(c_.in.n)) != RPC_OK) {              \
		rep->label = RPC_E_INVALID_ARGUMENT; return; }
#define RPC_DECS_BUF(n, max) RPC_DECS_STR(n, max)
#define RPC_DECS_CAP(n)
#define RPC_DECC_WORD(n)
#define RPC_DECC_WORD_REQ(n)
#define RPC_DECC_STR(n, size)
#define RPC_DECC_BUF(n, max)
#define RPC_DECC_CAP(n) c_.in.n = req;
/* server packing (a fresh reply, at most 12 results) */
#define RPC_ENC_WORD(n) rep->w[rep->len++] = o_->n;
#define RPC_ENC_EXTRA(n) rep->w[rep->len++] = o_->n;
#define RPC_ENC_OPT(n) rep->w[rep->len++] = o_->n;
#define RPC_ENC_CAP(n) rep->cap = o_->n;

/* ---- per operation ---- */

/* declarations (RPC_INTERFACE): a_ the arguments, r_ the results */
#define RPC_D_ENUM(fn, code, num, a_, r_) code = num,
#define RPC_D_ENUMS(fn, code, num, a_, tag, r_) code = num,
#define RPC_D_TYPES(fn, code, num, a_, r_)                                              \
	struct fn##_in { RPC_EACH(FIELD_IN, a_) };                                      \
	struct fn##_out { RPC_EACH(FIELD_OUT, r_) };                                    \
	struct fn##_call { void *obj; struct fn##_in in; struct fn##_out out; };        \
	rpc_status_t fn(cptr_t obj_ RPC_EACH(PARAM_IN, a_) RPC_EACH(PARAM_OUT, r_));
#define RPC_D_TYPESS(fn, code, num, a_, tag, r_)                                        \
	struct fn##_in { RPC_EACH(FIELD_IN, a_) };                                      \
	struct tag { RPC_EACH(FIELD_OUT, r_) };                                         \
	struct fn##_call { void *obj; struct fn##_in in; struct tag out; };             \
	rpc_status_t fn(cptr_t obj_ RPC_EACH(PARAM_IN, a_), struct tag *out_);
#define RPC_D_HANDLER(fn, code, num, a_, r_) rpc_status_t (*fn)(struct fn##_call *c);
#define RPC_D_HANDLERS(fn, code, num, a_, tag, r_) rpc_status_t (*fn)(struct fn##_call *c);

#define RPC_INTERFACE(iface, TABLE)                                                     \
	enum iface##_op { TABLE(RPC_D_ENUM, RPC_D_ENUMS) };                             \
	TABLE(RPC_D_TYPES, RPC_D_TYPESS)                                                \
	struct iface##_server { TABLE(RPC_D_HANDLER, RPC_D_HANDLERS) }

/* The request of a stub: label, words, strings, capability; then the call. */
#define RPC_C_CALL(code, a_, r_)                                                        \
	struct rpc_msg m_;                                                              \
	rpc_status_t st_;                                                               \
	word_t i_ = 0;                                                                  \
	rpc_init(&m_, code);                                                            \
	RPC_EACH(PUTW, a_) RPC_EACH(PUTS, a_) RPC_EACH(PUTC, a_)                        \
	st_ = rpc_call_expect(obj_, &m_, 0 RPC_EACH(NWORDS, r_), 0 RPC_EACH(NCAPS, r_)); \
	if (st_ != RPC_OK)                                                              \
		return st_;                                                             \
	(void)i_;
#define RPC_C_STUB(fn, code, num, a_, r_)                                               \
	rpc_status_t fn(cptr_t obj_ RPC_EACH(PARAM_IN, a_) RPC_EACH(PARAM_OUT, r_))     \
	{                                                                               \
		RPC_C_CALL(code, a_, r_)                                                \
		RPC_EACH(GETP, r_)                                                      \
		return RPC_OK;                                                          \
	}
#define RPC_C_STUBS(fn, code, num, a_, tag, r_)                                         \
	rpc_status_t fn(cptr_t obj_ RPC_EACH(PARAM_IN, a_), struct tag *out_)           \
	{                                                                               \
		RPC_C_CALL(code, a_, r_)                                                \
		RPC_EACH(GETS, r_)                                                      \
		return RPC_OK;                                                          \
	}
#define RPC_CLIENT(iface, TABLE) TABLE(RPC_C_STUB, RPC_C_STUBS)

/* the server (RPC_SERVER): one case of the dispatch a operation */
#define RPC_S_CASE(fn, code, num, a_, r_) RPC_S_CASE_(fn, code, a_, r_)
#define RPC_S_CASES(fn, code, num, a_, tag, r_) RPC_S_CASE_(fn, code, a_, r_)
#define RPC_S_CASE_(fn, code, a_, r_)                                                   \
	case code: {                                                                    \
		struct fn##_call c_;                                                    \
		word_t pos_ = 0;                                                        \
		if (!srv->fn)                                                           \
			break;                                                          \
		(void)pos_;                                                             \
		RPC_EACH(DECW, a_) RPC_EACH(DECS, a_) RPC_EACH(DECC, a_)                \
		__builtin_memset(&c_.out, 0, sizeof(c_.out));                           \
		c_.obj = obj;                                                           \
		rep->label = srv->fn(&c_);                                              \
		if (rep->label == RPC_OK)                                               \
			fn##_reply(rep, &c_.out);                                       \
		return;                                                                 \
	}
#define RPC_S_PACK(fn, code, num, a_, r_) RPC_S_PACK_(fn, struct fn##_out, r_)
#define RPC_S_PACKS(fn, code, num, a_, tag, r_) RPC_S_PACK_(fn, struct tag, r_)
#define RPC_S_PACK_(fn, type, r_)                                                       \
	static inline void fn##_reply(struct rpc_msg *rep, const type *o_)              \
	{                                                                               \
		RPC_EACH(ENC, r_)                                                       \
		(void)rep;                                                              \
		(void)o_;                                                               \
	}
#define RPC_SERVER(iface, TABLE)                                                        \
	TABLE(RPC_S_PACK, RPC_S_PACKS)                                                  \
	__attribute__((unused, always_inline)) static inline                            \
	void iface##_dispatch(const struct iface##_server *srv, void *obj,                \
				     struct rpc_msg *req, struct rpc_msg *rep,          \
				     rpc_status_t missing)                              \
	{                                                                               \
		switch (req->label) {                                                   \
		TABLE(RPC_S_CASE, RPC_S_CASES)                                          \
		default:                                                                \
			break;                                                          \
		}                                                                       \
		rep->label = missing;                                                   \
	}

#endif
