/* fuzz_linebreak: libFuzzer target for the line breaker. Any bytes are made
 * valid at the boundary (utf8_sanitize, as every caller must), then the
 * promises of linebreak.h are checked; a broken one aborts with a line on
 * stderr saying which and where. Never tolerates a violation quietly. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/text/kinsoku.h"
#include "ui/text/linebreak.h"
#include "ui/text/utf8.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static text_breaker *g_breaker; /* created once: ICU iterators are costly */

#define CHECK_AT(cond, at)                                                                         \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_linebreak: invariant failed: %s at byte %zu (line %d)\n", #cond, \
                    (size_t)(at), __LINE__);                                                       \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    g_breaker = text_breaker_create("ja@lb=strict");
    if (!g_breaker) {
        fprintf(stderr, "fuzz_linebreak: text_breaker_create failed\n");
        abort();
    }
    return 0;
}

static bool is_cont(unsigned char b)
{
    return (b & 0xC0) == 0x80;
}

static bool is_ascii_alnum(uint32_t c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* White space a layout trims at a break (the same set kinsoku_count_violations skips). */
static bool is_break_space(uint32_t c)
{
    return c == ' ' || c == '\t' || c == 0x3000;
}

/* Start of the code point ending right before byte end (valid UTF-8, end > 0). */
static size_t prev_start(const char *s, size_t end)
{
    size_t i = end - 1;
    while (i > 0 && is_cont((unsigned char)s[i])) {
        i--;
    }
    return i;
}

/* The visible character a line broken before byte at would end with: the
 * last code point before it that is not trimmable white space; 0 if none. */
static uint32_t visible_before(const char *s, size_t at)
{
    while (at > 0) {
        size_t start = prev_start(s, at);
        size_t j = start;
        uint32_t cp = utf8_decode(s, at, &j);
        if (!is_break_space(cp)) {
            return cp;
        }
        at = start;
    }
    return 0;
}

static void check_breaks(const char *s, size_t len, const uint8_t *out)
{
    if (len > 0) {
        CHECK_AT(out[0] == TEXT_BREAK_NONE, 0);
    }
    CHECK_AT(out[len] == TEXT_BREAK_MANDATORY, len);

    uint32_t prev = 0;
    size_t i = 0;
    while (i < len) {
        size_t start = i;
        uint32_t cp = utf8_decode(s, len, &i);
        for (size_t k = start; k < i; k++) {
            CHECK_AT(out[k] <= TEXT_BREAK_MANDATORY, k);
        }
        /* Nothing inside a sequence. */
        for (size_t k = start + 1; k < i; k++) {
            CHECK_AT(out[k] == TEXT_BREAK_NONE, k);
        }
        if (start > 0) {
            /* A newline (\n, or \r\n as one) forces a break after itself. */
            if (prev == '\n' || (prev == '\r' && cp != '\n')) {
                CHECK_AT(out[start] == TEXT_BREAK_MANDATORY, start);
            }
            if (prev == '\r' && cp == '\n') {
                CHECK_AT(out[start] == TEXT_BREAK_NONE, start);
            }
            if (out[start] == TEXT_BREAK_ALLOWED) {
                /* Kinsoku: no line starts with a no-start char, none ends
                 * (once its trailing spaces are trimmed) with a no-end char. */
                CHECK_AT(!kinsoku_no_line_start(cp), start);
                uint32_t last = visible_before(s, start);
                CHECK_AT(last == 0 || !kinsoku_no_line_end(last), start);
                /* Latin words and numbers are never split. */
                CHECK_AT(!(is_ascii_alnum(prev) && is_ascii_alnum(cp)), start);
            }
        }
        prev = cp;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t len = 0;
    char *s = utf8_sanitize((const char *)data, size, &len);
    if (!s) {
        return 0;
    }
    CHECK_AT(utf8_valid(s, len, NULL), 0);
    char *before = malloc(len + 1);
    uint8_t *out = malloc(len + 1);
    uint8_t *again = malloc(len + 1);
    if (!before || !out || !again) {
        goto out;
    }
    memcpy(before, s, len + 1);
    int rc = text_breaker_find(g_breaker, s, len, out);
    CHECK_AT(rc == 0, 0);                         /* valid UTF-8, far below TEXT_BREAK_MAX_BYTES */
    CHECK_AT(memcmp(before, s, len + 1) == 0, 0); /* never modifies the text */
    check_breaks(s, len, out);
    /* Deterministic: the breaker keeps no state between calls that shows. */
    rc = text_breaker_find(g_breaker, s, len, again);
    CHECK_AT(rc == 0 && memcmp(out, again, len + 1) == 0, 0);
out:
    free(again);
    free(out);
    free(before);
    free(s);
    return 0;
}
