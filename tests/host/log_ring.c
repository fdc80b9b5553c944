// sources: servers/log_view/ring.c
// cflags: -Iservers/log_view
/*
 * Host unit tests of log_view's line ring (servers/log_view/ring.c): lines
 * split at newlines and labelled, the oldest dropped once full, the ring
 * wrapping many times, long lines cut at a UTF-8 character's start,
 * control characters replaced.
 *
 * Area: LOGVIEW.
 */
#include <harness.h>
#include <string.h>
#include "ring.h"

static char mem[8 * (RING_LINE_MAX + 1)];

static unsigned add(struct ring *r, const char *label, const char *text)
{
	return ring_add(r, label, text, strlen(text));
}

TEST(LOGVIEW_0001, "lines split at newlines and labelled, empty pieces kept but no final one")
{
	struct ring r;

	ring_init(&r, mem, 4);
	CHECK_EQ(ring_count(&r), 0u);
	CHECK(ring_line(&r, 0) == 0);
	CHECK_EQ(add(&r, "greeter", "hello\n"), 1u);
	CHECK_EQ(add(&r, "", "a\n\nb"), 3u);
	CHECK_EQ(ring_count(&r), 4u);
	CHECK(!strcmp(ring_line(&r, 0), "greeter: hello"));
	CHECK(!strcmp(ring_line(&r, 1), "a"));
	CHECK(!strcmp(ring_line(&r, 2), ""));
	CHECK(!strcmp(ring_line(&r, 3), "b"));
	CHECK(ring_line(&r, 4) == 0);
	CHECK_EQ(add(&r, "x", ""), 0u);
	CHECK_EQ(add(&r, "x", "\n"), 1u);
}

TEST(LOGVIEW_0002, "full: the oldest lines dropped, the ring wraps many times in order")
{
	struct ring r;
	char text[32], want[40];

	ring_init(&r, mem, 3);
	for (unsigned i = 0; i < 1000; i++) {
		snprintf(text, sizeof(text), "line %u\n", i);
		CHECK_EQ(add(&r, "t", text), 1u);
		CHECK_EQ(ring_count(&r), i + 1 < 3 ? i + 1 : 3u);
	}
	for (unsigned i = 0; i < 3; i++) {
		snprintf(want, sizeof(want), "t: line %u", 997 + i);
		CHECK_MSG(!strcmp(ring_line(&r, i), want), "%u: %s", i, ring_line(&r, i));
	}
	CHECK_EQ(r.total, 1000u);
}

TEST(LOGVIEW_0003, "long lines cut at a character's start, control characters become spaces")
{
	struct ring r;
	char text[400];
	const char *l;
	size_t n;

	ring_init(&r, mem, 2);
	/* 'a' then two-byte characters (U+00E9): a cut inside one moves back */
	text[0] = 'a';
	for (n = 1; n + 2 < sizeof(text); n += 2) {
		text[n] = (char)0xc3;
		text[n + 1] = (char)0xa9;
	}
	text[n] = 0;
	CHECK_EQ(add(&r, "", text), 1u);
	l = ring_line(&r, 0);
	CHECK(strlen(l) <= RING_LINE_MAX);
	CHECK_EQ(strlen(l), (size_t)RING_LINE_MAX - 1);   /* 1 + 2k <= 160 */
	CHECK(((unsigned char)l[strlen(l) - 1]) == 0xa9);
	CHECK_EQ(add(&r, "lbl", "tab\there\r\x7f"), 1u);
	CHECK(!strcmp(ring_line(&r, 1), "lbl: tab here  "));
}

int main(int argc, char **argv)
{
	return test_main(argc, argv);
}
