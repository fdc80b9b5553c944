/*
 * What the three parts of the config format (config_parse.c, config_query.c,
 * config_write.c) share: the character classes of the grammar and hex digits
 * (docs/config.md). Private to base/src.
 */
#ifndef ARGIL_BASE_CONFIG_CHARS_H
#define ARGIL_BASE_CONFIG_CHARS_H

#include <argil/config.h>

static inline bool is_ws(unsigned c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static inline bool is_name_start(unsigned c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static inline bool is_name_char(unsigned c)
{
	return is_name_start(c) || (c >= '0' && c <= '9') || c == '.' || c == ':' || c == '-';
}

/* Control characters other than tab, LF and CR, NUL and DEL included. */
static inline bool is_control(unsigned c)
{
	return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f;
}

static inline bool is_name(const char *s)
{
	if (!s || !is_name_start((unsigned char)*s))
		return false;
	while (*++s)
		if (!is_name_char((unsigned char)*s))
			return false;
	return true;
}

/* The value of hex digit c, or -1. */
static inline int hex_digit(unsigned c)
{
	if (c >= '0' && c <= '9')
		return (int)(c - '0');
	if (c >= 'a' && c <= 'f')
		return (int)(c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (int)(c - 'A' + 10);
	return -1;
}

/* A node with text (a node with sub-nodes has none). */
static inline bool has_text(const struct cfg_node *n)
{
	return n->text && n->text_len;
}

#endif
