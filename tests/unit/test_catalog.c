/* test_catalog: core/catalog: the real catalogs in assets/i18n (every key of
 * ja.ini in every language with the same placeholders, nothing refused,
 * [lang] identical everywhere, furigana on every kanji of ja-easy, no kana
 * in Chinese), the fallbacks (missing file, missing key, missing ja.ini),
 * and a table of broken files, each refused or handled without a crash. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "app/core/catalog.h"
#include "app/core/catalog_private.h"
#include "app/core/log.h"

/* ---- log capture ---- */

static char *logged;
static size_t logged_len;
static FILE *log_capture;

static void capture_start(void)
{
    log_reset();
    log_set_dedup_window_ms(0);
    free(logged);
    logged = NULL;
    log_capture = open_memstream(&logged, &logged_len);
    assert_non_null(log_capture);
    log_set_stream(log_capture);
}

/* The log since capture_start (owned here, valid until the next start). */
static const char *capture_end(void)
{
    log_set_stream(NULL);
    fclose(log_capture);
    log_capture = NULL;
    return logged ? logged : "";
}

static size_t count_of(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

/* ---- helpers ---- */

/* "sd" for "…%s…%d…", or "!" when a '%' starts anything else. */
static void signature(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    for (const char *p = s; *p && n + 2 < cap; p++) {
        if (*p != '%')
            continue;
        if (p[1] == 's' || p[1] == 'd')
            out[n++] = *++p;
        else
            out[n++] = '!';
    }
    out[n] = '\0';
}

/* Decodes one UTF-8 character (the catalog checked validity). */
static uint32_t next_cp(const char **p)
{
    const unsigned char *s = (const unsigned char *)*p;
    uint32_t c = s[0];
    int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (n == 2)
        c &= 0x1F;
    else if (n == 3)
        c &= 0x0F;
    else if (n == 4)
        c &= 0x07;
    for (int i = 1; i < n; i++)
        c = (c << 6) | (s[i] & 0x3F);
    *p += n;
    return c;
}

static bool is_kanji(uint32_t c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || c == 0x3005;
}

static bool is_kana(uint32_t c)
{
    return (c >= 0x3040 && c <= 0x30FF) || (c >= 0x31F0 && c <= 0x31FF);
}

static char *source_path(const char *rel)
{
    const char *src = getenv("HIROBA_SOURCE_DIR");
    assert_non_null(src);
    size_t n = strlen(src) + strlen(rel) + 2;
    char *p = malloc(n);
    assert_non_null(p);
    snprintf(p, n, "%s/%s", src, rel);
    return p;
}

typedef struct keys {
    char *k[CATALOG_MAX_ENTRIES];
    size_t n;
} keys;

static void collect(void *user, const char *key)
{
    keys *ks = user;
    assert_true(ks->n < CATALOG_MAX_ENTRIES);
    ks->k[ks->n++] = strdup(key);
}

static void keys_free(keys *ks)
{
    for (size_t i = 0; i < ks->n; i++)
        free(ks->k[i]);
    ks->n = 0;
}

/* ---- the real catalogs ---- */

static void test_real_catalogs(void **state)
{
    (void)state;
    char *dir = source_path("assets/i18n");
    capture_start();
    catalog *c = catalog_load(dir);
    const char *log = capture_end();
    assert_non_null(c);
    /* Nothing refused, nothing missing: every text a translator wrote is used. */
    if (strstr(log, " warn ") || strstr(log, " error "))
        fail_msg("loading assets/i18n logged problems:\n%s", log);

    keys ja = {0};
    catalog_each_key(c, MODEL_LANG_JA, collect, &ja);
    assert_true(ja.n >= 20);
    static const char *const shared[] = {
        "app.name",     "app.loading",     "app.no_content",    "lang.ja",      "lang.en",
        "lang.zh",      "lang.ko",         "lang.ja-easy",      "lang.button",  "chrome.back",
        "chrome.home",  "chrome.furigana", "chrome.large_text", "chrome.close", "chrome.touch_hint",
        "feed.updated", "feed.stale",      "feed.loading",      "feed.none"};
    for (size_t i = 0; i < sizeof shared / sizeof shared[0]; i++)
        if (!catalog_has(c, MODEL_LANG_JA, shared[i]))
            fail_msg("ja.ini lacks %s", shared[i]);

    for (int l = MODEL_LANG_EN; l < MODEL_LANG_COUNT; l++) {
        keys other = {0};
        catalog_each_key(c, (model_lang)l, collect, &other);
        assert_int_equal(other.n, ja.n); /* no key ja.ini lacks either */
        keys_free(&other);
        for (size_t i = 0; i < ja.n; i++) {
            const char *key = ja.k[i];
            if (!catalog_has(c, (model_lang)l, key))
                fail_msg("%s.ini lacks %s", model_lang_code((model_lang)l), key);
            assert_int_equal(catalog_lang(c, (model_lang)l, key), l);
            char sj[16], so[16];
            signature(catalog_get(c, MODEL_LANG_JA, key), sj, sizeof sj);
            signature(catalog_get(c, (model_lang)l, key), so, sizeof so);
            if (strcmp(sj, so) != 0 || strchr(sj, '!'))
                fail_msg("%s in %s: placeholders \"%s\", ja has \"%s\"", key,
                         model_lang_code((model_lang)l), so, sj);
        }
        /* A picker shows each language in itself: the same names everywhere. */
        for (int k = 0; k < MODEL_LANG_COUNT; k++) {
            char key[32];
            snprintf(key, sizeof key, "lang.%s", model_lang_code((model_lang)k));
            assert_string_equal(catalog_get(c, (model_lang)l, key),
                                catalog_get(c, MODEL_LANG_JA, key));
        }
    }
    assert_string_equal(catalog_get(c, MODEL_LANG_JA, "feed.updated"), "更新 %s");
    assert_string_equal(catalog_get(c, MODEL_LANG_JA, "lang.zh"), "中文（简体）");

    /* やさしい日本語 keeps no bare kanji: each one sits in {漢字|かんじ}. */
    for (size_t i = 0; i < ja.n; i++) {
        if (strncmp(ja.k[i], "lang.", 5) == 0)
            continue; /* language names are written in themselves */
        const char *s = catalog_get(c, MODEL_LANG_JA_EASY, ja.k[i]);
        bool in_base = false, in_reading = false;
        for (const char *p = s; *p;) {
            uint32_t cp = next_cp(&p);
            if (cp == '{')
                in_base = true;
            else if (cp == '|' && in_base)
                in_base = false, in_reading = true;
            else if (cp == '}')
                in_base = in_reading = false;
            else if (is_kanji(cp) && !in_base)
                fail_msg("ja-easy %s: kanji without furigana in \"%s\"", ja.k[i], s);
        }
        /* Simplified Chinese must not borrow Japanese kana. */
        s = catalog_get(c, MODEL_LANG_ZH, ja.k[i]);
        for (const char *p = s; *p;)
            if (is_kana(next_cp(&p)))
                fail_msg("zh %s: kana in \"%s\"", ja.k[i], s);
    }
    keys_free(&ja);
    catalog_destroy(c);
    free(dir);
}

/* ---- fallbacks ---- */

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static void remove_file(const char *dir, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    unlink(path);
}

static void test_fallbacks(void **state)
{
    (void)state;
    char dir[] = "/tmp/hiroba-catalog-XXXXXX";
    assert_non_null(mkdtemp(dir));
    write_file(dir, "ja.ini",
               "; test\n[chrome]\nback = 戻る\nhome = ホーム\n[feed]\nupdated = 更新 %s\n");
    write_file(dir, "en.ini", "[chrome]\nback = Back\n[feed]\nupdated = Updated %s\n");
    /* zh.ini missing; ko.ini broken (refused as a whole); ja-easy fine. */
    write_file(dir, "ko.ini", "[chrome]\nback = 뒤로\nthis line has no equals sign\n");
    write_file(dir, "ja-easy.ini", "[chrome]\nback = もどる\nhome = さいしょの がめん\n");

    capture_start();
    catalog *c = catalog_load(dir);
    const char *log = capture_end();
    assert_non_null(c);
    assert_non_null(strstr(log, "zh.ini"));
    assert_non_null(strstr(log, "ko.ini:3: not a \"key = text\" line"));
    assert_non_null(strstr(log, "en.ini: 1 text(s) of ja.ini missing, shown in Japanese: "
                                "chrome.home"));

    assert_string_equal(catalog_get(c, MODEL_LANG_EN, "chrome.back"), "Back");
    assert_int_equal(catalog_lang(c, MODEL_LANG_EN, "chrome.back"), MODEL_LANG_EN);
    /* A key the language lacks: Japanese, and the font follows. */
    assert_string_equal(catalog_get(c, MODEL_LANG_EN, "chrome.home"), "ホーム");
    assert_int_equal(catalog_lang(c, MODEL_LANG_EN, "chrome.home"), MODEL_LANG_JA);
    assert_false(catalog_has(c, MODEL_LANG_EN, "chrome.home"));
    /* A missing file and a refused one: Japanese throughout. */
    assert_string_equal(catalog_get(c, MODEL_LANG_ZH, "chrome.back"), "戻る");
    assert_string_equal(catalog_get(c, MODEL_LANG_KO, "chrome.back"), "戻る");
    assert_int_equal(catalog_count(c, MODEL_LANG_KO), 0);
    assert_string_equal(catalog_get(c, MODEL_LANG_JA_EASY, "chrome.back"), "もどる");
    /* Out-of-range languages read as Japanese. */
    assert_string_equal(catalog_get(c, MODEL_LANG_NONE, "chrome.back"), "戻る");
    assert_string_equal(catalog_get(c, MODEL_LANG_COUNT, "chrome.back"), "戻る");

    /* A key nobody has: the key itself, logged once however often it is drawn. */
    capture_start();
    for (int i = 0; i < 5; i++)
        assert_string_equal(catalog_get(c, MODEL_LANG_EN, "home.title"), "home.title");
    assert_string_equal(catalog_get(c, MODEL_LANG_KO, "home.other"), "home.other");
    log = capture_end();
    assert_int_equal(count_of(log, "\"home.title\""), 1);
    assert_int_equal(count_of(log, "\"home.other\""), 1);
    assert_int_equal(catalog_lang(c, MODEL_LANG_EN, "home.title"), MODEL_LANG_JA);
    assert_string_equal(catalog_get(c, MODEL_LANG_EN, NULL), "");
    catalog_destroy(c);

    /* No catalog at all (ja.ini missing or refused): NULL, and lookups on a
     * NULL catalog show keys. */
    remove_file(dir, "ja.ini");
    capture_start();
    assert_null(catalog_load(dir));
    log = capture_end();
    assert_non_null(strstr(log, "ja.ini"));
    write_file(dir, "ja.ini", "[chrome]\nback = \xff\n");
    capture_start();
    assert_null(catalog_load(dir));
    capture_end();
    assert_null(catalog_load(NULL));
    assert_string_equal(catalog_get(NULL, MODEL_LANG_JA, "chrome.back"), "chrome.back");
    assert_int_equal(catalog_lang(NULL, MODEL_LANG_EN, "chrome.back"), MODEL_LANG_JA);
    assert_false(catalog_has(NULL, MODEL_LANG_JA, "chrome.back"));
    catalog_each_key(NULL, MODEL_LANG_JA, collect, NULL);
    catalog_destroy(NULL);

    static const char *const names[] = {"ja.ini", "en.ini", "ko.ini", "ja-easy.ini"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        remove_file(dir, names[i]);
    rmdir(dir);
}

static void test_default_dir(void **state)
{
    (void)state;
    setenv("HIROBA_I18N_DIR", "/somewhere/i18n", 1);
    assert_string_equal(catalog_default_dir(), "/somewhere/i18n");
    unsetenv("HIROBA_I18N_DIR");
    /* This test runs from the build tree: the source tree's catalogs. */
    char *want = source_path("assets/i18n");
    assert_string_equal(catalog_default_dir(), want);
    free(want);
}

/* ---- broken files ---- */

#define JA_REF "[chrome]\nback = 戻る\nhome = ホーム\n[feed]\nupdated = 更新 %s\ncount = %d 人 %s\n"

typedef struct broken_case {
    const char *name;
    model_lang lang;   /* parsed after JA_REF as Japanese (unless lang is ja) */
    const char *text;  /* NULL: built by make() */
    size_t len;        /* 0: strlen(text) */
    int rc;            /* catalog_parse_lang's answer */
    size_t count;      /* texts kept */
    const char *key;   /* then catalog_get(lang, key) ... */
    const char *value; /* ... must be this */
    const char *log;   /* a substring of the log */
} broken_case;

static const broken_case cases[] = {
    {.name = "good, with a BOM and CRLF",
     .lang = MODEL_LANG_EN,
     .text = "\xEF\xBB\xBF[chrome]\r\nback = Back\r\n",
     .count = 1,
     .key = "chrome.back",
     .value = "Back"},
    {.name = "empty file",
     .lang = MODEL_LANG_EN,
     .text = "",
     .count = 0,
     .key = "chrome.back",
     .value = "戻る"},
    {.name = "%n is not a placeholder",
     .lang = MODEL_LANG_EN,
     .text = "[chrome]\nback = Back\n[feed]\nupdated = Updated %n\n",
     .count = 1,
     .key = "feed.updated",
     .value = "更新 %s",
     .log = "F:4: feed.updated: a '%' that is not %s or %d"},
    {.name = "%s%s where Japanese has %s",
     .lang = MODEL_LANG_EN,
     .text = "[feed]\nupdated = %s%s\n",
     .key = "feed.updated",
     .value = "更新 %s",
     .log = "placeholders differ from ja.ini's"},
    {.name = "placeholders in another order",
     .lang = MODEL_LANG_KO,
     .text = "[feed]\ncount = %s: %d 명\n",
     .key = "feed.count",
     .value = "%d 人 %s",
     .log = "placeholders differ"},
    {.name = "no placeholder where Japanese has one",
     .lang = MODEL_LANG_ZH,
     .text = "[feed]\nupdated = 更新\n",
     .key = "feed.updated",
     .value = "更新 %s"},
    {.name = "placeholders in a key Japanese lacks",
     .lang = MODEL_LANG_EN,
     .text = "[feed]\nextra = %s\nplain = fine\n",
     .count = 1,
     .key = "feed.extra",
     .value = "feed.extra",
     .log = "placeholders in a text ja.ini lacks"},
    {.name = "a lone percent sign",
     .lang = MODEL_LANG_EN,
     .text = "[chrome]\nback = 100%\nhome = 50%%\n",
     .key = "chrome.home",
     .value = "ホーム"},
    {.name = "a width is not a placeholder",
     .lang = MODEL_LANG_EN,
     .text = "[feed]\nupdated = %5s\n",
     .key = "feed.updated",
     .value = "更新 %s"},
    {.name = "Japanese with a bad placeholder: the key is shown",
     .lang = MODEL_LANG_JA,
     .text = "[chrome]\nback = 戻る %x\nhome = ホーム\n",
     .count = 1,
     .key = "chrome.back",
     .value = "chrome.back"},
    {.name = "too many placeholders",
     .lang = MODEL_LANG_JA,
     .text = "[feed]\nupdated = %s%s%s%s%s%s%s%s%s\n",
     .key = "feed.updated",
     .value = "feed.updated",
     .log = "too many placeholders"},
    {.name = "invalid UTF-8 (overlong)",
     .lang = MODEL_LANG_EN,
     .text = "[chrome]\nback = Back\nhome = \xC0\xAF\n",
     .rc = -1,
     .key = "chrome.back",
     .value = "戻る",
     .log = "F:3: not valid UTF-8"},
    {.name = "invalid UTF-8 (surrogate)",
     .lang = MODEL_LANG_EN,
     .text = "[chrome]\nback = \xED\xA0\x80\n",
     .rc = -1},
    {.name = "invalid UTF-8 (cut short at the end)",
     .lang = MODEL_LANG_EN,
     .text = "[chrome]\nback = \xE6\x88",
     .rc = -1},
    {.name = "NUL byte",
     .lang = MODEL_LANG_EN,
     .text = "[chrome]\nback = Ba\0ck\n",
     .len = 22,
     .rc = -1,
     .log = "F:2: NUL byte"},
    {.name = "a line too long for libinih",
     .lang = MODEL_LANG_EN,
     .text = NULL, /* make(): a 300-byte text */
     .rc = -1,
     .key = "chrome.back",
     .value = "戻る",
     .log = "F:2: line longer than"},
    /* inih's line buffer is on its stack: bytes count, not the trimmed text. */
    {.name = "carriage returns make a line long too",
     .lang = MODEL_LANG_EN,
     .text = NULL, /* make(): "back = Back" and 300 '\r' */
     .rc = -1,
     .log = "F:2: line longer than"},
    {.name = "a text over CATALOG_MAX_VALUE",
     .lang = MODEL_LANG_EN,
     .text = NULL, /* make(): 2000 bytes */
     .rc = -1},
    {.name = "huge file",
     .lang = MODEL_LANG_EN,
     .text = NULL, /* make(): CATALOG_MAX_BYTES + 1 */
     .rc = -1,
     .log = "more than 262144 bytes"},
    {.name = "too many entries",
     .lang = MODEL_LANG_EN,
     .text = NULL, /* make(): CATALOG_MAX_ENTRIES + 1 keys */
     .rc = -1,
     .log = "more than 1024 texts"},
    {.name = "a key before any section",
     .lang = MODEL_LANG_EN,
     .text = "back = Back\n[chrome]\nhome = Home\n",
     .rc = -1,
     .log = "F:1: \"back\" before any [section]"},
    {.name = "not a key = text line",
     .lang = MODEL_LANG_EN,
     .text = "[chrome]\nback = Back\nhome\n",
     .rc = -1,
     .log = "F:3: not a \"key = text\" line"},
    {.name = "unclosed section", .lang = MODEL_LANG_EN, .text = "[chrome\nback = Back\n", .rc = -1},
    {.name = "an indented continuation line",
     .lang = MODEL_LANG_EN,
     .text = "[chrome]\nback = Go\n  back\n",
     .rc = -1,
     .log = "F:3: indented line"},
    {.name = "a repeated key keeps the first",
     .lang = MODEL_LANG_EN,
     .text = "[chrome]\nback = Back\nhome = Home\nback = Return\n",
     .count = 2,
     .key = "chrome.back",
     .value = "Back",
     .log = "F:4: \"chrome.back\" repeated; the first one (line 2) is kept"},
    {.name = "empty text",
     .lang = MODEL_LANG_EN,
     .text = "[chrome]\nback =\nhome = Home\n",
     .count = 1,
     .key = "chrome.back",
     .value = "戻る",
     .log = "F:2: chrome.back: empty text"},
    {.name = "a control character",
     .lang = MODEL_LANG_EN,
     .text = "[chrome]\nback = Ba\tck\nhome = \x1b[31mHome\n",
     .key = "chrome.back",
     .value = "戻る",
     .log = "control character"},
    {.name = "a C1 control character",
     .lang = MODEL_LANG_EN,
     .text = "[chrome]\nback = Back\xC2\x85\n",
     .key = "chrome.back",
     .value = "戻る"},
    {.name = "uppercase or odd keys are ignored",
     .lang = MODEL_LANG_EN,
     .text = "[Chrome]\nback = Back\n[chrome]\nBack = Back\n_x = y\nhome = Home\n",
     .count = 1,
     .key = "chrome.home",
     .value = "Home",
     .log = "keys are lowercase"},
    {.name = "an escape sequence in a key is not echoed",
     .lang = MODEL_LANG_EN,
     .text = "[chr\x1b[2Jome]\nback = Back\n[chrome]\nho\x1b]0;me = Home\n",
     .key = "chrome.back",
     .value = "戻る",
     .log = "[(unprintable or long)] back: keys are lowercase"},
    {.name = "dots in names are fine",
     .lang = MODEL_LANG_EN,
     .text = "[queue]\nstatus.open = Open\n",
     .count = 1,
     .key = "queue.status.open",
     .value = "Open"},
    {.name = "an inline comment ends the text",
     .lang = MODEL_LANG_EN,
     .text = "[chrome]\nback = Back ; the button\n",
     .count = 1,
     .key = "chrome.back",
     .value = "Back"},
};

/* The texts too big to write inline. */
static char *make(const broken_case *tc, size_t *len)
{
    char *buf = NULL;
    size_t cap = 0;
    FILE *f = open_memstream(&buf, &cap);
    assert_non_null(f);
    if (strstr(tc->name, "too long for libinih")) {
        fputs("[chrome]\nback = ", f);
        for (int i = 0; i < 100; i++)
            fputs("戻", f);
        fputs("\n", f);
    } else if (strstr(tc->name, "carriage returns")) {
        fputs("[chrome]\nback = Back", f);
        for (int i = 0; i < 300; i++)
            fputc('\r', f);
        fputs("\nhome = Home\n", f);
    } else if (strstr(tc->name, "CATALOG_MAX_VALUE")) {
        fputs("[chrome]\nback = ", f);
        for (int i = 0; i < 2000; i++)
            fputc('a', f);
        fputs("\n", f);
    } else if (strstr(tc->name, "huge")) {
        fputs("[chrome]\n", f);
        for (size_t i = 0; ftell(f) <= (long)CATALOG_MAX_BYTES; i++)
            fprintf(f, "k%zu = a text that goes on for a while\n", i % 1000);
    } else if (strstr(tc->name, "too many")) {
        fputs("[chrome]\n", f);
        for (int i = 0; i <= CATALOG_MAX_ENTRIES; i++)
            fprintf(f, "k%d = t\n", i);
    } else {
        fail_msg("no maker for %s", tc->name);
    }
    assert_int_equal(fclose(f), 0);
    *len = cap;
    return buf;
}

static void test_broken(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const broken_case *tc = &cases[i];
        print_message("case: %s\n", tc->name);
        catalog *c = catalog_create_empty();
        assert_non_null(c);
        capture_start();
        if (tc->lang != MODEL_LANG_JA)
            assert_int_equal(catalog_parse_lang(c, MODEL_LANG_JA, "ja", JA_REF, strlen(JA_REF)), 0);
        size_t len = tc->len;
        char *made = NULL;
        const char *text = tc->text;
        if (!text)
            text = made = make(tc, &len);
        else if (!len)
            len = strlen(text);
        int rc = catalog_parse_lang(c, tc->lang, "F", text, len);
        const char *log = capture_end();
        assert_int_equal(rc, tc->rc);
        if (tc->rc != 0 || tc->count)
            assert_int_equal(catalog_count(c, tc->lang), tc->count);
        if (tc->key)
            assert_string_equal(catalog_get(c, tc->lang, tc->key), tc->value);
        if (tc->log && !strstr(log, tc->log))
            fail_msg("%s: log lacks \"%s\":\n%s", tc->name, tc->log, log);
        if (strchr(log, '\x1b'))
            fail_msg("%s: the log echoes an escape character", tc->name);
        if (tc->rc != 0 && !strstr(log, "F"))
            fail_msg("%s: refused without a message", tc->name);
        /* Whatever happened, Japanese still answers. */
        if (tc->lang != MODEL_LANG_JA)
            assert_string_equal(catalog_get(c, MODEL_LANG_JA, "chrome.home"), "ホーム");
        free(made);
        catalog_destroy(c);
    }
}

/* A language parsed again replaces what it had. */
static void test_reparse(void **state)
{
    (void)state;
    catalog *c = catalog_create_empty();
    assert_non_null(c);
    assert_int_equal(catalog_parse_lang(c, MODEL_LANG_JA, "ja", JA_REF, strlen(JA_REF)), 0);
    assert_int_equal(catalog_count(c, MODEL_LANG_JA), 4);
    const char *two = "[chrome]\nback = 戻る\n";
    assert_int_equal(catalog_parse_lang(c, MODEL_LANG_JA, "ja", two, strlen(two)), 0);
    assert_int_equal(catalog_count(c, MODEL_LANG_JA), 1);
    assert_int_equal(catalog_parse_lang(NULL, MODEL_LANG_JA, "ja", two, strlen(two)), -1);
    assert_int_equal(catalog_parse_lang(c, MODEL_LANG_COUNT, "x", two, strlen(two)), -1);
    catalog_destroy(c);
}

static int teardown_all(void **state)
{
    (void)state;
    free(logged);
    logged = NULL;
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_catalogs), cmocka_unit_test(test_fallbacks),
        cmocka_unit_test(test_default_dir),   cmocka_unit_test(test_broken),
        cmocka_unit_test(test_reparse),
    };
    return cmocka_run_group_tests(tests, NULL, teardown_all);
}
