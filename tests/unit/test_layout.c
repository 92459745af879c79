/* test_layout: the paragraph layout's promises, checked as properties over
 * the Japanese corpus at many widths and sizes, plus tables of edge cases:
 * no line wider than the box, kinsoku held, no text lost or repeated,
 * furigana inside the box and never overlapping, ellipsis, broken input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "ui/text/cache.h"
#include "ui/text/kinsoku.h"
#include "ui/text/layout.h"
#include "ui/text/markup.h"
#include "ui/text/utf8.h"

struct fixture {
    text_fonts *fonts;
    text_engine *engine;
};

static int setup(void **state)
{
    static struct fixture fx;
    fx.fonts = text_fonts_load(text_fonts_default_ini());
    if (!fx.fonts)
        return -1;
    fx.engine = text_engine_create(fx.fonts);
    if (!fx.engine)
        return -1;
    *state = &fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    text_engine_destroy(fx->engine);
    text_fonts_destroy(fx->fonts);
    return 0;
}

/* The corpus, one paragraph per line, '#' lines skipped. */
static char **load_corpus(size_t *n)
{
    const char *dir = getenv("HIROBA_SOURCE_DIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/corpus/ja.txt", dir ? dir : ".");
    FILE *f = fopen(path, "r");
    if (!f)
        fail_msg("cannot open corpus %s (set HIROBA_SOURCE_DIR)", path);
    char **v = NULL;
    size_t cap = 0;
    *n = 0;
    char *line = NULL;
    size_t lcap = 0;
    ssize_t got;
    while ((got = getline(&line, &lcap, f)) >= 0) {
        while (got > 0 && (line[got - 1] == '\n' || line[got - 1] == '\r'))
            line[--got] = '\0';
        if (got == 0 || line[0] == '#')
            continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 256;
            v = realloc(v, cap * sizeof *v);
        }
        v[(*n)++] = strdup(line);
    }
    free(line);
    fclose(f);
    assert_true(*n >= 100);
    return v;
}

static void free_corpus(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static bool is_break_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Every line is the next piece of the plain text; only white space and
 * newlines lie between pieces; nothing is left over at the end. */
static void check_no_text_lost(const text_layout *l, const char *what)
{
    size_t plen;
    const char *plain = text_layout_plain(l, &plen);
    size_t pos = 0;
    for (size_t i = 0; i < text_layout_line_count(l); i++) {
        text_line_info li;
        text_layout_get_line(l, i, &li);
        if (li.offset < pos)
            fail_msg("%s: line %zu starts at %zu, before %zu (text repeated)", what, i, li.offset,
                     pos);
        for (size_t k = pos; k < li.offset; k++)
            if (!is_break_space((unsigned char)plain[k]))
                fail_msg("%s: byte %zu (0x%02x) lost before line %zu", what, k,
                         (unsigned char)plain[k], i);
        assert_ptr_equal(li.text, plain + li.offset);
        pos = li.offset + li.len;
    }
    if (!text_layout_truncated(l))
        for (size_t k = pos; k < plen; k++)
            if (!is_break_space((unsigned char)plain[k]))
                fail_msg("%s: text after byte %zu lost at the end", what, pos);
}

static size_t count_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        utf8_decode(s, len, &i);
        n++;
    }
    return n;
}

static void check_layout(const text_layout *l, int width, const char *what, bool kinsoku)
{
    size_t n = text_layout_line_count(l);
    assert_true(n >= 1);
    size_t starts[4096];
    size_t ns = 0;
    size_t plen;
    const char *plain = text_layout_plain(l, &plen);
    for (size_t i = 0; i < n; i++) {
        text_line_info li;
        text_layout_get_line(l, i, &li);
        if (li.advance_px > width && count_chars(li.text, li.len) > 1)
            fail_msg("%s: line %zu is %d px wide in a %d px box: %.*s", what, i, li.advance_px,
                     width, (int)li.len, li.text);
        if (ns < 4096)
            starts[ns++] = li.offset;
        assert_true(li.x_px >= 0);
        assert_true(li.top_px >= 0 && li.baseline_px > li.top_px);
    }
    if (kinsoku) {
        size_t v = kinsoku_count_violations(plain, plen, starts, ns);
        if (v)
            fail_msg("%s: %zu kinsoku violation(s) at width %d", what, v, width);
    }
    check_no_text_lost(l, what);
    /* Every glyph's em box sits inside the layout's height: furigana never clipped. */
    size_t ng;
    const text_glyph *g = text_layout_glyphs(l, &ng);
    for (size_t i = 0; i < ng; i++) {
        int top = (g[i].y26 >> 6) - g[i].size_px * 88 / 100;
        int bottom = (g[i].y26 >> 6) + g[i].size_px * 12 / 100;
        if (top < 0 || bottom > text_layout_height(l) + 1)
            fail_msg("%s: glyph %zu (size %d) at y %d outside 0..%d", what, i, g[i].size_px,
                     g[i].y26 >> 6, text_layout_height(l));
    }
}

static void test_corpus_properties(void **state)
{
    struct fixture *fx = *state;
    size_t n;
    char **corpus = load_corpus(&n);
    static const int sizes[] = {16, 24, 40, 64};
    static const int widths_em[] = {8, 11, 17, 26, 40};
    size_t layouts = 0;
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        for (size_t w = 0; w < sizeof widths_em / sizeof widths_em[0]; w++) {
            for (int ruby = 0; ruby < 2; ruby++) {
                text_style st = text_style_default(sizes[s]);
                st.ruby = ruby;
                int width = sizes[s] * widths_em[w] + 3;
                for (size_t i = 0; i < n; i++) {
                    text_layout *l =
                        text_layout_create(fx->engine, corpus[i], strlen(corpus[i]), &st, width);
                    assert_non_null(l);
                    char what[128];
                    snprintf(what, sizeof what, "corpus line %zu, size %d, ruby %d", i + 1,
                             sizes[s], ruby);
                    check_layout(l, width, what, true);
                    text_layout_destroy(l);
                    layouts++;
                }
            }
        }
    }
    print_message("checked %zu layouts of %zu paragraphs\n", layouts, n);
    free_corpus(corpus, n);
}

/* Lays out text at width and returns the lines joined with '|'. */
static char *lines_of(struct fixture *fx, const char *text, int size, int width)
{
    text_style st = text_style_default(size);
    text_layout *l = text_layout_create(fx->engine, text, strlen(text), &st, width);
    assert_non_null(l);
    char *out = calloc(1, strlen(text) * 2 + 64);
    for (size_t i = 0; i < text_layout_line_count(l); i++) {
        text_line_info li;
        text_layout_get_line(l, i, &li);
        if (i)
            strcat(out, "|");
        strncat(out, li.text, li.len);
        if (li.ellipsis)
            strcat(out, "\xE2\x80\xA6");
    }
    text_layout_destroy(l);
    return out;
}

/* Full-width characters are exactly one em in BIZ UDGothic, so a box of N em
 * holds N of them: the expected breaks can be written by hand. */
static void test_kinsoku_cases(void **state)
{
    struct fixture *fx = *state;
    static const struct {
        const char *text;
        int em;
        const char *want;
    } cases[] = {
        /* 。 would start line 2: the character before it moves down with it. */
        {"あいうえお。かきくけ", 5, "あいうえ|お。かきく|け"},
        {"あいうえ、おかきくけ", 4, "あいう|え、おか|きくけ"},
        /* 「 may not end a line. */
        {"あいう「えお」です", 4, "あいう|「えお」|です"},
        /* Small kana and ー stay with what comes before. */
        {"あいうっとりー", 3, "あい|うっと|りー"},
        {"コンピューター", 4, "コン|ピュー|ター"},
        {"一二三四五六七八", 4, "一二三四|五六七八"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = lines_of(fx, cases[i].text, 20, cases[i].em * 20);
        if (strcmp(got, cases[i].want) != 0)
            fail_msg("case %zu: %s at %d em: got %s, want %s", i, cases[i].text, cases[i].em, got,
                     cases[i].want);
        free(got);
    }
}

static void test_tokens_not_split(void **state)
{
    struct fixture *fx = *state;
    static const char *const texts[] = {
        "詳しくは https://www.city.example.jp/kosodate/kenshin.html をご覧ください。",
        "館内では Wi-Fi をご利用いただけます。",
        "受付は 10:00 から、参加費は 3,000円 です。",
        "お問い合わせは kosodate@city.example.jp へ。",
    };
    static const char *const tokens[] = {"https://www.city.example.jp/kosodate/kenshin.html",
                                         "Wi-Fi", "10:00", "kosodate@city.example.jp"};
    for (size_t i = 0; i < 4; i++) {
        for (int em = 6; em <= 40; em++) {
            char *got = lines_of(fx, texts[i], 20, em * 20);
            /* The token fits in the box, so it must appear whole on one line. */
            if (strlen(tokens[i]) * 10 <= (size_t)em * 20 && !strstr(got, tokens[i]))
                fail_msg("%s split at %d em: %s", tokens[i], em, got);
            free(got);
        }
    }
}

static void test_alignment(void **state)
{
    struct fixture *fx = *state;
    text_style st = text_style_default(20);
    for (int a = 0; a < 3; a++) {
        st.align = (text_align)a;
        text_layout *l = text_layout_create(fx->engine, "中央寄せ", strlen("中央寄せ"), &st, 200);
        text_line_info li;
        text_layout_get_line(l, 0, &li);
        assert_int_equal(li.advance_px, 80);
        int want = a == TEXT_ALIGN_LEFT ? 0 : a == TEXT_ALIGN_CENTER ? 60 : 120;
        assert_true(li.x_px >= want - 1 && li.x_px <= want + 1);
        text_layout_destroy(l);
    }
}

static void test_newlines_and_empty(void **state)
{
    struct fixture *fx = *state;
    char *got = lines_of(fx, "一行目\n二行目\r\n\n四行目", 20, 400);
    assert_string_equal(got, "一行目|二行目||四行目");
    free(got);
    text_style st = text_style_default(20);
    text_layout *l = text_layout_create(fx->engine, "", 0, &st, 100);
    assert_non_null(l);
    assert_int_equal(text_layout_line_count(l), 1);
    text_line_info li;
    text_layout_get_line(l, 0, &li);
    assert_int_equal(li.len, 0);
    assert_int_equal(li.advance_px, 0);
    text_layout_destroy(l);
}

static void test_ellipsis(void **state)
{
    struct fixture *fx = *state;
    text_style st = text_style_default(20);
    st.max_lines = 2;
    const char *t =
        "子育て支援センターでは、毎週水曜日に親子で参加できる遊びの広場を開いています。";
    text_layout *l = text_layout_create(fx->engine, t, strlen(t), &st, 200);
    assert_int_equal(text_layout_line_count(l), 2);
    assert_true(text_layout_truncated(l));
    text_line_info li;
    text_layout_get_line(l, 1, &li);
    assert_true(li.ellipsis);
    assert_true(li.advance_px <= 200);
    assert_true(li.len > 0);
    text_layout_destroy(l);
    /* Exactly enough lines: no ellipsis. */
    st.max_lines = 10;
    l = text_layout_create(fx->engine, t, strlen(t), &st, 200);
    assert_false(text_layout_truncated(l));
    text_layout_get_line(l, text_layout_line_count(l) - 1, &li);
    assert_false(li.ellipsis);
    text_layout_destroy(l);
}

static int64_t first_line_adv26(struct fixture *fx, const char *t, bool ruby)
{
    text_style st = text_style_default(40);
    st.ruby = ruby;
    text_layout *l = text_layout_create(fx->engine, t, strlen(t), &st, 4000);
    text_line_info li;
    text_layout_get_line(l, 0, &li);
    int adv = li.advance_px;
    text_layout_destroy(l);
    return adv;
}

static void test_ruby(void **state)
{
    struct fixture *fx = *state;
    /* A reading narrower than its base changes nothing horizontally. */
    assert_int_equal(first_line_adv26(fx, "{乳幼児|にゅうようじ}", true), 120);
    /* A reading wider than its base widens the base: 十 (1 em) under じゅう
     * (1.5 em) before a kanji, which it may not overhang. */
    assert_int_equal(first_line_adv26(fx, "あ{十|じゅう}日", false), 120);
    assert_int_equal(first_line_adv26(fx, "あ{十|じゅう}日", true), 140);
    /* Before kana the reading overhangs it instead (JLREQ): no widening. */
    assert_int_equal(first_line_adv26(fx, "あ{十|じゅう}い", true), 120);

    text_style st = text_style_default(40);
    const char *t = "あ{十|じゅう}日";
    text_layout *l = text_layout_create(fx->engine, t, strlen(t), &st, 4000);
    size_t ng;
    const text_glyph *g = text_layout_glyphs(l, &ng);
    assert_int_equal(ng, 6);              /* あ 十 日 + じ ゅ う */
    int base_left = 40, base_right = 100; /* the widened group */
    for (size_t i = 0; i < ng; i++) {
        if (g[i].size_px != 20)
            continue;
        int x = g[i].x26 >> 6;
        assert_true(x >= base_left - 1 && x + 20 <= base_right + 1);
        assert_true(g[i].y26 < g[1].y26); /* above the base */
    }
    text_layout_destroy(l);
    /* Overhanging: the reading starts over 十 and reaches into い, never
     * past い's own half. */
    t = "あ{十|じゅう}い";
    l = text_layout_create(fx->engine, t, strlen(t), &st, 4000);
    g = text_layout_glyphs(l, &ng);
    assert_int_equal(ng, 6);
    for (size_t i = 0; i < ng; i++)
        if (g[i].size_px == 20)
            assert_true((g[i].x26 >> 6) >= 39 && (g[i].x26 >> 6) + 20 <= 101);
    text_layout_destroy(l);
    /* When the line breaks right after the base there is nothing to
     * overhang: the line is as wide as the reading, and fits its box. */
    t = "あ{十|じゅう}いうえおかきくけこ";
    l = text_layout_create(fx->engine, t, strlen(t), &st, 110);
    text_line_info first;
    text_layout_get_line(l, 0, &first);
    assert_int_equal(first.len, strlen("あ十"));
    assert_int_equal(first.advance_px, 100);
    text_layout_destroy(l);

    l = text_layout_create(fx->engine, t, strlen(t), &st, 4000);
    /* Ruby makes the line taller than the same text without it. */
    text_line_info with, without;
    text_layout_get_line(l, 0, &with);
    text_layout_destroy(l);
    st.ruby = false;
    l = text_layout_create(fx->engine, t, strlen(t), &st, 4000);
    text_layout_get_line(l, 0, &without);
    assert_true(with.height_px > without.height_px);
    text_layout_destroy(l);
    /* A base never breaks inside. */
    char *got = lines_of(fx, "あ{乳幼児健診|にゅうようじけんしん}です", 20, 100);
    assert_string_equal(got, "あ|乳幼児健診|です");
    free(got);
}

static void test_latin_spacing(void **state)
{
    struct fixture *fx = *state;
    int ja = (int)first_line_adv26(fx, "日本", false);
    int en = (int)first_line_adv26(fx, "Wi-Fi", false);
    int mixed = (int)first_line_adv26(fx, "日本Wi-Fi", false);
    assert_in_range(mixed - ja - en, 9, 11); /* a quarter em at 40 px */
    /* No space at the end of a line. */
    int tail = (int)first_line_adv26(fx, "Wi-Fi日", false);
    assert_in_range(tail - en - 40, 9, 11);
}

static void test_broken_input(void **state)
{
    struct fixture *fx = *state;
    text_style st = text_style_default(24);
    static const char bad[] =
        "\xff\xfe\xe3\x81\x82\xc0\xaf\xed\xa0\x80\xf4\x90\x80\x80 end\xe3\x81";
    text_layout *l = text_layout_create(fx->engine, bad, sizeof bad - 1, &st, 300);
    assert_non_null(l);
    assert_true(text_layout_invalid_bytes(l) > 0);
    size_t plen;
    const char *plain = text_layout_plain(l, &plen);
    assert_true(utf8_valid(plain, plen, NULL));
    assert_non_null(strstr(plain, "\xEF\xBF\xBD"));
    check_layout(l, 300, "invalid utf-8", false);
    text_layout_destroy(l);
    /* Markup that is not markup stays text. */
    char *got = lines_of(fx, "{未閉じ|みとじ", 20, 1000);
    assert_string_equal(got, "{未閉じ|みとじ");
    free(got);
}

static void test_tiny_and_huge(void **state)
{
    struct fixture *fx = *state;
    text_style st = text_style_default(24);
    const char *t = "狭い箱でも、文字は一つずつ必ず表示されます。";
    text_layout *l = text_layout_create(fx->engine, t, strlen(t), &st, 1);
    assert_non_null(l);
    assert_int_equal(text_layout_line_count(l), count_chars(t, strlen(t)));
    check_no_text_lost(l, "1 px box");
    text_layout_destroy(l);

    size_t big = 100 * 1024;
    char *p = malloc(big + 64);
    size_t len = 0;
    static const char *const parts[] = {"子育て相談は毎週火曜日です。", "Wi-Fi ", "{健診|けんしん}",
                                        "03-1234-5678、"};
    for (size_t i = 0; len < big; i++) {
        const char *s = parts[i % 4];
        memcpy(p + len, s, strlen(s));
        len += strlen(s);
    }
    l = text_layout_create(fx->engine, p, len, &st, 700);
    assert_non_null(l);
    assert_true(text_layout_line_count(l) > 100);
    check_no_text_lost(l, "100 kB paragraph");
    text_layout_destroy(l);
    free(p);
}

static void test_fonts_errors(void **state)
{
    (void)state;
    assert_null(text_fonts_load("/nonexistent/fonts.ini"));
    char dir[] = "/tmp/hiroba-fonts-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char bad[512], ini[512], good_ini[512];
    snprintf(bad, sizeof bad, "%s/bad.ttf", dir);
    FILE *f = fopen(bad, "w");
    fputs("this is not a font file, but it is long enough to look like one", f);
    fclose(f);
    snprintf(ini, sizeof ini, "%s/only-bad.ini", dir);
    f = fopen(ini, "w");
    fprintf(f, "[ja.regular]\nface = bad.ttf\nface = /nonexistent.ttf\n");
    fclose(f);
    assert_null(text_fonts_load(ini));
    /* One broken face does not stop the others. */
    snprintf(good_ini, sizeof good_ini, "%s/mixed.ini", dir);
    f = fopen(good_ini, "w");
    fprintf(f, "[ja.regular]\nface = bad.ttf\nface = "
               "/usr/share/fonts/truetype/bizud-gothic/BIZUDGothic-Regular.ttf\n");
    fclose(f);
    text_fonts *fonts = text_fonts_load(good_ini);
    assert_non_null(fonts);
    assert_int_equal(text_fonts_face_count(fonts), 1);
    /* The bold chain falls back to regular. */
    uint16_t chain[TEXT_CHAIN_MAX];
    assert_int_equal(text_fonts_chain(fonts, TEXT_LANG_KO, TEXT_WEIGHT_BOLD, chain), 1);
    text_fonts_destroy(fonts);
    remove(bad);
    remove(ini);
    remove(good_ini);
    rmdir(dir);
}

static void test_fallback_chain(void **state)
{
    struct fixture *fx = *state;
    /* 𠮷 (U+20BB7) is not in BIZ UDGothic; it must come from the next face. */
    text_style st = text_style_default(30);
    const char *t = "𠮷野家";
    text_layout *l = text_layout_create(fx->engine, t, strlen(t), &st, 1000);
    size_t ng;
    const text_glyph *g = text_layout_glyphs(l, &ng);
    assert_int_equal(ng, 3);
    assert_int_not_equal(g[0].glyph, 0);
    assert_int_not_equal(g[0].face, g[1].face);
    text_layout_destroy(l);
}

static void test_cache(void **state)
{
    struct fixture *fx = *state;
    text_cache *c = text_cache_create(fx->engine, 64 * 1024);
    text_style st = text_style_default(20);
    const text_layout *a = text_cache_get(c, "キャッシュ", strlen("キャッシュ"), &st, 300);
    const text_layout *b = text_cache_get(c, "キャッシュ", strlen("キャッシュ"), &st, 300);
    assert_ptr_equal(a, b);
    const text_layout *d = text_cache_get(c, "キャッシュ", strlen("キャッシュ"), &st, 301);
    assert_ptr_not_equal(a, d);
    text_cache_stats s;
    text_cache_get_stats(c, &s);
    assert_int_equal(s.hits, 1);
    assert_int_equal(s.misses, 2);
    char buf[64];
    for (int i = 0; i < 2000; i++) {
        snprintf(buf, sizeof buf, "段落その%d、少し長めの文章です。", i);
        assert_non_null(text_cache_get(c, buf, strlen(buf), &st, 300));
        text_cache_trim(c);
    }
    text_cache_get_stats(c, &s);
    assert_true(s.bytes <= 64 * 1024);
    assert_true(s.evictions > 0);
    text_cache_destroy(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kinsoku_cases),     cmocka_unit_test(test_tokens_not_split),
        cmocka_unit_test(test_alignment),         cmocka_unit_test(test_newlines_and_empty),
        cmocka_unit_test(test_ellipsis),          cmocka_unit_test(test_ruby),
        cmocka_unit_test(test_latin_spacing),     cmocka_unit_test(test_broken_input),
        cmocka_unit_test(test_tiny_and_huge),     cmocka_unit_test(test_fonts_errors),
        cmocka_unit_test(test_fallback_chain),    cmocka_unit_test(test_cache),
        cmocka_unit_test(test_corpus_properties),
    };
    return cmocka_run_group_tests_name("layout", tests, setup, teardown);
}
