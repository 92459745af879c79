/* kinsoku: the JLREQ (W3C "Requirements for Japanese Text Layout", 3.1.7)
 * line-start and line-end prohibitions as pure predicates. Shared by the
 * breaker, the tests and the benchmark, so every engine is judged by the same
 * sets. Must stay allocation-free and stateless.
 *
 * Decisions beyond the JLREQ class lists:
 *  - 〜 U+301C WAVE DASH is JLREQ cl-03 (hyphens), which may not start a line;
 *    ～ U+FF5E FULLWIDTH TILDE is what Windows (CP932) writes for it, so it is
 *    treated the same ("10:00～11:30" must not put ～ at a line start).
 *  - Postfixed abbreviations (cl-20: ％ % ‰ ℃ ℉ ° ′ ″) may not start a line:
 *    JLREQ forbids separating them from the preceding number and they are
 *    never a sensible line start on their own.
 *  - Prefixed abbreviations (cl-19: ¥ ￥ $ ＄ £ ￡ € # ＃ №) may not end a line:
 *    they belong to the number that follows.
 *  - Halfwidth forms (｣ ､ ｡ ･ small ｧ-ｯ, ｰ, ｢) and the ASCII forms of the
 *    brackets and punctuation count like their fullwidth originals.
 *  - kinsoku_count_violations judges only soft breaks: a paragraph's first
 *    line start and last line end, and breaks right after a newline, are not
 *    line breaks chosen by an engine, so they cannot violate anything.
 *    White space at a break (trimmed by every layout) is skipped when finding
 *    the visible first and last character of a line. */
#include "ui/text/kinsoku.h"

#include "ui/text/utf8.h"

/* ASCII members, as bitmaps over 0x00..0x7F (two 64-bit halves). */
#define BIT(c) (1ull << ((c)&63))
static const uint64_t ascii_no_start[2] = {
    BIT('!') | BIT('%') | BIT(')') | BIT(',') | BIT('.') | BIT(':') | BIT(';') | BIT('?'),
    BIT(']') | BIT('}'),
};
static const uint64_t ascii_no_end[2] = {
    BIT('#') | BIT('$') | BIT('('),
    BIT('[') | BIT('{'),
};

static bool ascii_member(const uint64_t set[2], uint32_t cp)
{
    return (set[cp >> 6] >> (cp & 63)) & 1u;
}

bool kinsoku_no_line_start(uint32_t cp)
{
    if (cp < 0x80)
        return ascii_member(ascii_no_start, cp);
    switch (cp) {
    /* cl-02 closing brackets and quotes */
    case 0x00BB: /* » */
    case 0x2019: /* ’ */
    case 0x201D: /* ” */
    case 0x203A: /* › */
    case 0x3001: /* 、 (cl-07) */
    case 0x3002: /* 。 (cl-06) */
    case 0x3009: /* 〉 */
    case 0x300B: /* 》 */
    case 0x300D: /* 」 */
    case 0x300F: /* 』 */
    case 0x3011: /* 】 */
    case 0x3015: /* 〕 */
    case 0x3017: /* 〗 */
    case 0x3019: /* 〙 */
    case 0x301B: /* 〛 */
    case 0x301E: /* 〞 */
    case 0x301F: /* 〟 */
    case 0xFF09: /* ） */
    case 0xFF3D: /* ］ */
    case 0xFF5D: /* ｝ */
    case 0xFF60: /* ｠ */
    case 0xFF61: /* ｡ */
    case 0xFF63: /* ｣ */
    case 0xFF64: /* ､ */
    case 0xFF65: /* ･ */
    /* cl-03 hyphens (and ～, see the top comment) */
    case 0x2010: /* ‐ */
    case 0x2013: /* – */
    case 0x301C: /* 〜 */
    case 0x30A0: /* ゠ */
    case 0xFF5E: /* ～ */
    /* cl-04 dividing punctuation */
    case 0x203C: /* ‼ */
    case 0x2047: /* ⁇ */
    case 0x2048: /* ⁈ */
    case 0x2049: /* ⁉ */
    case 0xFF01: /* ！ */
    case 0xFF1F: /* ？ */
    /* cl-05 middle dots, cl-06 full stops, cl-07 commas */
    case 0x30FB: /* ・ */
    case 0xFF1A: /* ： */
    case 0xFF1B: /* ； */
    case 0xFF0C: /* ， */
    case 0xFF0E: /* ． */
    /* cl-08 inseparable */
    case 0x2025: /* ‥ */
    case 0x2026: /* … */
    /* cl-09 iteration marks, cl-10 prolonged sound mark, spacing sound marks */
    case 0x3005: /* 々 */
    case 0x303B: /* 〻 */
    case 0x309B: /* ゛ */
    case 0x309C: /* ゜ */
    case 0x309D: /* ゝ */
    case 0x309E: /* ゞ */
    case 0x30FC: /* ー */
    case 0x30FD: /* ヽ */
    case 0x30FE: /* ヾ */
    /* cl-11 small kana */
    case 0x3041:
    case 0x3043:
    case 0x3045:
    case 0x3047:
    case 0x3049: /* ぁぃぅぇぉ */
    case 0x3063:
    case 0x3083:
    case 0x3085:
    case 0x3087:
    case 0x308E: /* っゃゅょゎ */
    case 0x3095:
    case 0x3096: /* ゕゖ */
    case 0x30A1:
    case 0x30A3:
    case 0x30A5:
    case 0x30A7:
    case 0x30A9: /* ァィゥェォ */
    case 0x30C3:
    case 0x30E3:
    case 0x30E5:
    case 0x30E7:
    case 0x30EE: /* ッャュョヮ */
    case 0x30F5:
    case 0x30F6: /* ヵヶ */
    case 0x1B132:
    case 0x1B150:
    case 0x1B151:
    case 0x1B152: /* small こゐゑを */
    case 0x1B155:
    case 0x1B164:
    case 0x1B165:
    case 0x1B166:
    case 0x1B167:
    /* cl-20 postfixed abbreviations */
    case 0x00B0: /* ° */
    case 0x2030: /* ‰ */
    case 0x2032: /* ′ */
    case 0x2033: /* ″ */
    case 0x2103: /* ℃ */
    case 0x2109: /* ℉ */
    case 0xFF05: /* ％ */
        return true;
    default:
        break;
    }
    return (cp >= 0x31F0 && cp <= 0x31FF)     /* ㇰ..ㇿ small katakana for Ainu */
           || (cp >= 0xFF67 && cp <= 0xFF70); /* ｧ..ｯ and ｰ */
}

bool kinsoku_no_line_end(uint32_t cp)
{
    if (cp < 0x80)
        return ascii_member(ascii_no_end, cp);
    switch (cp) {
    /* cl-01 opening brackets and quotes */
    case 0x00AB: /* « */
    case 0x2018: /* ‘ */
    case 0x201C: /* “ */
    case 0x2039: /* ‹ */
    case 0x3008: /* 〈 */
    case 0x300A: /* 《 */
    case 0x300C: /* 「 */
    case 0x300E: /* 『 */
    case 0x3010: /* 【 */
    case 0x3014: /* 〔 */
    case 0x3016: /* 〖 */
    case 0x3018: /* 〘 */
    case 0x301A: /* 〚 */
    case 0x301D: /* 〝 */
    case 0xFF08: /* （ */
    case 0xFF3B: /* ［ */
    case 0xFF5B: /* ｛ */
    case 0xFF5F: /* ｟ */
    case 0xFF62: /* ｢ */
    /* cl-19 prefixed abbreviations */
    case 0x00A3: /* £ */
    case 0x00A5: /* ¥ */
    case 0x20AC: /* € */
    case 0x2116: /* № */
    case 0xFF03: /* ＃ */
    case 0xFF04: /* ＄ */
    case 0xFFE1: /* ￡ */
    case 0xFFE5: /* ￥ */
        return true;
    default:
        return false;
    }
}

/* White space a layout trims at a break. */
static bool is_break_space(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == 0x3000;
}

static bool is_newline(uint32_t cp)
{
    return (cp >= 0x0A && cp <= 0x0D) || cp == 0x85 || cp == 0x2028 || cp == 0x2029;
}

/* Start of the code point that ends just before byte end (end > floor). */
static size_t prev_start(const char *s, size_t floor, size_t end)
{
    size_t i = end - 1;
    while (i > floor && end - i < 4 && ((unsigned char)s[i] & 0xC0) == 0x80)
        i--;
    return i;
}

/* The code point just before byte end, or 0 if end == floor. */
static uint32_t cp_before(const char *s, size_t floor, size_t end, size_t *start)
{
    if (end <= floor)
        return 0;
    size_t i = prev_start(s, floor, end);
    size_t j = i;
    uint32_t cp = utf8_decode(s, end, &j);
    if (j != end) { /* not a whole sequence: judge the last byte alone */
        cp = UTF8_REPLACEMENT;
        i = end - 1;
    }
    *start = i;
    return cp;
}

/* Last visible code point of [from, to), or 0 if there is none. */
static uint32_t last_visible(const char *s, size_t from, size_t to)
{
    size_t end = to;
    while (end > from) {
        size_t start = end;
        uint32_t cp = cp_before(s, from, end, &start);
        if (!is_break_space(cp) && !is_newline(cp))
            return cp;
        end = start;
    }
    return 0;
}

/* First visible code point of [from, to), or 0 if there is none. */
static uint32_t first_visible(const char *s, size_t from, size_t to)
{
    size_t i = from;
    while (i < to) {
        uint32_t cp = utf8_decode(s, to, &i);
        if (!is_break_space(cp) && !is_newline(cp))
            return cp;
    }
    return 0;
}

size_t kinsoku_count_violations(const char *utf8, size_t len, const size_t *line_starts,
                                size_t n_lines)
{
    size_t count = 0;
    bool prev_bad = false; /* line i-1 already counted */
    for (size_t i = 1; i < n_lines; i++) {
        size_t prev_from = line_starts[i - 1];
        size_t b = line_starts[i];
        /* Malformed input (out of order, out of range): judge nothing here. */
        if (b > len || prev_from > b) {
            prev_bad = false;
            continue;
        }
        size_t start = b;
        uint32_t before = cp_before(utf8, prev_from, b, &start);
        if (before == 0 || is_newline(before)) { /* empty line or a hard break */
            prev_bad = false;
            continue;
        }
        size_t next_end = i + 1 < n_lines && line_starts[i + 1] >= b && line_starts[i + 1] <= len
                              ? line_starts[i + 1]
                              : len;
        uint32_t last = last_visible(utf8, prev_from, b);
        uint32_t first = first_visible(utf8, b, next_end);
        if (last && kinsoku_no_line_end(last) && !prev_bad)
            count++;
        prev_bad = first && kinsoku_no_line_start(first);
        if (prev_bad)
            count++;
    }
    return count;
}
