/* childcare_text: where a child-care page's Japanese may break, beyond the
 * text engine's rules (ICU strict + JLREQ kinsoku). Easy Japanese is written
 * in phrases with spaces between them (分かち書き), and a reader who needs
 * it is lost when a phrase breaks ("み|ます"): its phrases are glued with
 * word joiners so lines break at the spaces and after 、。 only. Korean is
 * written with spaces between words too, and reads best broken only there
 * ("오세|요." looks like a mistake). Short bracketed phrases (「ひろば」) stay
 * whole as on signage. (The rules are glue.h's; this file chooses them.)
 * And a paragraph is set a little narrower when that avoids a break that
 * reads badly (childcare_break_flaws). Works on markup text and never
 * splits a {漢字|かんじ} group; never changes what a reader sees. */
#include "app/screens/childcare_private.h"

#include <stdlib.h>
#include <string.h>

#include "app/screens/glue.h"

/* Japanese keeps its short brackets whole but may break at a space inside
 * them; easy Japanese and Korean are glued phrase by phrase as well. */
static const glue_opts ja_rules = {.brackets = true};
static const glue_opts phrase_rules = {
    .brackets = true,
    .phrases = true,
    .break_after = "、。，！？!?,",
    .break_before = "「『（(【〈《“", /* every opening bracket */
};

bool cc_glue_phrases(model_lang lang)
{
    return lang == MODEL_LANG_JA_EASY || lang == MODEL_LANG_KO;
}

char *childcare_glue(const char *text, model_lang lang)
{
    if (cc_glue_phrases(lang))
        return glue_text(text, &phrase_rules);
    return lang == MODEL_LANG_JA ? glue_text(text, &ja_rules) : NULL;
}

const char *cc_glued(childcare *c, const char *text, model_lang lang)
{
    bool phrases = cc_glue_phrases(lang);
    if (lang != MODEL_LANG_JA && !phrases)
        return text; /* English and Chinese break well as they are */
    for (size_t i = 0; i < CC_GLUE_MAX; i++)
        if (c->glue[i].src == text && c->glue[i].phrases == phrases)
            return c->glue[i].out ? c->glue[i].out : text;
    cc_glue_entry *g = &c->glue[c->glue_next];
    c->glue_next = (c->glue_next + 1) % CC_GLUE_MAX;
    free(g->out);
    *g = (cc_glue_entry){.src = text, .phrases = phrases, .out = childcare_glue(text, lang)};
    return g->out ? g->out : text;
}

void cc_glue_clear(childcare *c)
{
    for (size_t i = 0; i < CC_GLUE_MAX; i++) {
        free(c->glue[i].out);
        c->glue[i] = (cc_glue_entry){0};
    }
    c->glue_next = 0;
}

/* ---- breaks that read badly ---- */

static uint32_t decode(const unsigned char *s, size_t n)
{
    if (n == 0)
        return 0;
    if (s[0] < 0x80)
        return s[0];
    if (s[0] < 0xE0)
        return n < 2 ? 0xFFFD : (uint32_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
    if (s[0] < 0xF0)
        return n < 3 ? 0xFFFD
                     : (uint32_t)(s[0] & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
    return n < 4 ? 0xFFFD
                 : (uint32_t)(s[0] & 0x07) << 18 | (uint32_t)(s[1] & 0x3F) << 12 |
                       (uint32_t)(s[2] & 0x3F) << 6 | (s[3] & 0x3F);
}

static bool is_han(uint32_t c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0xF900 && c <= 0xFAFF) || c == 0x3005 /* 々 */;
}

static bool is_hiragana(uint32_t c)
{
    return c >= 0x3041 && c <= 0x309F;
}

/* Hiragana that start a particle after a noun: は が を に へ で と も の や か. */
static bool is_particle(uint32_t c)
{
    static const uint32_t particles[] = {0x306F, 0x304C, 0x3092, 0x306B, 0x3078, 0x3067,
                                         0x3068, 0x3082, 0x306E, 0x3084, 0x304B};
    for (size_t i = 0; i < sizeof particles / sizeof particles[0]; i++)
        if (c == particles[i])
            return true;
    return false;
}

static bool is_katakana(uint32_t c)
{
    return (c >= 0x30A1 && c <= 0x30FA) || c == 0x30FC /* ー */;
}

/* A letter of a word (not a mark or bracket). */
static bool is_word_char(uint32_t c)
{
    return is_han(c) || is_hiragana(c) || is_katakana(c) || (c >= '0' && c <= '9') ||
           ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

static bool ends_sentence(uint32_t c)
{
    return c == 0x3002 /* 。 */ || c == 0xFF01 /* ！ */ || c == 0xFF1F /* ？ */;
}

/* The characters a line shows (word joiners and break spaces aside), its
 * last one, and how many follow the last full stop on it (-1: none). */
static void scan_line(const char *s, size_t len, size_t *chars, uint32_t *last, int *after_stop)
{
    *chars = 0;
    *last = 0;
    *after_stop = -1;
    for (size_t i = 0; i < len;) {
        unsigned char b = (unsigned char)s[i];
        size_t n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
        n = n <= len - i ? n : len - i;
        uint32_t c = decode((const unsigned char *)s + i, n);
        i += n;
        if (c == 0x2060 || c == ' ')
            continue;
        (*chars)++;
        *last = c;
        if (*after_stop >= 0 && is_word_char(c))
            (*after_stop)++;
        if (ends_sentence(c))
            *after_stop = 0;
    }
}

/* True when s starts with one to four hiragana and then 、 or 。. */
static bool short_kana_tail(const char *s, size_t len)
{
    size_t kana = 0;
    for (size_t i = 0; i + 3 <= len && kana <= 4; i += 3) {
        uint32_t c = decode((const unsigned char *)s + i, len - i);
        if (c == 0x3001 || c == 0x3002)
            return kana > 0;
        if (!is_hiragana(c))
            return false;
        kana++;
    }
    return false;
}

int childcare_break_flaws(const text_layout *l)
{
    size_t n = l ? text_layout_line_count(l) : 0, plain_len;
    if (n < 2)
        return 0;
    const char *plain = text_layout_plain(l, &plain_len);
    int flaws = 0;
    for (size_t i = 0; i < n; i++) {
        text_line_info li;
        text_layout_get_line(l, i, &li);
        size_t chars;
        uint32_t last;
        int after_stop;
        scan_line(li.text, li.len, &chars, &last, &after_stop);
        if (i + 1 == n) {
            flaws += chars <= 4; /* "ります。" alone under a full line */
            break;
        }
        /* A new sentence's first word cut off at the end ("。別|の日"). */
        flaws += after_stop > 0 && after_stop <= 2;
        /* A word split after a kanji: before another kanji (医療|機関) or
         * before its okurigana (越|し); before a particle it is fine. */
        size_t end = li.offset + li.len;
        for (;;) {
            if (end < plain_len && plain[end] == ' ')
                end++;
            else if (plain_len - end >= GLUE_JOINER_LEN &&
                     memcmp(plain + end, GLUE_JOINER, GLUE_JOINER_LEN) == 0)
                end += GLUE_JOINER_LEN;
            else
                break;
        }
        uint32_t next =
            end < plain_len ? decode((const unsigned char *)plain + end, plain_len - end) : 0;
        flaws += is_han(last) && (is_han(next) || (is_hiragana(next) && !is_particle(next)));
        /* A katakana word split (ホーム|ページ), or an honorific prefix
         * left behind (お|越し, ご|連絡). */
        flaws += is_katakana(last) && is_katakana(next);
        flaws += (last == 0x304A /* お */ || last == 0x3054 /* ご */) && is_han(next);
        /* The last syllables of a sentence pushed over (うかがいま|す。,
         * 始めま|しょう。). */
        flaws += is_hiragana(last) && short_kana_tail(plain + end, plain_len - end);
    }
    return flaws;
}

const text_layout *cc_layout_mended(screen_ctx *ctx, const char *text, const text_style *st, int w,
                                    int min_pct)
{
    const text_layout *best = kit_layout(ctx, text, st, w);
    if (st->lang != TEXT_LANG_JA || !best)
        return best;
    int least = childcare_break_flaws(best);
    for (int pct = 97; pct >= min_pct && least > 0; pct -= 3) {
        const text_layout *l = kit_layout(ctx, text, st, w * pct / 100);
        int flaws = l ? childcare_break_flaws(l) : least;
        if (flaws < least) {
            least = flaws;
            best = l;
        }
    }
    return best;
}
