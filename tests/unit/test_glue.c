/* test_glue: where word joiners go (app/screens/glue.h), by the rules each
 * screen chooses: signage's short brackets (kept whole across spaces), child
 * care's brackets and phrases (easy Japanese, Korean), the boards' easy
 * Japanese (phrases of up to a dozen characters) and Japanese. Tables of
 * inputs and the exact output, "~" standing for U+2060; then the options one
 * by one, and the promises (only joiners added, the same furigana groups)
 * over broken markup and bytes that are not UTF-8. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/screens/boards_private.h"
#include "app/screens/childcare.h"
#include "app/screens/glue.h"
#include "app/screens/signage.h"
#include "ui/text/markup.h"

typedef struct glue_case {
    const char *in;
    model_lang lang;  /* for the screens that choose by language */
    const char *want; /* NULL: nothing to glue; "~" stands for U+2060 */
} glue_case;

/* got with each U+2060 spelt "~" (a new string). */
static char *spelt(const char *got)
{
    char *out = malloc(strlen(got) + 1);
    assert_non_null(out);
    size_t o = 0;
    for (const char *p = got; *p;) {
        if (strncmp(p, GLUE_JOINER, GLUE_JOINER_LEN) == 0) {
            out[o++] = '~';
            p += GLUE_JOINER_LEN;
        } else {
            out[o++] = *p++;
        }
    }
    out[o] = '\0';
    return out;
}

/* Checks got (owned) against want, for case i of a table named what. */
static void expect(const char *what, size_t i, char *got, const char *want)
{
    if (!want) {
        if (got)
            fail_msg("%s case %zu: glued %s", what, i, got);
        return;
    }
    if (!got)
        fail_msg("%s case %zu: nothing glued, want %s", what, i, want);
    char *shown = spelt(got);
    if (strcmp(shown, want) != 0)
        fail_msg("%s case %zu: got %s, want %s", what, i, shown, want);
    free(shown);
    free(got);
}

/* Signage: a short bracketed phrase stays on one line, spaces and all. */
static void test_signage_rules(void **state)
{
    (void)state;
    static const glue_case cases[] = {
        {"遊べる「ひろば」を開きます。", 0, "遊べる「~ひ~ろ~ば~」を開きます。"},
        {"11月12日（木）", 0, "11月12日（~木~）"},
        {"「{親子|おやこ}ひろば」", 0, "「~{親子|おやこ}~ひ~ろ~ば~」"}, /* groups stay whole */
        {"「{親|おや}", 0, NULL},                                       /* never closed */
        {"「これは十二文字をこえる長いかぎかっこです」", 0, NULL},      /* long: may break */
        {"「外（中）外」", 0, "「~外~（~中~）~外~」"},                  /* nested, glued as one */
        {"「改\n行」", 0, NULL},                                        /* not across lines */
        {"no brackets", 0, NULL},
        {"", 0, NULL},
        {"（10時 ～ 12時）", 0, "（~1~0~時~ ~～~ ~1~2~時~）"}, /* across its spaces */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect("signage", i, glue_text(cases[i].in, &signage_glue_rules), cases[i].want);
}

/* Child care: Japanese keeps short brackets whole (breaking at their
 * spaces); easy Japanese and Korean break only between phrases. */
static void test_childcare_rules(void **state)
{
    (void)state;
    static const glue_case cases[] = {
        /* Easy Japanese: whole phrases, breaks at the spaces and after 、。 */
        {"{体|からだ}の {大|おお}きさを はかります。", MODEL_LANG_JA_EASY,
         "{体|からだ}~の {大|おお}~き~さ~を は~か~り~ま~す~。"},
        {"こられない {日|ひ}は、センターに", MODEL_LANG_JA_EASY,
         "こ~ら~れ~な~い {日|ひ}~は~、セ~ン~タ~ー~に"},
        {"「{親子|おやこ}」で あそぼう", MODEL_LANG_JA_EASY, "「~{親子|おやこ}~」~で あ~そ~ぼ~う"},
        {"みます。\nおわり", MODEL_LANG_JA_EASY, "み~ま~す~。\nお~わ~り"},
        /* Korean: words stay whole. */
        {"키와 몸무게 측정, 진찰", MODEL_LANG_KO, "키~와 몸~무~게 측~정~, 진~찰"},
        /* Japanese: short brackets only, and their spaces stay breaks. */
        {"遊べる「ひろば」を", MODEL_LANG_JA, "遊べる「~ひ~ろ~ば~」を"},
        {"ふつうの文です。", MODEL_LANG_JA, NULL},
        {"「Aコート 予約」", MODEL_LANG_JA, "「~A~コ~ー~ト 予~約~」"},
        {"a b c", MODEL_LANG_JA_EASY, NULL},
        {"", MODEL_LANG_JA_EASY, NULL},
        /* English and Chinese break well as they are. */
        {"遊べる「ひろば」を", MODEL_LANG_EN, NULL},
        {"遊べる「ひろば」を", MODEL_LANG_ZH, NULL},
        /* Broken markup stays literal, and no joiner makes it a group. */
        {"{壊|こわ", MODEL_LANG_JA_EASY, "{壊|こ~わ"},
        {"「{|}」", MODEL_LANG_JA, NULL},
        {"「あ{|い}」", MODEL_LANG_JA_EASY, "「~あ{|い}」"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect("childcare", i, childcare_glue(cases[i].in, cases[i].lang), cases[i].want);
}

/* Boards: easy Japanese breaks at its spaces, never inside a phrase of up
 * to a dozen characters; Japanese keeps short brackets whole (the signage
 * rule); other languages are left alone; broken input is not trusted. */
static void test_boards_rules(void **state)
{
    (void)state;
    static const glue_case cases[] = {
        {"たいいくかん Aコート", MODEL_LANG_JA_EASY, "た~い~い~く~か~ん A~コ~ー~ト"},
        {"{予約|よやく}ずみ", MODEL_LANG_JA_EASY, "{予約|よやく}~ず~み"},
        {"しみんか（じゅうみんひょう・こせき）", MODEL_LANG_JA_EASY,
         "し~み~ん~か（~じ~ゅ~う~み~ん~ひ~ょ~う~・こ~せ~き~）"},
        {"あいうえおかきくけこさしす", MODEL_LANG_JA_EASY, NULL}, /* 13: may break inside */
        {"あいうえおかきくけこさし", MODEL_LANG_JA_EASY,
         "あ~い~う~え~お~か~き~く~け~こ~さ~し"}, /* 12: whole */
        {"a b c", MODEL_LANG_JA_EASY, NULL},
        {"{壊れた", MODEL_LANG_JA_EASY, "{~壊~れ~た"},
        {"Tax Division", MODEL_LANG_EN, NULL},
        {"体育館 A场地", MODEL_LANG_ZH, NULL},
        {"市民課（住民票・戸籍）", MODEL_LANG_JA, "市民課（~住~民~票~・~戸~籍~）"},
        /* Bytes that are not UTF-8 are left for the layout to sanitise. */
        {"\xff\xfe あいう\xe3\x81", MODEL_LANG_JA_EASY, NULL},
        {"（\xbc）", MODEL_LANG_JA, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect("boards", i, boards_glue(cases[i].in, cases[i].lang), cases[i].want);
    assert_null(boards_glue(NULL, MODEL_LANG_JA_EASY));
}

/* The options one by one, on the same texts. */
static void test_options(void **state)
{
    (void)state;
    static const struct {
        glue_opts opts;
        const char *in, *want;
    } cases[] = {
        {{0}, "「ひろば」", NULL}, /* no rule: nothing */
        {{.phrases = true}, "あい うえ", "あ~い う~え"},
        {{.phrases = true}, "あい、うえ", "あ~い~、~う~え"},
        {{.phrases = true, .break_after = "、"}, "あい、うえ", "あ~い~、う~え"},
        {{.phrases = true, .break_before = "「"}, "あ「い」", "あ「~い~」"},
        {{.phrases = true, .phrase_max = 2}, "あい うえお", "あ~い うえお"},
        {{.phrases = true}, "あい\tう\r\nえ　お", "あ~い\tう\r\nえ　お"}, /* all spaces */
        {{.brackets = true}, "「あ い」", "「~あ い~」"},
        {{.brackets = true, .brackets_across_spaces = true}, "「あ い」", "「~あ~ ~い~」"},
        /* A joiner already there is kept, and not doubled by phrases. */
        {{.phrases = true}, "あ\xE2\x81\xA0い", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect("options", i, glue_text(cases[i].in, &cases[i].opts), cases[i].want);
    assert_null(glue_text(NULL, &signage_glue_rules));
    assert_null(glue_text("「ひろば」", NULL));
}

/* s without its word joiners (a new string). */
static char *without_joiners(const char *s)
{
    char *out = malloc(strlen(s) + 1);
    assert_non_null(out);
    size_t o = 0;
    for (const char *p = s; *p;) {
        if (strncmp(p, GLUE_JOINER, GLUE_JOINER_LEN) == 0)
            p += GLUE_JOINER_LEN;
        else
            out[o++] = *p++;
    }
    out[o] = '\0';
    return out;
}

static size_t groups(const char *s)
{
    text_markup m;
    assert_int_equal(text_markup_parse(s, strlen(s), &m), 0);
    size_t n = m.n_rubies;
    text_markup_free(&m);
    return n;
}

/* Broken markup and broken bytes under every rule: only joiners added, and
 * the parser finds as many groups as before (a joiner never makes "{|}" a
 * group, nor splits one). */
static void test_promises(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "「{|}」",      "「{|あ}」",    "「{あ|}」",   "「{あ|い|う}」", "「{あ}い|う}」",
        "「{あ|い}」",  "{{あ|い}}",    "「あ{い」",   "「あ|い」",      "「{壊れた」",
        "「\xe3\x81」", "「\xff あ」",  "「あ\r い」", "{|}{|}",         "あい{|}うえ",
        "|あ|",         "「{a|b\nc}」", "「」",        "（）（）",       "「「「」」」",
    };
    const glue_opts *rules[] = {
        &signage_glue_rules,
        &(const glue_opts){.brackets = true},
        &(const glue_opts){.brackets = true, .phrases = true, .break_after = "、。"},
        &(const glue_opts){.phrases = true, .phrase_max = 12},
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        for (size_t r = 0; r < sizeof rules / sizeof rules[0]; r++) {
            char *out = glue_text(texts[i], rules[r]);
            if (!out)
                continue;
            char *back = without_joiners(out);
            if (strcmp(back, texts[i]) != 0 || groups(out) != groups(texts[i]))
                fail_msg("text %zu, rules %zu: %s", i, r, out);
            free(back);
            free(out);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_signage_rules), cmocka_unit_test(test_childcare_rules),
        cmocka_unit_test(test_boards_rules),  cmocka_unit_test(test_options),
        cmocka_unit_test(test_promises),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
