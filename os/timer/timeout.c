/*
 * Pairing heap of timeouts. Links: 'child' is the first child, 'sibling'
 * the next one; 'prev' points to the previous sibling or, for a first
 * child, to the parent, so a node can be cut out of the middle.
 */
#include "timeout.h"

static bool before(const struct timeout *a, const struct timeout *b)
{
	return a->deadline < b->deadline || (a->deadline == b->deadline && a->seq < b->seq);
}

/* Join two heap roots (either may be NULL); returns the new root. */
static struct timeout *meld(struct timeout *a, struct timeout *b)
{
	if (!a)
		return b;
	if (!b)
		return a;
	if (before(b, a)) {
		struct timeout *t = a;
		a = b;
		b = t;
	}
	b->prev = a;
	b->sibling = a->child;
	if (a->child)
		a->child->prev = b;
	a->child = b;
	a->sibling = NULL;
	a->prev = NULL;
	return a;
}

/* Join a list of sibling subtrees into one heap: meld pairs left to right,
 * then fold the results right to left. The first pass keeps its results in
 * a list threaded through 'sibling', newest first, so the fold needs no
 * stack. */
static struct timeout *merge_pairs(struct timeout *first)
{
	struct timeout *pairs = NULL;
	while (first) {
		struct timeout *a = first, *b = a->sibling;
		first = b ? b->sibling : NULL;
		a->sibling = a->prev = NULL;
		if (b)
			b->sibling = b->prev = NULL;
		struct timeout *m = meld(a, b);
		m->sibling = pairs;
		pairs = m;
	}
	struct timeout *root = NULL;
	while (pairs) {
		struct timeout *next = pairs->sibling;
		pairs->sibling = NULL;
		root = meld(pairs, root);
		pairs = next;
	}
	return root;
}

static void unlink_node(struct timeout_queue *q, struct timeout *t)
{
	if (t == q->root) {
		q->root = merge_pairs(t->child);
	} else {
		if (t->prev->child == t)
			t->prev->child = t->sibling;
		else
			t->prev->sibling = t->sibling;
		if (t->sibling)
			t->sibling->prev = t->prev;
		q->root = meld(q->root, merge_pairs(t->child));
	}
	t->child = t->sibling = t->prev = NULL;
	t->armed = false;
	q->count--;
}

static void insert(struct timeout_queue *q, struct timeout *t)
{
	t->child = t->sibling = t->prev = NULL;
	t->seq = q->seq++;
	t->armed = true;
	q->root = meld(q->root, t);
	q->count++;
}

static uint64_t add_sat(uint64_t a, uint64_t b)
{
	return a + b < a ? UINT64_MAX : a + b;
}

void tq_init(struct timeout_queue *q)
{
	q->root = NULL;
	q->seq = 0;
	q->count = 0;
}

void tq_schedule(struct timeout_queue *q, struct timeout *t, uint64_t now, uint64_t duration, bool periodic)
{
	if (t->armed)
		unlink_node(q, t);
	if (periodic && duration == 0)
		duration = 1;
	t->period = periodic ? duration : 0;
	t->deadline = add_sat(now, duration);
	t->overruns = 0;
	insert(q, t);
}

void tq_cancel(struct timeout_queue *q, struct timeout *t)
{
	if (t->armed)
		unlink_node(q, t);
}

bool tq_next(const struct timeout_queue *q, uint64_t *deadline)
{
	if (!q->root)
		return false;
	*deadline = q->root->deadline;
	return true;
}

struct timeout *tq_expire(struct timeout_queue *q, uint64_t now)
{
	struct timeout *t = q->root;
	if (!t || t->deadline > now)
		return NULL;
	unlink_node(q, t);
	if (t->period) {
		/* the next deadline after now, skipping periods that passed */
		uint64_t missed = (now - t->deadline) / t->period;
		t->overruns = missed;
		uint64_t step = missed + 1;
		uint64_t adv = step > UINT64_MAX / t->period ? UINT64_MAX : step * t->period;
		t->deadline = add_sat(t->deadline, adv);
		if (t->deadline > now)   /* not at the end of time */
			insert(q, t);
	}
	return t;
}
