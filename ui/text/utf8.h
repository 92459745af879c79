/* utf8: the boundary where text becomes trusted. Everything in ui/text after
 * this point may assume valid UTF-8. Never allocates behind the caller's back. */
#ifndef HIROBA_UI_TEXT_UTF8_H
#define HIROBA_UI_TEXT_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UTF8_REPLACEMENT 0xFFFDu

/* Decodes one code point at s[*i] (i < len) and advances *i by at least one
 * byte. Invalid or truncated sequences, overlong forms, surrogates and values
 * above U+10FFFF decode as U+FFFD and advance past one maximal bad subpart. */
uint32_t utf8_decode(const char *s, size_t len, size_t *i);

/* Writes cp as UTF-8 into out (4 bytes room); returns the byte count. */
size_t utf8_encode(uint32_t cp, char *out);

/* True when s[0..len) is valid UTF-8 (NUL counts as valid here; the
 * sanitiser below still removes it). If not and bad_offset is non-NULL, it
 * receives the byte offset of the first invalid sequence. */
bool utf8_valid(const char *s, size_t len, size_t *bad_offset);

/* Returns a malloc'ed, NUL-terminated copy of s with every invalid sequence
 * replaced by U+FFFD (and NUL bytes removed); *out_len gets its length.
 * Returns NULL only when out of memory. */
char *utf8_sanitize(const char *s, size_t len, size_t *out_len);

/* Length in bytes of the sequence starting with byte b (1 for invalid). */
size_t utf8_seq_len(unsigned char b);

#endif
