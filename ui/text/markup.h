/* markup: furigana (ruby) markup, the only markup in hiroba text.
 *   {漢字|かんじ}  base 漢字 with the reading かんじ above it.
 * A brace group that is not exactly "{base|reading}" with non-empty parts and
 * no nested braces stays literal text, so no input is ever lost. Input is
 * sanitised to valid UTF-8 (invalid sequences become U+FFFD). */
#ifndef HIROBA_UI_TEXT_MARKUP_H
#define HIROBA_UI_TEXT_MARKUP_H

#include <stddef.h>

typedef struct text_ruby {
    size_t base_start, base_end; /* byte range in plain */
    size_t text_start, text_end; /* byte range in ruby_text */
} text_ruby;

typedef struct text_markup {
    char *plain; /* text without markup, NUL-terminated, owned */
    size_t plain_len;
    char *ruby_text;   /* all readings back to back, owned */
    text_ruby *rubies; /* in order of base_start, non-overlapping, owned */
    size_t n_rubies;
    size_t invalid_bytes; /* count of invalid UTF-8 sequences replaced */
} text_markup;

/* Parses src[0..len). Returns 0, or -1 when out of memory (out is then empty). */
int text_markup_parse(const char *src, size_t len, text_markup *out);
/* Takes src as plain text, no markup (still sanitised). */
int text_markup_plain(const char *src, size_t len, text_markup *out);
void text_markup_free(text_markup *m);

/* Writes src without markup into a new malloc'ed string (what a reader sees
 * with furigana off). Returns NULL when out of memory. */
char *text_markup_strip(const char *src, size_t len, size_t *out_len);

#endif
