/* fuzz_childcare_glue: libFuzzer target for childcare_glue, which rewrites
 * a pack's text (untrusted) to mind its line breaks. Any bytes go in, cut at
 * the first NUL as a C string, with and without phrases; the invariants the
 * header promises are checked and a broken one aborts (with a line on
 * stderr saying which). Never tolerates a violation quietly. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/screens/childcare.h"
#include "ui/text/markup.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_childcare_glue: invariant failed: %s (line %d)\n", #cond,        \
                    __LINE__);                                                                     \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

#define WJ     "\xE2\x81\xA0"
#define WJ_LEN 3

/* s[0..len) without its word joiners (a new string), and how many there were. */
static char *without_joiners(const char *s, size_t len, size_t *joiners)
{
    size_t o = 0;
    char *out = malloc(len + 1);
    CHECK(out != NULL);
    *joiners = 0;
    for (size_t i = 0; i < len;) {
        if (len - i >= WJ_LEN && memcmp(s + i, WJ, WJ_LEN) == 0) {
            (*joiners)++;
            i += WJ_LEN;
        } else {
            out[o++] = s[i++];
        }
    }
    out[o] = '\0';
    return out;
}

/* What a reader sees of s: the parser's plain text and each group's base
 * and reading, all without word joiners, as one string. */
static char *seen(const char *s, size_t *groups)
{
    text_markup m;
    CHECK(text_markup_parse(s, strlen(s), &m) == 0);
    size_t cap = m.plain_len + 1;
    for (size_t i = 0; i < m.n_rubies; i++)
        cap += (m.rubies[i].base_end - m.rubies[i].base_start) +
               (m.rubies[i].text_end - m.rubies[i].text_start) + 3;
    char *all = malloc(cap);
    CHECK(all != NULL);
    size_t n = 0;
    memcpy(all, m.plain, m.plain_len);
    n += m.plain_len;
    for (size_t i = 0; i < m.n_rubies; i++) {
        const text_ruby *r = &m.rubies[i];
        all[n++] = '\x01'; /* a separator no input keeps (sanitised away or literal) */
        memcpy(all + n, m.plain + r->base_start, r->base_end - r->base_start);
        n += r->base_end - r->base_start;
        all[n++] = '\x02';
        memcpy(all + n, m.ruby_text + r->text_start, r->text_end - r->text_start);
        n += r->text_end - r->text_start;
    }
    *groups = m.n_rubies;
    text_markup_free(&m);
    size_t joiners;
    char *out = without_joiners(all, n, &joiners);
    free(all);
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    CHECK(text != NULL);
    memcpy(text, data, size);
    text[size] = '\0';
    size_t in_joiners, in_groups;
    char *in_raw = without_joiners(text, strlen(text), &in_joiners);
    char *in_seen = seen(text, &in_groups);
    for (int phrases = 0; phrases < 2; phrases++) {
        char *out = childcare_glue(text, phrases);
        if (!out)
            continue; /* nothing to glue: the text is used as it is */
        /* Only word joiners were added ... */
        size_t out_joiners, out_groups;
        char *out_raw = without_joiners(out, strlen(out), &out_joiners);
        CHECK(strcmp(out_raw, in_raw) == 0);
        CHECK(out_joiners > in_joiners);
        /* ... and what a reader sees is the same: the same text, the same
         * furigana groups with the same bases and readings. */
        char *out_seen = seen(out, &out_groups);
        CHECK(out_groups == in_groups);
        CHECK(strcmp(out_seen, in_seen) == 0);
        /* The same input gives the same answer. */
        char *again = childcare_glue(text, phrases);
        CHECK(again != NULL && strcmp(again, out) == 0);
        free(again);
        free(out_seen);
        free(out_raw);
        free(out);
    }
    free(in_seen);
    free(in_raw);
    free(text);
    return 0;
}
