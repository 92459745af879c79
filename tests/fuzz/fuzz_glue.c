/* fuzz_glue: libFuzzer target for glue_text (app/screens/glue.h) by every
 * rule set a screen uses: signage's (glue_text with signage_glue_rules),
 * child care's (childcare_glue in Japanese, easy Japanese, Korean, English)
 * and the boards' (boards_glue in easy Japanese, Japanese, English). They
 * rewrite untrusted texts (a pack's, a city's counter and room names) to
 * mind their line breaks. Any bytes go in, cut at the first NUL as a C
 * string; the promises are checked and a broken one aborts (with a line on
 * stderr saying which): only word joiners (U+2060) are added, at least one;
 * what a reader sees is unchanged (the markup parser finds the same plain
 * text and the same furigana groups, bases and readings, once the joiners
 * are removed: a joiner never turns literal braces into a group nor splits
 * a broken UTF-8 sequence); valid UTF-8 stays valid; the output stays within
 * 4x the input; English is never glued; the same input gives the same
 * answer. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/screens/boards_private.h"
#include "app/screens/childcare.h"
#include "app/screens/glue.h"
#include "app/screens/signage.h"
#include "ui/text/markup.h"
#include "ui/text/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_glue: invariant failed: %s (line %d)\n", #cond, __LINE__);       \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* s[0..len) without its word joiners (a new string), and how many there were. */
static char *without_joiners(const char *s, size_t len, size_t *joiners)
{
    size_t o = 0;
    char *out = malloc(len + 1);
    CHECK(out != NULL);
    *joiners = 0;
    for (size_t i = 0; i < len;) {
        if (len - i >= GLUE_JOINER_LEN && memcmp(s + i, GLUE_JOINER, GLUE_JOINER_LEN) == 0) {
            (*joiners)++;
            i += GLUE_JOINER_LEN;
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

/* The screens' ways in: signage's rules, then child care's and the boards'
 * by language. */
enum { WAY_SIGNAGE, WAY_CHILDCARE, WAY_BOARDS };

static const struct {
    int way;
    model_lang lang;
} ways[] = {
    {WAY_SIGNAGE, MODEL_LANG_JA},        {WAY_CHILDCARE, MODEL_LANG_JA},
    {WAY_CHILDCARE, MODEL_LANG_JA_EASY}, {WAY_CHILDCARE, MODEL_LANG_KO},
    {WAY_CHILDCARE, MODEL_LANG_EN},      {WAY_BOARDS, MODEL_LANG_JA_EASY},
    {WAY_BOARDS, MODEL_LANG_JA},         {WAY_BOARDS, MODEL_LANG_EN},
};

static char *glue_by(size_t w, const char *text)
{
    switch (ways[w].way) {
    case WAY_SIGNAGE:
        return glue_text(text, &signage_glue_rules);
    case WAY_CHILDCARE:
        return childcare_glue(text, ways[w].lang);
    default:
        return boards_glue(text, ways[w].lang);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 8192)
        return 0;
    char *text = malloc(size + 1);
    CHECK(text != NULL);
    memcpy(text, data, size);
    text[size] = '\0';
    size_t len = strlen(text), in_joiners, in_groups;
    char *in_raw = without_joiners(text, len, &in_joiners);
    char *in_seen = seen(text, &in_groups);
    bool in_valid = utf8_valid(text, len, NULL);
    for (size_t w = 0; w < sizeof ways / sizeof ways[0]; w++) {
        char *out = glue_by(w, text);
        if (!out)
            continue;                         /* nothing to glue: the text is used as it is */
        CHECK(ways[w].lang != MODEL_LANG_EN); /* English is never glued */
        CHECK(strlen(out) <= 4 * len);
        /* Only word joiners were added ... */
        size_t out_joiners, out_groups;
        char *out_raw = without_joiners(out, strlen(out), &out_joiners);
        if (strcmp(out_raw, in_raw) != 0 || out_joiners <= in_joiners)
            fprintf(stderr, "fuzz_glue: way %zu (%s)\n", w, model_lang_code(ways[w].lang));
        CHECK(strcmp(out_raw, in_raw) == 0);
        CHECK(out_joiners > in_joiners);
        /* ... and what a reader sees is the same: the same text, the same
         * furigana groups with the same bases and readings. */
        char *out_seen = seen(out, &out_groups);
        CHECK(out_groups == in_groups);
        CHECK(strcmp(out_seen, in_seen) == 0);
        if (in_valid)
            CHECK(utf8_valid(out, strlen(out), NULL));
        /* The same input gives the same answer. */
        char *again = glue_by(w, text);
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
