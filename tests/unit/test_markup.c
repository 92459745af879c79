/* test_markup: furigana markup. A table of inputs with the plain text, the
 * rubies (written "base=reading;...") and the count of replaced sequences;
 * broken markup stays literal; invariants hold for every case and for the
 * furigana lines of the corpus. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ui/text/markup.h"
#include "ui/text/utf8.h"

#define FFFD "\xEF\xBF\xBD"

typedef struct markup_case {
    const char *name;
    const char *in;
    size_t in_len; /* 0: strlen(in) */
    const char *plain;
    const char *rubies;
    size_t invalid;
} markup_case;

static const markup_case cases[] = {
    {"empty", "", 0, "", "", 0},
    {"plain text", "子育て相談", 0, "子育て相談", "", 0},
    {"one group", "{漢字|かんじ}", 0, "漢字", "漢字=かんじ", 0},
    {"two groups", "{乳幼児|にゅうようじ}{健診|けんしん}のお知らせ", 0, "乳幼児健診のお知らせ",
     "乳幼児=にゅうようじ;健診=けんしん", 0},
    {"group in a sentence", "明日は{休館日|きゅうかんび}です。", 0, "明日は休館日です。",
     "休館日=きゅうかんび", 0},
    {"ascii group", "{Wi-Fi|ワイファイ}", 0, "Wi-Fi", "Wi-Fi=ワイファイ", 0},
    {"space is content", "{ |a}", 0, " ", " =a", 0},
    /* Broken markup stays literal. */
    {"empty reading", "{漢字|}", 0, "{漢字|}", "", 0},
    {"empty base", "{|かな}", 0, "{|かな}", "", 0},
    {"both empty", "{|}", 0, "{|}", "", 0},
    {"no bar", "{漢字}", 0, "{漢字}", "", 0},
    {"empty braces", "{}", 0, "{}", "", 0},
    {"two bars", "{a|b|c}", 0, "{a|b|c}", "", 0},
    {"unclosed", "{未閉じ", 0, "{未閉じ", "", 0},
    {"unclosed with bar", "{未|閉じ", 0, "{未|閉じ", "", 0},
    {"reversed", "}{", 0, "}{", "", 0},
    {"lone bar", "a|b", 0, "a|b", "", 0},
    {"nested: outer literal, inner group", "{a{b|c}}", 0, "{ab}", "b=c", 0},
    {"nested reading", "{a|{b|c}}", 0, "{a|b}", "b=c", 0},
    {"double open", "{{漢|かん}", 0, "{漢", "漢=かん", 0},
    {"extra close", "{a|b}}", 0, "a}", "a=b", 0},
    {"newline inside", "{a|b\nc}", 0, "{a|b\nc}", "", 0},
    {"newline in base", "{a\n|b}", 0, "{a\n|b}", "", 0},
    {"CR inside", "{a|b\r}", 0, "{a|b\r}", "", 0},
    {"group after broken", "{x|}{y|z}", 0, "{x|}y", "y=z", 0},
    {"adjacent", "{a|1}{b|2}{c|3}", 0, "abc", "a=1;b=2;c=3", 0},
    /* Invalid UTF-8 inside and outside groups. */
    {"invalid outside",
     "a\x80"
     "b",
     0, "a" FFFD "b", "", 1},
    {"invalid base", "{\xFF|x}", 0, FFFD, FFFD "=x", 1},
    {"invalid reading", "{漢|\xE3\x81}", 0, "漢", "漢=" FFFD, 1},
    {"invalid in literal group", "{\xC0|}", 0, "{" FFFD "|}", "", 1},
    {"truncated at end", "{漢字|かん\xE3", 0, "{漢字|かん" FFFD, "", 1},
    {"several invalid", "\xED\xA0\x80{a|\xF4\x90}", 0, FFFD FFFD FFFD "a", "a=" FFFD FFFD, 5},
    {"literal U+FFFD is valid", FFFD "{" FFFD "|x}", 0, FFFD FFFD, FFFD "=x", 0},
    /* NUL bytes are dropped; a base that was only NUL is no group. */
    {"NUL outside", "a\0b", 3, "ab", "", 0},
    {"NUL-only base", "{\0|x}", 5, "{|x}", "", 0},
    {"NUL-only reading, invalid base", "{\xFF|\0}", 5, "{" FFFD "|}", "", 1},
    {"NUL in base", "{a\0b|x}", 7, "ab", "ab=x", 0},
};

/* Renders the rubies as "base=reading;..." and checks their invariants. */
static void render_rubies(const text_markup *m, char *buf, size_t cap)
{
    size_t o = 0;
    buf[0] = '\0';
    size_t prev_end = 0;
    for (size_t i = 0; i < m->n_rubies; i++) {
        const text_ruby *r = &m->rubies[i];
        assert_true(r->base_start < r->base_end);
        assert_true(r->base_end <= m->plain_len);
        assert_true(r->base_start >= prev_end); /* ordered, non-overlapping */
        assert_true(r->text_start < r->text_end);
        assert_true(r->text_end <= strlen(m->ruby_text));
        prev_end = r->base_end;
        int n = snprintf(buf + o, cap - o, "%s%.*s=%.*s", i ? ";" : "",
                         (int)(r->base_end - r->base_start), m->plain + r->base_start,
                         (int)(r->text_end - r->text_start), m->ruby_text + r->text_start);
        assert_true(n > 0 && (size_t)n < cap - o);
        o += (size_t)n;
    }
}

static void check_sane(const text_markup *m)
{
    assert_non_null(m->plain);
    assert_non_null(m->ruby_text);
    assert_int_equal(strlen(m->plain), m->plain_len); /* no NUL inside */
    assert_true(utf8_valid(m->plain, m->plain_len, NULL));
    assert_true(utf8_valid(m->ruby_text, strlen(m->ruby_text), NULL));
    assert_true(m->n_rubies == 0 || m->rubies != NULL);
}

static void test_parse_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const markup_case *c = &cases[i];
        size_t len = c->in_len ? c->in_len : strlen(c->in);
        text_markup m;
        assert_int_equal(text_markup_parse(c->in, len, &m), 0);
        check_sane(&m);
        char rubies[512];
        render_rubies(&m, rubies, sizeof rubies);
        if (strcmp(m.plain, c->plain) != 0)
            fail_msg("%s: plain \"%s\", want \"%s\"", c->name, m.plain, c->plain);
        if (strcmp(rubies, c->rubies) != 0)
            fail_msg("%s: rubies \"%s\", want \"%s\"", c->name, rubies, c->rubies);
        if (m.invalid_bytes != c->invalid)
            fail_msg("%s: %zu invalid, want %zu", c->name, m.invalid_bytes, c->invalid);
        text_markup_free(&m);
        assert_null(m.plain); /* free leaves it empty */
    }
}

static void test_strip_matches_parse(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const markup_case *c = &cases[i];
        size_t len = c->in_len ? c->in_len : strlen(c->in);
        size_t n = 999;
        char *s = text_markup_strip(c->in, len, &n);
        assert_non_null(s);
        assert_int_equal(n, strlen(c->plain));
        assert_string_equal(s, c->plain);
        free(s);
    }
}

static void test_plain_does_not_parse(void **state)
{
    (void)state;
    text_markup m;
    static const char in[] = "{漢字|かんじ}\xFF\0x";
    assert_int_equal(text_markup_plain(in, sizeof in - 1, &m), 0);
    check_sane(&m);
    assert_string_equal(m.plain, "{漢字|かんじ}" FFFD "x");
    assert_int_equal(m.n_rubies, 0);
    assert_int_equal(m.invalid_bytes, 1);
    text_markup_free(&m);

    assert_int_equal(text_markup_plain(NULL, 0, &m), 0);
    assert_string_equal(m.plain, "");
    text_markup_free(&m);
    text_markup_free(NULL); /* no-op */
}

static void test_many_groups(void **state)
{
    (void)state;
    const size_t n = 20000;
    const char unit[] = "{字|じ}a";
    size_t ulen = sizeof unit - 1;
    char *src = malloc(n * ulen);
    assert_non_null(src);
    for (size_t i = 0; i < n; i++)
        memcpy(src + i * ulen, unit, ulen);
    text_markup m;
    assert_int_equal(text_markup_parse(src, n * ulen, &m), 0);
    assert_int_equal(m.n_rubies, n);
    assert_int_equal(m.plain_len, n * 4);
    assert_int_equal(m.rubies[n - 1].base_start, (n - 1) * 4);
    assert_int_equal(m.rubies[n - 1].text_end, n * 3);
    text_markup_free(&m);
    /* Every '{' unclosed: must stay linear and literal. */
    memset(src, '{', n * ulen);
    assert_int_equal(text_markup_parse(src, n * ulen, &m), 0);
    assert_int_equal(m.plain_len, n * ulen);
    assert_int_equal(m.n_rubies, 0);
    text_markup_free(&m);
    free(src);
}

/* Every furigana line of the corpus parses into groups and leaves no
 * markup characters behind. */
static void test_corpus_furigana(void **state)
{
    (void)state;
    const char *dir = getenv("HIROBA_SOURCE_DIR");
    if (!dir) {
        print_message("HIROBA_SOURCE_DIR is not set: skipping the corpus test\n");
        skip();
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/corpus/ja.txt", dir);
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    char line[8192];
    size_t groups = 0, lines = 0;
    while (fgets(line, sizeof line, f)) {
        size_t len = strcspn(line, "\r\n");
        line[len] = '\0';
        if (line[0] == '#' || !memchr(line, '{', len))
            continue;
        text_markup m;
        assert_int_equal(text_markup_parse(line, len, &m), 0);
        check_sane(&m);
        if (m.n_rubies == 0 || strpbrk(m.plain, "{}|"))
            fail_msg("corpus line not parsed: %s", line);
        groups += m.n_rubies;
        lines++;
        text_markup_free(&m);
    }
    fclose(f);
    assert_true(lines >= 5);
    print_message("corpus: %zu furigana lines, %zu groups\n", lines, groups);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_table),          cmocka_unit_test(test_strip_matches_parse),
        cmocka_unit_test(test_plain_does_not_parse), cmocka_unit_test(test_many_groups),
        cmocka_unit_test(test_corpus_furigana),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
