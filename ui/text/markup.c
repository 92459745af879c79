/* markup: parses furigana markup {base|reading} into plain text plus ruby
 * ranges, sanitising the bytes on the way (invalid UTF-8 becomes U+FFFD, NUL
 * bytes are dropped). A '{' only opens a group when a '}' follows with exactly
 * one '|', a non-empty base and reading, and no '{', '\n' or '\r' before it;
 * otherwise the '{' is literal and parsing goes on right after it, so no
 * input is ever lost. Must never trust the input's size arithmetic nor read
 * past len. O(n): a failed group scan stops at the next '{', '}' or newline,
 * and parsing resumes at or before that point. */
#include "ui/text/markup.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ui/text/utf8.h"

struct sink {
    char *p; /* NULL: only measure */
    size_t len;
};

/* Appends src[from, to) sanitised to dst; returns the invalid sequences. */
static size_t emit(const char *src, size_t from, size_t to, struct sink *dst)
{
    size_t invalid = 0;
    size_t i = from;
    while (i < to) {
        unsigned char c = (unsigned char)src[i];
        if (c < 0x80) {
            if (c) {
                if (dst->p)
                    dst->p[dst->len] = (char)c;
                dst->len++;
            }
            i++;
            continue;
        }
        size_t start = i;
        uint32_t cp = utf8_decode(src, to, &i);
        /* Group delimiters are ASCII, which never continues a sequence, so
         * decoding up to `to` cuts no valid sequence short. */
        bool replaced = cp == UTF8_REPLACEMENT &&
                        !(i - start == 3 && memcmp(src + start, "\xEF\xBF\xBD", 3) == 0);
        if (replaced) {
            invalid++;
            if (dst->p)
                utf8_encode(UTF8_REPLACEMENT, dst->p + dst->len);
            dst->len += 3;
        } else {
            if (dst->p)
                memcpy(dst->p + dst->len, src + start, i - start);
            dst->len += i - start;
        }
    }
    return invalid;
}

/* Finds the group opened at src[open] == '{': stores the '|' and '}'
 * offsets. False if it is not a well-formed group. */
static bool find_group(const char *src, size_t len, size_t open, size_t *bar, size_t *close)
{
    size_t bars = 0;
    for (size_t k = open + 1; k < len; k++) {
        switch (src[k]) {
        case '|':
            bars++;
            *bar = k;
            break;
        case '}':
            *close = k;
            return bars == 1 && *bar > open + 1 && k > *bar + 1;
        case '{':
        case '\n':
        case '\r':
            return false;
        default:
            break;
        }
    }
    return false;
}

static size_t count_braces(const char *src, size_t len)
{
    size_t n = 0;
    const char *p = src;
    const char *end = src + len;
    while (p < end && (p = memchr(p, '{', (size_t)(end - p))) != NULL) {
        n++;
        p++;
    }
    return n;
}

static void parse_groups(const char *src, size_t len, text_markup *m, struct sink *plain,
                         struct sink *ruby)
{
    size_t i = 0;
    while (i < len) {
        const char *brace = memchr(src + i, '{', len - i);
        size_t open = brace ? (size_t)(brace - src) : len;
        m->invalid_bytes += emit(src, i, open, plain);
        if (open == len)
            break;
        size_t bar = 0, close = 0;
        if (find_group(src, len, open, &bar, &close)) {
            size_t plain0 = plain->len, ruby0 = ruby->len;
            size_t bad = emit(src, open + 1, bar, plain);
            bad += emit(src, bar + 1, close, ruby);
            /* Non-empty after sanitising too: "{\0|x}" is no group. */
            if (plain->len > plain0 && ruby->len > ruby0) {
                m->rubies[m->n_rubies++] = (text_ruby){plain0, plain->len, ruby0, ruby->len};
                m->invalid_bytes += bad;
                i = close + 1;
                continue;
            }
            plain->len = plain0;
            ruby->len = ruby0;
        }
        plain->p[plain->len++] = '{';
        i = open + 1;
    }
}

static int build(const char *src, size_t len, text_markup *out, bool markup)
{
    memset(out, 0, sizeof *out);
    if (!src)
        len = 0;
    if (len > (SIZE_MAX - 1) / 3)
        return -1;
    struct sink measure = {NULL, 0};
    emit(src, 0, len, &measure); /* plain and readings each fit in this */
    size_t cap = measure.len + 1;
    size_t n_braces = markup ? count_braces(src, len) : 0;

    out->plain = malloc(cap);
    out->ruby_text = malloc(n_braces ? cap : 1);
    if (n_braces) {
        out->rubies = malloc(n_braces * sizeof *out->rubies);
        if (!out->rubies)
            goto fail;
    }
    if (!out->plain || !out->ruby_text)
        goto fail;

    struct sink plain = {out->plain, 0};
    struct sink ruby = {out->ruby_text, 0};
    if (markup)
        parse_groups(src, len, out, &plain, &ruby);
    else
        out->invalid_bytes = emit(src, 0, len, &plain);
    out->plain[plain.len] = '\0';
    out->plain_len = plain.len;
    out->ruby_text[ruby.len] = '\0';

    /* Give back what the worst case reserved; a failed shrink is harmless. */
    char *shrunk = realloc(out->ruby_text, ruby.len + 1);
    if (shrunk)
        out->ruby_text = shrunk;
    if (out->n_rubies == 0) {
        free(out->rubies);
        out->rubies = NULL;
    }
    return 0;
fail:
    text_markup_free(out);
    return -1;
}

int text_markup_parse(const char *src, size_t len, text_markup *out)
{
    return build(src, len, out, true);
}

int text_markup_plain(const char *src, size_t len, text_markup *out)
{
    return build(src, len, out, false);
}

void text_markup_free(text_markup *m)
{
    if (!m)
        return;
    free(m->plain);
    free(m->ruby_text);
    free(m->rubies);
    memset(m, 0, sizeof *m);
}

char *text_markup_strip(const char *src, size_t len, size_t *out_len)
{
    text_markup m;
    if (text_markup_parse(src, len, &m) < 0)
        return NULL;
    char *plain = m.plain;
    m.plain = NULL;
    if (out_len)
        *out_len = m.plain_len;
    text_markup_free(&m);
    return plain;
}
