/* test_kinsoku: the JLREQ sets as membership tables, and the violation
 * counter on hand-made line splits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ui/text/kinsoku.h"
#include "ui/text/utf8.h"

/* Every code point of a UTF-8 string must (or must not) be in a set. */
static void check_all(const char *name, const char *chars, bool (*pred)(uint32_t), bool want)
{
    size_t len = strlen(chars);
    for (size_t i = 0; i < len;) {
        uint32_t cp = utf8_decode(chars, len, &i);
        if (pred(cp) != want)
            fail_msg("%s: U+%04X should %sbe in the set", name, (unsigned)cp, want ? "" : "not ");
    }
}

static const struct {
    const char *name;
    const char *chars;
} no_start[] = {
    {"closing brackets", "）〕］｝〉》」』】〙〗〛〟〞’”｠»›)]}｣"},
    {"commas and stops", "、。，．,.､｡"},
    {"middle dots and colons", "・：；:;･"},
    {"dividing punctuation", "？！?!‼⁇⁈⁉"},
    {"prolonged and iteration", "ーヽヾゝゞ々〻ｰ゛゜"},
    {"hyphens and waves", "‐゠–〜～"},
    {"hiragana small", "ぁぃぅぇぉっゃゅょゎゕゖ"},
    {"katakana small", "ァィゥェォッャュョヮヵヶ"},
    {"ainu small katakana", "ㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"},
    {"halfwidth small", "ｧｨｩｪｫｬｭｮｯ"},
    {"inseparable", "‥…"},
    {"postfixed", "％%‰℃℉°′″"},
};

static const struct {
    const char *name;
    const char *chars;
} no_end[] = {
    {"opening brackets", "（〔［｛〈《「『【〘〖〚〝‘“｟«‹([{｢"},
    {"prefixed", "¥￥$＄£￡€#＃№"},
};

/* Ordinary characters that may start and end a line. */
static const char *const free_chars = "あいうえおかきアイウエオカキ漢字日本語広場"
                                      "ABCxyz0123456789０１２ＡＢＣ 　"
                                      "〒※★○●◎→←=+*&@_~^\\'\"—―㎏円";

static void test_no_line_start_members(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof no_start / sizeof *no_start; i++) {
        check_all(no_start[i].name, no_start[i].chars, kinsoku_no_line_start, true);
        /* A closing mark is never also an opening one. */
        check_all(no_start[i].name, no_start[i].chars, kinsoku_no_line_end, false);
    }
}

static void test_no_line_end_members(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof no_end / sizeof *no_end; i++) {
        check_all(no_end[i].name, no_end[i].chars, kinsoku_no_line_end, true);
        check_all(no_end[i].name, no_end[i].chars, kinsoku_no_line_start, false);
    }
}

static void test_ordinary_chars_are_free(void **state)
{
    (void)state;
    check_all("free", free_chars, kinsoku_no_line_start, false);
    check_all("free", free_chars, kinsoku_no_line_end, false);
    /* Large kana next to the small ones, and the halfwidth neighbours. */
    check_all("large kana", "あいうえおつやゆよわアイウエオツヤユヨワカケｱｲｳｴｵﾂﾔﾕﾖ",
              kinsoku_no_line_start, false);
    assert_false(kinsoku_no_line_start(0));
    assert_false(kinsoku_no_line_end(0));
    assert_false(kinsoku_no_line_start(0x10FFFF));
    assert_false(kinsoku_no_line_end(0x110000));
}

/* A split written as "line|line|line": '|' marks where each line starts. */
static size_t count_split(const char *visual)
{
    char text[512];
    size_t starts[64];
    size_t n_lines = 1, len = 0;
    starts[0] = 0;
    for (const char *p = visual; *p; p++) {
        if (*p == '|') {
            assert_true(n_lines < 64);
            starts[n_lines++] = len;
        } else {
            assert_true(len < sizeof text);
            text[len++] = *p;
        }
    }
    return kinsoku_count_violations(text, len, starts, n_lines);
}

static const struct {
    const char *split;
    size_t violations;
} splits[] = {
    {"今日は|晴れです。", 0},
    {"今日は晴れです|。", 1}, /* 。 starts a line */
    {"「こんにちは」と|言った", 0},
    {"「|こんにちは」と言った", 1}, /* 「 ends a line */
    {"こんにちは|」と言った", 1},
    {"ちょっ|と待って", 0},
    {"ちょ|っと待って", 1}, /* small kana */
    {"スー|パー", 0},
    {"ス|ーパー", 1}, /* prolonged sound mark */
    {"人|々", 1},
    {"価格は¥|500です", 1}, /* prefix ends a line */
    {"80|％です", 1},
    {"休館日（|月）", 1},
    {"休館日|（月）", 0},
    {"あ「|。い「|う", 2}, /* line 1 breaks both rules: counted once */
    {"あ「|い「|う", 2},
    {"。始まりは|許す", 0}, /* a paragraph's first line is no break */
    {"終わりは|許す「", 0}, /* nor is its last line's end */
    {"あ「\n|。い", 0},     /* after a newline: a hard break */
    {"あ「\r\n|。い", 0},
    {"あ「 |い", 1},  /* trimmed space: still ends on 「 */
    {"あい|　。", 1}, /* trimmed ideographic space: starts on 。 */
    {"Hello, |world!", 0},
    {"Hello|, world", 1},
    {"Wi-Fi (|free)", 1},
    {"", 0},
};

static void test_count_violations_splits(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof splits / sizeof *splits; i++) {
        size_t got = count_split(splits[i].split);
        if (got != splits[i].violations)
            fail_msg("\"%s\": %zu violations, want %zu", splits[i].split, got,
                     splits[i].violations);
    }
}

static void test_count_violations_edges(void **state)
{
    (void)state;
    const char *t = "あ「い";
    size_t len = strlen(t);
    assert_int_equal(kinsoku_count_violations(t, len, NULL, 0), 0);
    size_t one[] = {0};
    assert_int_equal(kinsoku_count_violations(t, len, one, 1), 0);
    size_t dup[] = {0, 6, 6}; /* line 0 ends on 「; the empty line 1 judges nothing */
    assert_int_equal(kinsoku_count_violations(t, len, dup, 3), 1);
    size_t bad[] = {0, 100}; /* out of range: ignored, not read */
    assert_int_equal(kinsoku_count_violations(t, len, bad, 2), 0);
    size_t back[] = {0, 6, 3}; /* out of order: ignored */
    assert_int_equal(kinsoku_count_violations(t, len, back, 3), 1);
    size_t mid[] = {0, 4}; /* inside a sequence: no crash, a U+FFFD is not kinsoku */
    assert_int_equal(kinsoku_count_violations(t, len, mid, 2), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_line_start_members),
        cmocka_unit_test(test_no_line_end_members),
        cmocka_unit_test(test_ordinary_chars_are_free),
        cmocka_unit_test(test_count_violations_splits),
        cmocka_unit_test(test_count_violations_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
