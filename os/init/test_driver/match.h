/*
 * test_init's matcher (portable, host-tested in tests/host/init_test_match.c):
 * an expectation is a pattern in the config format that must (or, inside
 * <absent>, must not) occur in init's state report.
 *
 * A pattern node P matches a report node R when
 *   - their types are equal,
 *   - every attribute of P is an attribute of R with the same value, or,
 *     when P's value is "*", R has the attribute (any value), or, when
 *     P's value is a range "[min,max]" (numbers with an optional K, M or
 *     G suffix), R's value is a number within (both ends included),
 *   - every sub-node of P matches some sub-node of R (in any order, two
 *     sub-nodes of P may match the same one), and for a sub-node <absent>
 *     of P none of its sub-nodes matches any sub-node of R.
 * Attributes of R that P does not name, and sub-nodes of R that P does not
 * mention, do not matter.
 */
#ifndef TEST_INIT_MATCH_H
#define TEST_INIT_MATCH_H

#include <argil/config.h>

/* Does pattern p match node r (both may be NULL: then false)? */
bool tinit_match(const struct cfg_node *p, const struct cfg_node *r);

/* Does the expectation e hold in the report whose top node is state? e
 * is one sub-node of an <expect>: a pattern that some sub-node of state
 * must match, or an <absent> whose sub-nodes no sub-node of state may
 * match. */
bool tinit_expect(const struct cfg_node *e, const struct cfg_node *state);

/* A one-line description of pattern p for the ok/FAIL lines: its printed
 * form with line breaks and indentation folded to single spaces, cut with
 * "..." to fit size (which must be at least 4). */
void tinit_describe(const struct cfg_node *p, char *buf, size_t size);

#endif
