// sources: os/timer/timeout.c
// cflags: -Ios/timer
/*
 * Host unit tests of the timer service's timeout queue (os/timer/timeout.c):
 * order of expiry, ties, cancellation anywhere in the heap, re-arming,
 * periodic timeouts with late expiry, saturation, and a randomised
 * comparison with a plain reference model.
 */
#include <harness.h>
#include "timeout.h"

static struct timeout_queue q;

static struct timeout *expire_one(uint64_t now)
{
	return tq_expire(&q, now);
}

TEST(TQ_0001, "an empty queue has no next deadline and expires nothing")
{
	uint64_t d = 7;
	tq_init(&q);
	CHECK(!tq_next(&q, &d));
	CHECK_EQ(d, 7);
	CHECK(expire_one(UINT64_MAX - 1) == NULL);
	CHECK_EQ(q.count, 0);
}

TEST(TQ_0002, "one-shot timeouts expire in deadline order, each once, none early")
{
	struct timeout t[5] = { 0 };
	uint64_t dur[5] = { 50, 10, 40, 20, 30 };
	tq_init(&q);
	for (int i = 0; i < 5; i++)
		tq_schedule(&q, &t[i], 100, dur[i], false);
	uint64_t d;
	CHECK(tq_next(&q, &d));
	CHECK_EQ(d, 110);
	CHECK(expire_one(109) == NULL);
	CHECK(expire_one(110) == &t[1]);
	CHECK(expire_one(110) == NULL);
	CHECK(expire_one(1000) == &t[3]);
	CHECK(expire_one(1000) == &t[4]);
	CHECK(expire_one(1000) == &t[2]);
	CHECK(expire_one(1000) == &t[0]);
	CHECK(expire_one(1000) == NULL);
	for (int i = 0; i < 5; i++)
		CHECK(!t[i].armed);
	CHECK_EQ(q.count, 0);
}

TEST(TQ_0003, "equal deadlines expire in the order they were armed")
{
	struct timeout t[64] = { 0 };
	tq_init(&q);
	for (int i = 0; i < 64; i++)
		tq_schedule(&q, &t[i], 0, 5, false);
	for (int i = 0; i < 64; i++)
		CHECK(expire_one(5) == &t[i]);
}

TEST(TQ_0004, "cancelling the earliest, a middle and the last timeout removes exactly those")
{
	struct timeout t[10] = { 0 };
	tq_init(&q);
	for (int i = 0; i < 10; i++)
		tq_schedule(&q, &t[i], 0, (uint64_t)(i + 1) * 10, false);
	tq_cancel(&q, &t[0]);
	tq_cancel(&q, &t[4]);
	tq_cancel(&q, &t[9]);
	tq_cancel(&q, &t[4]);          /* twice: nothing */
	CHECK_EQ(q.count, 7);
	int order[] = { 1, 2, 3, 5, 6, 7, 8 };
	for (int i = 0; i < 7; i++)
		CHECK(expire_one(1000) == &t[order[i]]);
	CHECK(expire_one(1000) == NULL);
}

TEST(TQ_0005, "cancelling a timeout that was never armed or already expired does nothing")
{
	struct timeout a = { 0 }, b = { 0 };
	tq_init(&q);
	tq_cancel(&q, &a);
	tq_schedule(&q, &b, 0, 1, false);
	CHECK(expire_one(1) == &b);
	tq_cancel(&q, &b);
	CHECK_EQ(q.count, 0);
	CHECK(q.root == NULL);
}

TEST(TQ_0006, "re-arming an armed timeout moves it: it expires once, at the new deadline")
{
	struct timeout a = { 0 }, b = { 0 };
	tq_init(&q);
	tq_schedule(&q, &a, 0, 10, false);
	tq_schedule(&q, &b, 0, 20, false);
	tq_schedule(&q, &a, 0, 30, false);
	CHECK_EQ(q.count, 2);
	CHECK(expire_one(25) == &b);
	CHECK(expire_one(25) == NULL);
	CHECK(expire_one(30) == &a);
	CHECK(expire_one(1000) == NULL);
}

TEST(TQ_0007, "a periodic timeout fires every period and stays armed")
{
	struct timeout p = { 0 };
	tq_init(&q);
	tq_schedule(&q, &p, 1000, 100, true);
	for (uint64_t n = 1; n <= 50; n++) {
		CHECK(expire_one(1000 + n * 100 - 1) == NULL);
		CHECK(expire_one(1000 + n * 100) == &p);
		CHECK_EQ(p.overruns, 0);
		CHECK(p.armed);
		CHECK_EQ(p.deadline, 1000 + (n + 1) * 100);
	}
}

TEST(TQ_0008, "a periodic timeout seen late fires once, counts the skipped periods and keeps its phase")
{
	struct timeout p = { 0 };
	tq_init(&q);
	tq_schedule(&q, &p, 0, 100, true);
	CHECK(expire_one(550) == &p);      /* deadlines 100..500 passed: 4 unseen */
	CHECK_EQ(p.overruns, 4);
	CHECK_EQ(p.deadline, 600);
	CHECK(expire_one(599) == NULL);
	CHECK(expire_one(600) == &p);
	CHECK_EQ(p.overruns, 0);
}

TEST(TQ_0009, "a periodic timeout of period 0 is taken as 1 us and cannot loop")
{
	struct timeout p = { 0 };
	tq_init(&q);
	tq_schedule(&q, &p, 10, 0, true);
	CHECK_EQ(p.period, 1);
	CHECK(expire_one(11) == &p);
	CHECK(expire_one(11) == NULL);
	CHECK(expire_one(1000000) == &p);
	CHECK_EQ(p.overruns, 999988);
	CHECK(expire_one(1000000) == NULL);
}

TEST(TQ_0010, "deadlines saturate at the end of time: no wrap to an early expiry, no endless periodic")
{
	struct timeout a = { 0 }, p = { 0 };
	tq_init(&q);
	tq_schedule(&q, &a, UINT64_MAX - 5, 100, false);
	CHECK_EQ(a.deadline, UINT64_MAX);
	CHECK(expire_one(UINT64_MAX - 1) == NULL);
	tq_schedule(&q, &p, UINT64_MAX - 50, UINT64_MAX / 2, true);
	CHECK(expire_one(UINT64_MAX) != NULL);
	CHECK(expire_one(UINT64_MAX) != NULL);
	CHECK(expire_one(UINT64_MAX) == NULL);
	CHECK_EQ(q.count, 0);
}

TEST(TQ_0011, "a zero duration one-shot expires at once")
{
	struct timeout a = { 0 };
	tq_init(&q);
	tq_schedule(&q, &a, 77, 0, false);
	CHECK(expire_one(77) == &a);
}

TEST(TQ_0012, "a periodic timeout can be cancelled and re-armed one-shot")
{
	struct timeout p = { 0 };
	tq_init(&q);
	tq_schedule(&q, &p, 0, 10, true);
	CHECK(expire_one(10) == &p);
	tq_cancel(&q, &p);
	CHECK(expire_one(100) == NULL);
	tq_schedule(&q, &p, 100, 5, false);
	CHECK(expire_one(105) == &p);
	CHECK(!p.armed);
	CHECK(expire_one(200) == NULL);
}

/* A reference model: arrays of armed flags and deadlines, the earliest
 * found by a scan with the same tie rule (arming order). */
#define N 512
static struct timeout nodes[N];
static uint64_t ref_deadline[N], ref_seq[N], ref_period[N];
static int ref_armed[N];
static uint64_t ref_next_seq;

static uint64_t rnd_state = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

static int ref_earliest(void)
{
	int best = -1;
	for (int i = 0; i < N; i++)
		if (ref_armed[i] && (best < 0 || ref_deadline[i] < ref_deadline[best] ||
		                     (ref_deadline[i] == ref_deadline[best] && ref_seq[i] < ref_seq[best])))
			best = i;
	return best;
}

TEST(TQ_0013, "200,000 random schedule/cancel/expire operations on 512 timeouts match a reference model")
{
	tq_init(&q);
	memset(nodes, 0, sizeof(nodes));
	memset(ref_armed, 0, sizeof(ref_armed));
	uint64_t now = 0;
	unsigned armed = 0;
	for (int op = 0; op < 200000; op++) {
		unsigned r = (unsigned)(rnd() % 100);
		int i = (int)(rnd() % N);
		if (r < 45) {
			bool periodic = rnd() % 4 == 0;
			uint64_t dur = rnd() % 1000 + (periodic ? 1 : 0);
			armed += !ref_armed[i];
			tq_schedule(&q, &nodes[i], now, dur, periodic);
			ref_armed[i] = 1;
			ref_deadline[i] = now + dur;
			ref_period[i] = periodic ? dur : 0;
			ref_seq[i] = ref_next_seq++;
		} else if (r < 60) {
			armed -= ref_armed[i];
			tq_cancel(&q, &nodes[i]);
			ref_armed[i] = 0;
		} else {
			now += rnd() % 50;
			for (;;) {
				int e = ref_earliest();
				struct timeout *t = tq_expire(&q, now);
				if (e < 0 || ref_deadline[e] > now) {
					CHECK(t == NULL);
					break;
				}
				CHECK(t == &nodes[e]);
				if (ref_period[e]) {
					uint64_t missed = (now - ref_deadline[e]) / ref_period[e];
					CHECK_EQ(t->overruns, missed);
					ref_deadline[e] += (missed + 1) * ref_period[e];
					ref_seq[e] = ref_next_seq++;
				} else {
					ref_armed[e] = 0;
					armed--;
				}
			}
		}
		CHECK_EQ(q.count, armed);
		uint64_t d;
		int e = ref_earliest();
		CHECK(tq_next(&q, &d) == (e >= 0));
		if (e >= 0)
			CHECK_EQ(d, ref_deadline[e]);
	}
}

TEST(TQ_0014, "100,000 timeouts armed in descending order expire ascending without deep recursion")
{
	enum { M = 100000 };
	struct timeout *t = test_alloc(64, sizeof(*t) * M);
	tq_init(&q);
	for (int i = 0; i < M; i++)
		tq_schedule(&q, &t[i], 0, (uint64_t)(M - i), false);
	for (int i = M - 1; i >= 0; i--)
		CHECK(tq_expire(&q, M) == &t[i]);
	CHECK_EQ(q.count, 0);
}

int main(int argc, char **argv)
{
	return test_main(argc, argv);
}
