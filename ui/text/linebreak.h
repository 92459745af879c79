/* linebreak: where a line may end. ICU's break iterator with locale
 * "ja@lb=strict" (UAX #14 with Japanese strict rules) finds opportunities;
 * on top of it the JLREQ kinsoku sets and house rules remove the ones a
 * Japanese reader would not accept:
 *   - no line starts with kinsoku_no_line_start(), none ends with _no_line_end();
 *   - Latin words, numbers with their units (10:00, 3,000円, 5歳, 10kg),
 *     URLs and e-mail addresses, and "Wi-Fi"-style hyphenated tokens are
 *     never split.
 * The breaker only marks; the layout decides. Never modifies the text. */
#ifndef HIROBA_UI_TEXT_LINEBREAK_H
#define HIROBA_UI_TEXT_LINEBREAK_H

#include <stddef.h>
#include <stdint.h>

typedef enum text_break {
    TEXT_BREAK_NONE = 0,      /* must not break before this byte */
    TEXT_BREAK_ALLOWED = 1,   /* may break before this byte */
    TEXT_BREAK_MANDATORY = 2, /* must break before this byte (after a newline) */
} text_break;

typedef struct text_breaker text_breaker;

/* locale: an ICU locale, normally "ja@lb=strict". Returns NULL (logged) on failure. */
text_breaker *text_breaker_create(const char *locale);
void text_breaker_destroy(text_breaker *b);

/* utf8[0..len) must be valid UTF-8. Fills out[0..len] (len + 1 entries):
 * out[i] tells whether a line may break before byte i. Bytes inside a
 * sequence are TEXT_BREAK_NONE; out[len] is TEXT_BREAK_MANDATORY (so for empty
 * text out[0] is MANDATORY, otherwise out[0] is NONE). A newline (\n, \r,
 * \r\n as one, VT, FF, NEL, U+2028, U+2029) forces a break after itself.
 * Returns 0, or -1 (logged) if ICU fails or len exceeds TEXT_BREAK_MAX_BYTES. */
int text_breaker_find(text_breaker *b, const char *utf8, size_t len, uint8_t *out);

#define TEXT_BREAK_MAX_BYTES (4u * 1024u * 1024u)

#endif
