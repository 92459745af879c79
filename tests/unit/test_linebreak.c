/* test_linebreak: break opportunities. Short cases are written visually:
 * "今|日|は" means a break is allowed before 日 and before は, '^' marks a
 * mandatory break; the whole of out[] must match. Then properties over every
 * paragraph of tests/corpus/ja.txt, checked against ICU itself: nothing
 * added, kinsoku kept, clusters and URLs whole, plain Japanese still
 * breakable. Then size, reuse and robustness. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <unicode/ubrk.h>

#include "ui/text/kinsoku.h"
#include "ui/text/linebreak.h"
#include "ui/text/markup.h"
#include "ui/text/utf8.h"
#include "ui/ui_log.h"

static const char *const visual_cases[] = {
    /* Japanese: a break between most characters, never before 、。 */
    "今|日|は|晴|れ|で|す。",
    "「こ|ん|に|ち|は」|と|言っ|た、|そ|う|で|す。",
    "「は|い。」|と|言|う",
    "『は|ら|ぺ|こ|あ|お|む|し』|を|読|み|ま|す",
    "【重|要】|休|館|日|の|お|知|ら|せ",
    "【お|知|ら|せ】　|本|日",
    /* small kana, ー and iteration marks never start a line */
    "ちょっ|と|キャッ|シュ",
    "スー|パー|マー|ケッ|ト",
    "ﾃ|ｽ|ﾄｯ",
    "人々|が",
    /* numbers and their units */
    "10:00〜11:30", /* a range of numbers stays whole */
    "10:00～11:30",
    "9:30–11:00 |and", /* en dash */
    "A–|B",
    "3,000円",
    "5歳",
    "20歳|未|満",
    "第|3回",
    "約|30分",
    "10kg |30分 |80%",
    "80％ |20℃ |10°",
    "2026年|11月|24日|(火) |10:00〜11:30",
    "500円|（税|込）",
    "３，０００円 |２０２６年",
    "２０２６／１１／２４",
    "１０ｋｇ",
    "ＱＲ|コー|ド",
    "午|前|10時～|正|午",
    /* currency prefixes and other prefixes */
    "¥500",
    "￥５００",
    "$5 |€10 |£3",
    "#広|場",
    "№5",
    /* phone numbers */
    "03-1234-5678",
    "電|話 |03-1234-5678 |ま|で",
    "ＴＥＬ：|０３－１２３４－５６７８",
    "10:00-11:30",
    /* URLs and e-mail */
    "https://example.jp/a/b?c=d",
    "詳|し|く|は|https://example.jp/a/b?c=d |を|ご|覧|く|だ|さ|い。",
    "（https://example.jp/）",
    "Visit |https://example.jp.",
    "www.city.example.jp/kosodate/",
    "foo@example.jp",
    "メー|ル：|foo@example.jp |ま|で",
    "info.kosodate@city.example.lg.jp",
    /* hyphenated words */
    "Wi-Fi",
    "COVID-19",
    "COVID-19|ワ|ク|チ|ン",
    "e-mail |x‐ray",
    "hiroba |は |Wi-Fi |を|使|え|ま|す。",
    "Please |bring |your |母|子|健|康|手|帳.",
    /* inseparables, kinsoku across a space */
    "あ……|い",
    "あ|――|い",
    "「 あ",
    /* grapheme clusters: a mark after a space, a variation sequence,
     * decomposed kana, an emoji ZWJ sequence */
    "a ́b",
    "葛󠄀|城",
    "か゚|か゚",
    "👨‍👩‍👧 |家|族",
    /* newlines: mandatory, even where kinsoku would forbid a break */
    "a\n^b",
    "a\r\n^b",
    "a\xE2\x80\xA8^b",
    "\n^\n^",
    "あ\n^、|い",
    "「\n^あ",
};

/* Parses a visual case into text and expected marks. */
static size_t parse_visual(const char *v, char *text, uint8_t *want)
{
    size_t len = 0;
    uint8_t mark = TEXT_BREAK_NONE;
    for (; *v; v++) {
        if (*v == '|' || *v == '^') {
            mark = *v == '|' ? TEXT_BREAK_ALLOWED : TEXT_BREAK_MANDATORY;
            continue;
        }
        want[len] = mark;
        text[len++] = *v;
        mark = TEXT_BREAK_NONE;
    }
    want[len] = TEXT_BREAK_MANDATORY;
    return len;
}

static void render(const char *text, size_t len, const uint8_t *out, char *buf, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < len && o + 8 < cap; i++) {
        if (out[i] == TEXT_BREAK_ALLOWED)
            buf[o++] = '|';
        else if (out[i] == TEXT_BREAK_MANDATORY)
            buf[o++] = '^';
        else if (out[i] != TEXT_BREAK_NONE)
            buf[o++] = '?';
        buf[o++] = text[i] == '\n' ? '/' : text[i];
    }
    buf[o] = '\0';
}

static void test_visual_cases(void **state)
{
    text_breaker *b = *state;
    for (size_t k = 0; k < sizeof visual_cases / sizeof *visual_cases; k++) {
        char text[256], got[512];
        uint8_t want[256], out[256];
        size_t len = parse_visual(visual_cases[k], text, want);
        memset(out, 0xAA, sizeof out);
        assert_int_equal(text_breaker_find(b, text, len, out), 0);
        if (memcmp(out, want, len + 1) != 0) {
            render(text, len, out, got, sizeof got);
            fail_msg("case %zu: got \"%s\", want \"%s\"", k, got, visual_cases[k]);
        }
    }
}

static void count_log(void *userdata, ui_log_level level, const char *module, const char *msg)
{
    (void)level;
    (void)msg;
    assert_string_equal(module, "linebreak");
    ++*(int *)userdata;
}

static void test_empty_and_errors(void **state)
{
    text_breaker *b = *state;
    int logged = 0;
    ui_log_set_handler(count_log, &logged);
    uint8_t out[4] = {9, 9, 9, 9};
    assert_int_equal(text_breaker_find(b, "", 0, out), 0);
    assert_int_equal(out[0], TEXT_BREAK_MANDATORY); /* out[len] with len 0 */
    assert_int_equal(text_breaker_find(b, NULL, 0, out), 0);
    assert_int_equal(text_breaker_find(NULL, "a", 1, out), -1);
    assert_int_equal(text_breaker_find(b, "a", 1, NULL), -1);
    assert_int_equal(text_breaker_find(b, NULL, 1, out), -1);
    assert_int_equal(logged, 3); /* every failure is logged */

    size_t len = TEXT_BREAK_MAX_BYTES + 1u;
    char *big = malloc(len);
    uint8_t *bout = malloc(len + 1);
    assert_non_null(big);
    assert_non_null(bout);
    memset(big, 'a', len);
    assert_int_equal(text_breaker_find(b, big, len, bout), -1);
    assert_int_equal(logged, 4);
    free(big);
    free(bout);
    ui_log_set_handler(NULL, NULL);
    text_breaker_destroy(NULL); /* no-op */
}

/* ---- corpus properties ---- */

typedef struct icu_marks {
    uint8_t *line;    /* ICU strict line boundaries by byte */
    uint8_t *cluster; /* grapheme cluster boundaries by byte */
} icu_marks;

/* Runs an ICU iterator of the given type, marking boundaries by byte. */
static void icu_boundaries(UBreakIteratorType type, const char *locale, const char *s, size_t len,
                           uint8_t *mark)
{
    UChar *u = malloc((len + 1) * sizeof *u);
    size_t *map = malloc((len + 1) * sizeof *map);
    assert_non_null(u);
    assert_non_null(map);
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        size_t start = i;
        uint32_t cp = utf8_decode(s, len, &i);
        if (cp >= 0x10000) {
            map[n] = start;
            u[n++] = (UChar)(0xD7C0 + (cp >> 10));
            cp = 0xDC00 | (cp & 0x3FF);
        }
        map[n] = start;
        u[n++] = (UChar)cp;
    }
    map[n] = len;
    UErrorCode st = U_ZERO_ERROR;
    UBreakIterator *it = ubrk_open(type, locale, u, (int32_t)n, &st);
    assert_false(U_FAILURE(st));
    memset(mark, 0, len + 1);
    for (int32_t p = ubrk_first(it); p != UBRK_DONE; p = ubrk_next(it))
        mark[map[p]] = 1;
    ubrk_close(it);
    free(u);
    free(map);
}

/* Rules do not depend on ICU's locale flavour: plain "ja" lets ICU break
 * before small kana and ー, kinsoku still removes those breaks. */
static void test_rules_hold_for_plain_ja(void **state)
{
    (void)state;
    text_breaker *b = text_breaker_create("ja");
    assert_non_null(b);
    char text[64];
    uint8_t want[64], out[64], icu[64];
    size_t len = parse_visual("ちょっ|と|キャッ|シュー", text, want);
    icu_boundaries(UBRK_LINE, "ja", text, len, icu);
    assert_true(icu[6] && icu[len - 3]); /* ICU "ja" would break before っ and ー */
    assert_int_equal(text_breaker_find(b, text, len, out), 0);
    assert_memory_equal(out, want, len + 1);
    text_breaker_destroy(b);
}

static bool url_byte(unsigned char c)
{
    return c < 0x80 && c > 0x20 && !strchr("<>\"{}|\\^`", c) && c != 0x7F;
}

static bool word_byte(unsigned char c)
{
    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/* Independent URL / e-mail finder: returns the tokens found and checks that
 * no opportunity lies strictly inside one. */
static size_t check_urls(const char *s, size_t len, const uint8_t *out, size_t lineno)
{
    size_t tokens = 0;
    for (size_t i = 0; i < len; i++) {
        size_t start = SIZE_MAX;
        if ((!strncmp(s + i, "http://", 7) || !strncmp(s + i, "https://", 8) ||
             !strncmp(s + i, "www.", 4)) &&
            (i == 0 || !word_byte((unsigned char)s[i - 1])))
            start = i;
        else if (s[i] == '@' && i > 0 && word_byte((unsigned char)s[i - 1]) && i + 1 < len &&
                 word_byte((unsigned char)s[i + 1])) {
            start = i;
            while (start > 0 &&
                   (word_byte((unsigned char)s[start - 1]) || strchr("._%+-", s[start - 1])))
                start--;
        }
        if (start == SIZE_MAX)
            continue;
        size_t end = i;
        while (end < len && url_byte((unsigned char)s[end]))
            end++;
        for (size_t k = start + 1; k < end; k++)
            if (out[k] != TEXT_BREAK_NONE)
                fail_msg("line %zu: break inside URL/e-mail at byte %zu: %.*s", lineno, k,
                         (int)(end - start), s + start);
        tokens++;
        i = end;
    }
    return tokens;
}

/* Kana and ideographs that no rule should glue: ICU's breaks between two of
 * them must survive. */
static bool plain_japanese(uint32_t c)
{
    bool kana = (c >= 0x3041 && c <= 0x3096) || (c >= 0x30A1 && c <= 0x30FA);
    bool han = c >= 0x4E00 && c <= 0x9FFF;
    return (kana || han) && !kinsoku_no_line_start(c) && !kinsoku_no_line_end(c);
}

typedef struct corpus_stats {
    size_t lines, bytes, allowed, urls, kinsoku_spots;
} corpus_stats;

static void check_paragraph(text_breaker *b, const char *s, size_t len, size_t lineno,
                            corpus_stats *st)
{
    uint8_t *out = malloc(len + 1);
    uint8_t *icu = malloc(len + 1);
    uint8_t *gc = malloc(len + 1);
    assert_true(out && icu && gc);
    assert_int_equal(text_breaker_find(b, s, len, out), 0);
    icu_boundaries(UBRK_LINE, "ja@lb=strict", s, len, icu);
    icu_boundaries(UBRK_CHARACTER, "ja", s, len, gc);

    assert_int_equal(out[len], TEXT_BREAK_MANDATORY);
    assert_int_equal(out[0], TEXT_BREAK_NONE);
    uint32_t prev = 0;
    for (size_t i = 0; i < len;) {
        size_t start = i;
        uint32_t cp = utf8_decode(s, len, &i);
        for (size_t k = start + 1; k < i; k++)
            if (out[k] != TEXT_BREAK_NONE)
                fail_msg("line %zu: break inside a UTF-8 sequence at %zu", lineno, k);
        uint8_t o = out[start];
        if (start > 0) {
            if (o == TEXT_BREAK_MANDATORY)
                fail_msg("line %zu: mandatory break without a newline at %zu", lineno, start);
            if (o == TEXT_BREAK_ALLOWED && !icu[start])
                fail_msg("line %zu: break at %zu that ICU does not allow", lineno, start);
            if (o == TEXT_BREAK_ALLOWED && !gc[start])
                fail_msg("line %zu: break inside a grapheme cluster at %zu", lineno, start);
            if (o == TEXT_BREAK_ALLOWED && kinsoku_no_line_start(cp))
                fail_msg("line %zu: line may start with U+%04X at %zu", lineno, (unsigned)cp,
                         start);
            if (o == TEXT_BREAK_ALLOWED && kinsoku_no_line_end(prev))
                fail_msg("line %zu: line may end with U+%04X at %zu", lineno, (unsigned)prev,
                         start);
            if (kinsoku_no_line_start(cp) || kinsoku_no_line_end(prev))
                st->kinsoku_spots++;
            if (icu[start] && plain_japanese(prev) && plain_japanese(cp) && o != TEXT_BREAK_ALLOWED)
                fail_msg("line %zu: lost the break between U+%04X and U+%04X", lineno,
                         (unsigned)prev, (unsigned)cp);
            st->allowed += o == TEXT_BREAK_ALLOWED;
        }
        prev = cp;
    }
    st->urls += check_urls(s, len, out, lineno);
    st->lines++;
    st->bytes += len;
    free(out);
    free(icu);
    free(gc);
}

static void test_corpus_properties(void **state)
{
    text_breaker *b = *state;
    const char *dir = getenv("HIROBA_SOURCE_DIR");
    if (!dir) {
        print_message("HIROBA_SOURCE_DIR is not set: skipping the corpus properties\n");
        skip();
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/corpus/ja.txt", dir);
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    corpus_stats st = {0};
    char line[16384];
    size_t lineno = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        size_t raw = strcspn(line, "\r\n");
        if (raw == 0 || line[0] == '#')
            continue;
        size_t len;
        char *plain = text_markup_strip(line, raw, &len); /* what the layout breaks */
        assert_non_null(plain);
        check_paragraph(b, plain, len, lineno, &st);
        free(plain);
    }
    fclose(f);
    print_message("corpus: %zu paragraphs, %zu bytes, %zu opportunities, %zu URLs/e-mails, "
                  "%zu kinsoku spots\n",
                  st.lines, st.bytes, st.allowed, st.urls, st.kinsoku_spots);
    /* The properties above must have had something to bite on. */
    assert_true(st.lines >= 150);
    assert_true(st.urls >= 5);
    assert_true(st.kinsoku_spots >= 500);
}

/* ---- size, reuse, robustness ---- */

static const char *const pieces[] = {
    "乳幼児健診は、保健センターで実施しています。",
    "受付は2026年11月24日(火) 10:00〜11:30、参加費は3,000円です。",
    "詳しくは https://www.city.example.lg.jp/kosodate/ をご覧ください。",
    "ちょっとキャッシュレス決済のスーパーマーケットへ。",
    "「おはなし会」は¥500、Wi-Fiは無料、連絡は foo@example.jp まで。",
    "体重10kgの5歳児、室温28℃、湿度40%です。",
};

/* The breaker is context-free across "。": a paragraph made of pieces
 * breaks exactly as the pieces do, plus a break at each junction. */
static void test_long_paragraph(void **state)
{
    text_breaker *b = *state;
    const size_t n_pieces = sizeof pieces / sizeof *pieces;
    size_t cap = 110 * 1024, len = 0, count = 0;
    char *text = malloc(cap);
    size_t *at = malloc(cap * sizeof *at); /* piece index starting at each junction */
    assert_true(text && at);
    while (len < 100 * 1024) {
        const char *p = pieces[count % n_pieces];
        size_t n = strlen(p);
        at[count++] = len;
        memcpy(text + len, p, n);
        len += n;
    }
    uint8_t *out = malloc(len + 1);
    assert_non_null(out);
    clock_t t0 = clock();
    assert_int_equal(text_breaker_find(b, text, len, out), 0);
    double ms = (double)(clock() - t0) * 1000.0 / CLOCKS_PER_SEC;
    print_message("%zu bytes broken in %.2f ms\n", len, ms);

    uint8_t small[512];
    for (size_t k = 0; k < count; k++) {
        const char *p = pieces[k % n_pieces];
        size_t n = strlen(p);
        assert_int_equal(text_breaker_find(b, p, n, small), 0);
        small[0] = k ? TEXT_BREAK_ALLOWED : TEXT_BREAK_NONE;
        small[n] = k + 1 < count ? TEXT_BREAK_ALLOWED : TEXT_BREAK_MANDATORY;
        if (memcmp(out + at[k], small, n + 1) != 0)
            fail_msg("piece %zu at byte %zu breaks differently inside the paragraph", k, at[k]);
    }
    free(out);
    free(at);
    free(text);
}

/* Nothing but buffers survives a call: the shared breaker (already used by
 * the tests above, the 100 kB paragraph included) and a fresh one agree. */
static void test_reuse_is_stateless(void **state)
{
    text_breaker *used = *state;
    text_breaker *fresh = text_breaker_create("ja@lb=strict");
    assert_non_null(fresh);
    for (size_t k = sizeof visual_cases / sizeof *visual_cases; k-- > 0;) {
        char text[256];
        uint8_t want[256], a[256], c[256];
        size_t len = parse_visual(visual_cases[k], text, want);
        assert_int_equal(text_breaker_find(used, text, len, a), 0);
        assert_int_equal(text_breaker_find(fresh, text, len, c), 0);
        assert_memory_equal(a, c, len + 1);
    }
    text_breaker_destroy(fresh);
}

/* Sanitised garbage (U+FFFD, stray marks, controls) never crashes and keeps
 * the structural guarantees. */
static void test_sanitised_garbage(void **state)
{
    text_breaker *b = *state;
    static const char raw[] = "壊れた\xE3\x81テキスト\xFF。\xC0\xAF「\x80」\t\x01\x7F"
                              "\xCC\x81\xEF\xB8\x8F\xE2\x80\x8D\xE2\x80\x8D"
                              "https://\xFF"
                              "example.jp @@ a@ @b ://x www.";
    size_t len;
    char *s = utf8_sanitize(raw, sizeof raw - 1, &len);
    assert_non_null(s);
    uint8_t *out = malloc(len + 1);
    assert_non_null(out);
    assert_int_equal(text_breaker_find(b, s, len, out), 0);
    assert_int_equal(out[0], TEXT_BREAK_NONE);
    assert_int_equal(out[len], TEXT_BREAK_MANDATORY);
    for (size_t i = 1; i < len; i++) {
        if (((unsigned char)s[i] & 0xC0) == 0x80)
            assert_int_equal(out[i], TEXT_BREAK_NONE);
        assert_true(out[i] <= TEXT_BREAK_MANDATORY);
    }
    free(out);
    free(s);
}

static int setup(void **state)
{
    *state = text_breaker_create("ja@lb=strict");
    return *state ? 0 : -1;
}

static int teardown(void **state)
{
    text_breaker_destroy(*state);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_visual_cases),
        cmocka_unit_test(test_empty_and_errors),
        cmocka_unit_test(test_rules_hold_for_plain_ja),
        cmocka_unit_test(test_corpus_properties),
        cmocka_unit_test(test_long_paragraph),
        cmocka_unit_test(test_reuse_is_stateless),
        cmocka_unit_test(test_sanitised_garbage),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
