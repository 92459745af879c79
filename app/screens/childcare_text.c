/* childcare_text: where a child-care page's Japanese may break, beyond the
 * text engine's rules (ICU strict + JLREQ kinsoku). Easy Japanese is written
 * in phrases with spaces between them (分かち書き), and a reader who needs
 * it is lost when a phrase breaks ("み|ます"): its phrases are glued with
 * word joiners so lines break at the spaces and after 、。 only. Korean is
 * written with spaces between words too, and reads best broken only there
 * ("오세|요." looks like a mistake). Short bracketed phrases (「ひろば」) stay
 * whole as on signage. And a paragraph is set a little narrower when that
 * avoids a break that reads badly (childcare_break_flaws). Works on markup
 * text and never splits a {漢字|かんじ} group; never changes what a reader
 * sees. */
#include "app/screens/childcare_private.h"

#include <stdlib.h>
#include <string.h>

#define WORD_JOINER "\xE2\x81\xA0" /* U+2060: no break on either side, no width */
#define WJ_LEN      3

#define SHORT_PHRASE 12 /* characters: 「ひろば」 is one thing, a long quote is not */

/* One unit of markup text: a whole {base|reading} group (which the layout
 * keeps together anyway), or one character. */
typedef enum atom_kind {
    ATOM_CHAR,
    ATOM_GROUP,
    ATOM_OPAQUE, /* a lone { | or } that opens no group, or a byte that is not
                  * valid UTF-8: kept as it is and never glued, so that a
                  * joiner can neither turn "{|}" into a group nor change how
                  * a broken sequence is read */
    ATOM_SPACE,  /* a space, U+3000 or a line end: phrases break there */
    ATOM_JOINER, /* a word joiner already in the text */
} atom_kind;

typedef struct atom {
    size_t start, len;
    size_t chars; /* characters a reader sees */
    atom_kind kind;
    int bracket; /* +1 opening, -1 closing, 0 neither */
    bool newline;
} atom;

/* Whether a group opens at text[open] == '{', by the markup parser's rule
 * (ui/text/markup.c): one '|', non-empty base and reading, the first '}'
 * closes it, no '{' or line end before. Sets *end past the '}'. */
static bool group_at(const char *text, size_t len, size_t open, size_t *end, size_t *base_len)
{
    size_t bars = 0, bar = 0;
    for (size_t k = open + 1; k < len; k++) {
        switch (text[k]) {
        case '|':
            bars++;
            bar = k;
            break;
        case '}':
            *end = k + 1;
            *base_len = bar - open - 1;
            return bars == 1 && bar > open + 1 && k > bar + 1;
        case '{':
        case '\n':
        case '\r':
            return false;
        default:
            break;
        }
    }
    return false;
}

static bool bytes_are(const char *a, size_t n, const char *s)
{
    return n == strlen(s) && memcmp(a, s, n) == 0;
}

static size_t utf8_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

/* +1 for an opening bracket, -1 for a closing one, else 0. */
static int bracket_of(const char *a, size_t n)
{
    static const char *const open[] = {"「", "『", "（", "(", "【", "〈", "《", "“"};
    static const char *const close[] = {"」", "』", "）", ")", "】", "〉", "》", "”"};
    for (size_t i = 0; i < sizeof open / sizeof open[0]; i++) {
        if (bytes_are(a, n, open[i]))
            return 1;
        if (bytes_are(a, n, close[i]))
            return -1;
    }
    return 0;
}

static atom atom_at(const char *text, size_t len, size_t i)
{
    atom a = {.start = i, .kind = ATOM_CHAR};
    size_t end, base_len;
    if (text[i] == '{' && group_at(text, len, i, &end, &base_len)) {
        a.len = end - i;
        a.kind = ATOM_GROUP;
        a.chars = utf8_chars(text + i + 1, base_len);
        return a;
    }
    unsigned char c = (unsigned char)text[i];
    size_t n = c < 0x80 ? 1 : c < 0xC2 ? 0 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : c < 0xF5 ? 4 : 0;
    for (size_t k = 1; k < n; k++)
        if (i + k >= len || ((unsigned char)text[i + k] & 0xC0) != 0x80)
            n = 0;
    a.len = n ? n : 1;
    a.chars = 1;
    const char *p = text + i;
    if (!n || c == '{' || c == '|' || c == '}')
        a.kind = ATOM_OPAQUE;
    else if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || bytes_are(p, a.len, "\xE3\x80\x80"))
        a.kind = ATOM_SPACE;
    else if (bytes_are(p, a.len, WORD_JOINER))
        a.kind = ATOM_JOINER;
    a.newline = c == '\n' || c == '\r';
    a.bracket = bracket_of(p, a.len);
    return a;
}

/* After these a line may end inside a phrase. */
static bool is_break_after(const char *a, size_t n)
{
    static const char *const marks[] = {"、", "。", "，", "！", "？", "!", "?", ","};
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
        if (bytes_are(a, n, marks[i]))
            return true;
    return false;
}

/* Before these a line may start inside a phrase. */
static bool is_break_before(const char *a, size_t n)
{
    return bracket_of(a, n) > 0;
}

bool cc_glue_phrases(model_lang lang)
{
    return lang == MODEL_LANG_JA_EASY || lang == MODEL_LANG_KO;
}

char *childcare_glue(const char *text, bool phrases)
{
    size_t len = strlen(text), n = 0;
    for (size_t i = 0; i < len; n++)
        i += atom_at(text, len, i).len;
    if (n < 2)
        return NULL;
    atom *atoms = calloc(n, sizeof *atoms);
    bool *glue = calloc(n, sizeof *glue); /* a joiner after atoms[k] */
    char *out = NULL;
    if (!atoms || !glue)
        goto done;
    for (size_t i = 0, k = 0; i < len; k++) {
        atoms[k] = atom_at(text, len, i);
        i += atoms[k].len;
    }
    /* Short phrases from an opening bracket at depth 0 to its closing one,
     * never across a line of the source. */
    size_t open = 0, chars = 0;
    int depth = 0;
    for (size_t k = 0; k < n; k++) {
        if (atoms[k].newline) {
            depth = 0;
            continue;
        }
        if (atoms[k].bracket > 0 && depth++ == 0) {
            open = k;
            chars = 0;
        }
        chars += atoms[k].chars;
        if (atoms[k].bracket < 0 && depth > 0 && --depth == 0 && chars <= SHORT_PHRASE)
            for (size_t g = open; g < k; g++)
                glue[g] = true;
    }
    /* Phrases: everything between spaces, but after 、。 and before 「（. */
    for (size_t k = 0; phrases && k + 1 < n; k++) {
        const atom *a = &atoms[k], *b = &atoms[k + 1];
        if (!is_break_after(text + a->start, a->len) && !is_break_before(text + b->start, b->len))
            glue[k] = true;
    }
    size_t joins = 0;
    for (size_t k = 0; k + 1 < n; k++) {
        atom_kind a = atoms[k].kind, b = atoms[k + 1].kind;
        if (a == ATOM_OPAQUE || a == ATOM_SPACE || a == ATOM_JOINER || b == ATOM_OPAQUE ||
            b == ATOM_SPACE || b == ATOM_JOINER)
            glue[k] = false;
        joins += glue[k];
    }
    glue[n - 1] = false;
    if (!joins)
        goto done;
    out = malloc(len + joins * WJ_LEN + 1);
    if (!out)
        goto done;
    size_t o = 0;
    for (size_t k = 0; k < n; k++) {
        memcpy(out + o, text + atoms[k].start, atoms[k].len);
        o += atoms[k].len;
        if (glue[k]) {
            memcpy(out + o, WORD_JOINER, WJ_LEN);
            o += WJ_LEN;
        }
    }
    out[o] = '\0';

done:
    free(atoms);
    free(glue);
    return out;
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
    *g = (cc_glue_entry){.src = text, .phrases = phrases, .out = childcare_glue(text, phrases)};
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
            else if (plain_len - end >= WJ_LEN && memcmp(plain + end, WORD_JOINER, WJ_LEN) == 0)
                end += WJ_LEN;
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
