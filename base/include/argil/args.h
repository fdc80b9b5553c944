/*
 * Session argument strings: "key=value, key=value". Keys match
 * [A-Za-z0-9_]+; values run to the next comma (surrounding blanks
 * trimmed) or are quoted with "...". Numbers are decimal or 0x-hex with an
 * optional K, M or G suffix (powers of 1024).
 */
#ifndef ARGIL_ARGS_H
#define ARGIL_ARGS_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

/* Copy the value of key into buf (NUL-terminated); false if absent or it
 * does not fit. */
bool args_get(const char *args, const char *key, char *buf, size_t size);
/* 0: absent (*out = def), 1: present and valid, -1: present but malformed. */
int args_u64(const char *args, const char *key, uint64_t def, uint64_t *out);
/* Parse a whole string as a number (same syntax); false if malformed. */
bool args_parse_u64(const char *s, uint64_t *out);

#endif
