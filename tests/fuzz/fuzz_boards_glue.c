/* fuzz_boards_glue: libFuzzer target for boards_glue, which rewrites feed
 * and catalog texts (counter and room names come from a city's systems:
 * untrusted) with word joiners so that lines break at phrase boundaries.
 * Any bytes go in, cut at the first NUL as a C string, in easy Japanese,
 * Japanese and English; the promises are checked and a broken one aborts
 * (with a line on stderr saying which): only word joiners are added, valid
 * UTF-8 stays valid, furigana groups stay whole, the output stays within
 * its bound. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/screens/boards_private.h"
#include "ui/text/markup.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_boards_glue: invariant failed: %s (line %d)\n", #cond,           \
                    __LINE__);                                                                     \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

#define WJ     "\xE2\x81\xA0"
#define WJ_LEN 3

/* s without its word joiners (a new string). */
static char *without_joiners(const char *s)
{
    size_t len = strlen(s), o = 0;
    char *out = malloc(len + 1);
    CHECK(out != NULL);
    for (size_t i = 0; i < len;) {
        if (len - i >= WJ_LEN && memcmp(s + i, WJ, WJ_LEN) == 0)
            i += WJ_LEN;
        else
            out[o++] = s[i++];
    }
    out[o] = '\0';
    return out;
}

static bool valid_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int n = *p < 0x80             ? 0
                : (*p & 0xE0) == 0xC0 ? 1
                : (*p & 0xF0) == 0xE0 ? 2
                : (*p & 0xF8) == 0xF0 ? 3
                                      : -1;
        if (n < 0)
            return false;
        for (int i = 1; i <= n; i++)
            if ((p[i] & 0xC0) != 0x80)
                return false;
        p += n + 1;
    }
    return true;
}

static size_t rubies(const char *s)
{
    text_markup m;
    if (text_markup_parse(s, strlen(s), &m) != 0)
        return SIZE_MAX;
    size_t n = m.n_rubies;
    text_markup_free(&m);
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 8192)
        return 0;
    char *in = malloc(size + 1);
    CHECK(in != NULL);
    memcpy(in, data, size);
    in[size] = '\0';
    size_t len = strlen(in);
    char *plain_in = without_joiners(in);
    static const model_lang langs[] = {MODEL_LANG_JA_EASY, MODEL_LANG_JA, MODEL_LANG_EN};
    for (size_t k = 0; k < sizeof langs / sizeof langs[0]; k++) {
        char *out = boards_glue(in, langs[k]);
        if (!out)
            continue;
        CHECK(langs[k] != MODEL_LANG_EN); /* English is never glued */
        CHECK(strlen(out) <= 4 * len);
        char *plain_out = without_joiners(out);
        if (strcmp(plain_in, plain_out) != 0)
            fprintf(stderr, "fuzz_boards_glue: in %s\n", model_lang_code(langs[k]));
        CHECK(strcmp(plain_in, plain_out) == 0); /* only joiners were added */
        if (valid_utf8(in))
            CHECK(valid_utf8(out));
        if (langs[k] == MODEL_LANG_JA_EASY)
            CHECK(rubies(in) == rubies(out)); /* no group was split */
        free(plain_out);
        free(out);
    }
    free(plain_in);
    free(in);
    return 0;
}
