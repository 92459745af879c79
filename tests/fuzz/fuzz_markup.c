/* fuzz_markup: libFuzzer target for the furigana markup parser. Any bytes go
 * in; the invariants markup.h promises are checked and a broken one aborts
 * (with a line on stderr saying which). Never tolerates a violation quietly. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/text/markup.h"
#include "ui/text/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_markup: invariant failed: %s (line %d)\n", #cond, __LINE__);     \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

static int is_boundary(const char *s, size_t len, size_t at)
{
    return at == len || (at < len && ((unsigned char)s[at] & 0xC0) != 0x80);
}

/* Rebuilds the source from plain text and rubies: "{" base "|" reading "}"
 * for each ruby, the plain bytes elsewhere. */
static char *rebuild(const text_markup *m, size_t *out_len)
{
    size_t cap = m->plain_len + 1;
    for (size_t i = 0; i < m->n_rubies; i++) {
        cap += 3 + (m->rubies[i].text_end - m->rubies[i].text_start);
    }
    char *out = malloc(cap);
    CHECK(out != NULL);
    size_t n = 0, at = 0;
    for (size_t i = 0; i < m->n_rubies; i++) {
        const text_ruby *r = &m->rubies[i];
        memcpy(out + n, m->plain + at, r->base_start - at);
        n += r->base_start - at;
        out[n++] = '{';
        memcpy(out + n, m->plain + r->base_start, r->base_end - r->base_start);
        n += r->base_end - r->base_start;
        out[n++] = '|';
        memcpy(out + n, m->ruby_text + r->text_start, r->text_end - r->text_start);
        n += r->text_end - r->text_start;
        out[n++] = '}';
        at = r->base_end;
    }
    memcpy(out + n, m->plain + at, m->plain_len - at);
    n += m->plain_len - at;
    *out_len = n;
    return out;
}

static void check_parsed(const char *src, size_t size, const text_markup *m)
{
    CHECK(m->plain != NULL);
    CHECK(m->plain[m->plain_len] == '\0');
    CHECK(utf8_valid(m->plain, m->plain_len, NULL));
    CHECK(m->n_rubies == 0 || (m->rubies != NULL && m->ruby_text != NULL));

    size_t prev_end = 0, text_at = 0;
    for (size_t i = 0; i < m->n_rubies; i++) {
        const text_ruby *r = &m->rubies[i];
        /* In plain, non-empty, in order, non-overlapping, on character boundaries. */
        CHECK(r->base_start < r->base_end);
        CHECK(r->base_end <= m->plain_len);
        CHECK(r->base_start >= prev_end);
        CHECK(is_boundary(m->plain, m->plain_len, r->base_start));
        CHECK(is_boundary(m->plain, m->plain_len, r->base_end));
        prev_end = r->base_end;
        /* Readings: non-empty, back to back in ruby_text, valid UTF-8. */
        CHECK(r->text_start == text_at);
        CHECK(r->text_start < r->text_end);
        CHECK(utf8_valid(m->ruby_text + r->text_start, r->text_end - r->text_start, NULL));
        text_at = r->text_end;
    }

    bool valid_input = utf8_valid(src, size, NULL) && memchr(src, '\0', size) == NULL;
    if (valid_input) {
        /* Nothing to replace, and "no input is ever lost": every parsed group
         * was exactly {base|reading}, everything else stayed literal. */
        CHECK(m->invalid_bytes == 0);
        size_t n = 0;
        char *again = rebuild(m, &n);
        CHECK(n == size && memcmp(again, src, size) == 0);
        free(again);
    } else if (!utf8_valid(src, size, NULL)) {
        CHECK(m->invalid_bytes > 0);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *src = (const char *)data;
    text_markup m;
    if (text_markup_parse(src, size, &m) != 0) {
        return 0; /* out of memory: nothing to judge */
    }
    check_parsed(src, size, &m);

    /* strip is "what a reader sees with furigana off": the parsed plain text. */
    size_t strip_len = 0;
    char *stripped = text_markup_strip(src, size, &strip_len);
    if (stripped) {
        CHECK(stripped[strip_len] == '\0');
        CHECK(strip_len == m.plain_len && memcmp(stripped, m.plain, strip_len) == 0);
        free(stripped);
    }

    /* plain: no rubies, the sanitised text unchanged. */
    text_markup p;
    if (text_markup_plain(src, size, &p) == 0) {
        size_t san_len = 0;
        char *san = utf8_sanitize(src, size, &san_len);
        CHECK(p.n_rubies == 0);
        CHECK(utf8_valid(p.plain, p.plain_len, NULL));
        if (san) {
            CHECK(p.plain_len == san_len && memcmp(p.plain, san, san_len) == 0);
            free(san);
        }
        text_markup_free(&p);
    }
    text_markup_free(&m);
    return 0;
}
