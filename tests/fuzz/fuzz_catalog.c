/* fuzz_catalog: libFuzzer target for the UI string catalogs (the INI files
 * of assets/i18n, parsed like untrusted input). Any bytes go in as ja.ini,
 * then as en.ini checked against it; the promises of catalog.h are checked
 * and a broken one aborts with a line saying which. Never tolerates a
 * violation quietly. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/core/catalog.h"
#include "app/core/catalog_private.h"
#include "app/core/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_catalog: invariant failed: %s (line %d)\n", #cond, __LINE__);    \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* Strict UTF-8, no control characters (C0, DEL, C1). */
static bool text_ok(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s), i = 0;
    while (i < n) {
        unsigned c = p[i];
        if (c < 0x80) {
            if (c < 0x20 || c == 0x7F)
                return false;
            i++;
            continue;
        }
        size_t len = c >= 0xC2 && c <= 0xDF   ? 2
                     : c >= 0xE0 && c <= 0xEF ? 3
                     : c >= 0xF0 && c <= 0xF4 ? 4
                                              : 0;
        if (len == 0 || i + len > n)
            return false;
        for (size_t k = 1; k < len; k++)
            if ((p[i + k] & 0xC0) != 0x80)
                return false;
        if ((c == 0xE0 && p[i + 1] < 0xA0) || (c == 0xED && p[i + 1] >= 0xA0) ||
            (c == 0xF0 && p[i + 1] < 0x90) || (c == 0xF4 && p[i + 1] >= 0x90) ||
            (c == 0xC2 && p[i + 1] <= 0x9F))
            return false;
        i += len;
    }
    return true;
}

/* The conversions of a text; every '%' must start %s or %d. */
static void signature(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    for (const char *p = s; *p; p++) {
        if (*p != '%')
            continue;
        CHECK(p[1] == 's' || p[1] == 'd');
        CHECK(n + 1 < cap);
        out[n++] = *++p;
    }
    out[n] = '\0';
}

typedef struct walk {
    const catalog *c;
    model_lang lang;
    size_t n;
} walk;

static void check_key(void *user, const char *key)
{
    walk *w = user;
    w->n++;
    CHECK(key && *key && strlen(key) <= CATALOG_KEY_MAX && strchr(key, '.'));
    CHECK(catalog_has(w->c, w->lang, key));
    CHECK(catalog_lang(w->c, w->lang, key) == w->lang);
    const char *v = catalog_get(w->c, w->lang, key);
    CHECK(v && *v && strlen(v) <= CATALOG_MAX_VALUE && text_ok(v));
    char sig[CATALOG_MAX_PLACEHOLDERS + 2];
    signature(v, sig, sizeof sig);
    if (w->lang != MODEL_LANG_JA) {
        /* A translation has Japanese's placeholders, or none at all when
         * Japanese lacks the key. */
        char ja[CATALOG_MAX_PLACEHOLDERS + 2] = "";
        if (catalog_has(w->c, MODEL_LANG_JA, key))
            signature(catalog_get(w->c, MODEL_LANG_JA, key), ja, sizeof ja);
        CHECK(strcmp(sig, ja) == 0);
    }
}

static size_t check_lang(const catalog *c, model_lang lang)
{
    walk w = {.c = c, .lang = lang};
    catalog_each_key(c, lang, check_key, &w);
    CHECK(w.n == catalog_count(c, lang) && w.n <= CATALOG_MAX_ENTRIES);
    return w.n;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    /* Refusals are the point (and Japanese ones are errors): keep the run quiet. */
    static FILE *devnull;
    devnull = fopen("/dev/null", "w");
    if (devnull)
        log_set_stream(devnull);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    size_t counts[2];
    int rcs[2];
    for (int round = 0; round < 2; round++) {
        catalog *c = catalog_create_empty();
        CHECK(c);
        int rj = catalog_parse_lang(c, MODEL_LANG_JA, "ja.ini", text, size);
        /* The same bytes as English: every text passes its own checks and
         * then matches itself, so English keeps exactly what Japanese kept. */
        int re = catalog_parse_lang(c, MODEL_LANG_EN, "en.ini", text, size);
        CHECK(rj == 0 || rj == -1);
        CHECK(re == rj);
        size_t nj = check_lang(c, MODEL_LANG_JA);
        size_t ne = check_lang(c, MODEL_LANG_EN);
        CHECK(ne == nj);
        CHECK(rj == 0 || nj == 0);
        /* Lookups never return NULL, whatever is asked. */
        CHECK(catalog_get(c, MODEL_LANG_ZH, "no.such-key") != NULL);
        CHECK(strcmp(catalog_get(c, MODEL_LANG_KO, "x.y"),
                     catalog_has(c, MODEL_LANG_JA, "x.y") ? catalog_get(c, MODEL_LANG_JA, "x.y")
                                                          : "x.y") == 0);
        counts[round] = nj;
        rcs[round] = rj;
        catalog_destroy(c);
    }
    /* Same input, same answer. */
    CHECK(counts[0] == counts[1] && rcs[0] == rcs[1]);
    return 0;
}
