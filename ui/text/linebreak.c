/* linebreak: where a line may end, for Japanese and mixed text.
 *
 * ICU's line iterator ("ja@lb=strict": UAX #14 with the CJK strict rules)
 * proposes the opportunities. The house rules below only ever REMOVE them;
 * the one addition is the mandatory break after a newline.
 *  1. Kinsoku (JLREQ 3.1.7, sets in kinsoku.c): none before a
 *     kinsoku_no_line_start() char, none after a kinsoku_no_line_end() char,
 *     also across spaces ("「 あ" would end a line on 「 once the space is
 *     trimmed). Our sets are wider than ICU's OP/CL/NS/CJ classes: to ICU,
 *     ～ is ID, ％ ℃ ° are PO, ¥ ＄ № are PR and # is AL, and ICU breaks
 *     before or after them next to kana and ideographs ("10:00|～11:30").
 *  2. Grapheme clusters stay whole: none before a Grapheme_Cluster_Break
 *     Extend / SpacingMark / ZWJ char (combining marks, variation selectors,
 *     ﾞ ﾟ, emoji modifiers), none after ZWJ or a Prepend char. UAX #14 (LB10)
 *     lets a mark after a space start a line; this does not. A break AFTER a
 *     complete cluster that ends in a mark or selector ("葛󠄀|城") stays
 *     allowed: it is a cluster boundary.
 *  3. Latin words and numbers are never split: none between two
 *     alphanumerics (ASCII, Latin letters, and fullwidth ０-９ Ａ-Ｚ ａ-ｚ,
 *     which ICU treats as ideographs, so "ＱＲ" or "２０２６" would split).
 *  4. Numbers keep their units: none between a digit (ASCII or fullwidth)
 *     and a following ideograph (5歳, 3,000円, 30分), % ％ ‰ ℃ ℉ ° ′ ″ µ ℓ,
 *     a squared unit (㎏ ㌔) or a letter (10kg); none between a currency
 *     prefix (¥ ￥ $ ＄ € £ ￡) and a digit; none on either side of a
 *     separator (, . : / and fullwidth ， ． ： ／ －) between two digits.
 *     ICU joins the ASCII forms (3,000 10:00) but not the fullwidth ones.
 *  5. URLs and e-mail addresses are never split inside: a token that starts
 *     with scheme:// or www., or has '@' between word chars, extends over the
 *     RFC 3986 characters. UAX #14 breaks after '/' and before '?' etc.
 *     (We accept any scheme, not only http and https.)
 *  6. Hyphenated words: none after - ‐ ‑ between two alphanumerics
 *     ("Wi-Fi", "e-mail"); UAX #14 allows a break after a hyphen.
 *  7. Inseparables (JLREQ cl-08): none between two equal — ― … ‥.
 *     Ranges of numbers stay whole: none after – 〜 ～ between two digits
 *     ("9:30–11:00", "10:00〜11:30"); UAX #14 breaks after an en dash.
 *  8. Newlines: after \n, \r, \r\n (one unit), VT, FF, NEL, U+2028, U+2029
 *     (UAX #14 BK/CR/LF/NL) the break is MANDATORY, whatever the rules say.
 * Deliberate differences from ICU strict therefore are: rules 1-7 remove
 * opportunities ICU allows; none is added. The breaker keeps nothing between
 * calls but its ICU iterator and scratch buffers (no allocation in the steady
 * state); it never modifies the text. Everything is O(n).
 */
#include "ui/text/linebreak.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/uchar.h>

#include "ui/text/kinsoku.h"
#include "ui/text/utf8.h"
#include "ui/ui_log.h"

/* Buffers above this many UTF-16 units (6 bytes each) are released after the
 * call, so one giant paragraph does not pin megabytes for the kiosk's life.
 * Real paragraphs (up to ~100 kB) stay in the steady state. */
#define KEEP_UNITS (256u * 1024u)

/* What the house rules need to know about a code point, as bits. */
enum {
    F_NO_START = 1u << 0,  /* kinsoku_no_line_start */
    F_NO_END = 1u << 1,    /* kinsoku_no_line_end */
    F_EXTEND = 1u << 2,    /* continues the cluster before it */
    F_JOIN_NEXT = 1u << 3, /* ZWJ, Prepend: joins the cluster after it */
    F_ALNUM = 1u << 4,     /* Latin letter or digit, fullwidth too */
    F_DIGIT = 1u << 5,     /* 0-9, ０-９ */
    F_UNIT = 1u << 6,      /* may follow a number as its unit */
    F_CURRENCY = 1u << 7,  /* currency prefix */
    F_NUM_SEP = 1u << 8,   /* separator inside a number */
    F_HYPHEN = 1u << 9,    /* hyphen inside a word */
    F_INSEPARABLE = 1u << 10,
    F_SPACE = 1u << 11, /* white space a layout trims at a break */
    F_NEWLINE = 1u << 12,
    F_RANGE = 1u << 13, /* – 〜 ～ in a range of numbers */
};

/* Flags of a prev char that can veto a break after it. */
#define F_VETO_AFTER                                                                               \
    (F_JOIN_NEXT | F_ALNUM | F_DIGIT | F_CURRENCY | F_NUM_SEP | F_HYPHEN | F_INSEPARABLE | F_RANGE)

/* The 256-code-point blocks that hold almost every character of Japanese
 * text besides the ideographs: Latin-1, general punctuation, CJK
 * punctuation and kana, halfwidth and fullwidth forms. */
static const uint32_t table_blocks[4] = {0x00, 0x20, 0x30, 0xFF};

struct text_breaker {
    UBreakIterator *iter;
    UChar *u16;             /* the text as UTF-16, for ICU */
    uint32_t *u16_byte;     /* UTF-8 byte offset of each UTF-16 unit, plus the end */
    size_t cap;             /* entries allocated in both */
    uint16_t flags[4][256]; /* classify() for table_blocks, filled at create */
};

static uint16_t classify_slow(uint32_t c);

text_breaker *text_breaker_create(const char *locale)
{
    text_breaker *b = calloc(1, sizeof *b);
    if (!b) {
        UI_ERROR("linebreak", "out of memory");
        return NULL;
    }
    UErrorCode st = U_ZERO_ERROR;
    b->iter = ubrk_open(UBRK_LINE, locale ? locale : "ja@lb=strict", NULL, 0, &st);
    if (U_FAILURE(st) || !b->iter) {
        UI_ERROR("linebreak", "ubrk_open(%s): %s", locale ? locale : "ja@lb=strict",
                 u_errorName(st));
        goto fail;
    }
    for (size_t k = 0; k < 4; k++)
        for (uint32_t lo = 0; lo < 256; lo++)
            b->flags[k][lo] = classify_slow(table_blocks[k] << 8 | lo);
    return b;
fail:
    text_breaker_destroy(b);
    return NULL;
}

static void release_buffers(text_breaker *b)
{
    static const UChar empty[1] = {0};
    UErrorCode st = U_ZERO_ERROR;
    if (b->iter) /* never leave ICU pointing at freed memory */
        ubrk_setText(b->iter, empty, 0, &st);
    free(b->u16);
    free(b->u16_byte);
    b->u16 = NULL;
    b->u16_byte = NULL;
    b->cap = 0;
}

void text_breaker_destroy(text_breaker *b)
{
    if (!b)
        return;
    release_buffers(b);
    if (b->iter)
        ubrk_close(b->iter);
    free(b);
}

static int reserve(text_breaker *b, size_t need)
{
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap *= 2;
    UChar *u16 = realloc(b->u16, cap * sizeof *u16);
    if (!u16)
        goto fail;
    b->u16 = u16;
    uint32_t *map = realloc(b->u16_byte, cap * sizeof *map);
    if (!map)
        goto fail;
    b->u16_byte = map;
    b->cap = cap;
    return 0;
fail:
    UI_ERROR("linebreak", "out of memory for %zu units", need);
    return -1;
}

/* Converts to UTF-16, remembering where each unit came from. Returns the
 * number of units (never more than len). */
static size_t to_utf16(text_breaker *b, const char *s, size_t len)
{
    UChar *u = b->u16;
    uint32_t *map = b->u16_byte;
    size_t n = 0;
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            map[n] = (uint32_t)i;
            u[n++] = c;
            i++;
            continue;
        }
        size_t start = i;
        uint32_t cp = utf8_decode(s, len, &i);
        map[n] = (uint32_t)start;
        if (cp < 0x10000) {
            u[n++] = (UChar)cp;
        } else { /* a 4-byte sequence becomes a surrogate pair */
            u[n++] = (UChar)(0xD7C0 + (cp >> 10));
            map[n] = (uint32_t)start;
            u[n++] = (UChar)(0xDC00 | (cp & 0x3FF));
        }
    }
    map[n] = (uint32_t)len;
    return n;
}

/* ---- character classes of the house rules ---- */

static bool is_digit(uint32_t c)
{
    return (c - '0') < 10u || (c - 0xFF10u) < 10u;
}

static bool is_ascii_alpha(uint32_t c)
{
    return ((c | 0x20u) - 'a') < 26u;
}

static bool is_alnum(uint32_t c)
{
    if (c < 0x80)
        return is_ascii_alpha(c) || (c - '0') < 10u;
    if (c < 0x2000) /* Latin-1 letters, Latin Extended-A/B and Additional */
        return (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) || c == 0xB5 ||
               (c >= 0x1E00 && c <= 0x1EFF);
    return (c - 0xFF10u) < 10u || (c - 0xFF21u) < 26u || (c - 0xFF41u) < 26u;
}

static bool is_ideograph(uint32_t c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3FFFF);
}

/* What may follow a number as its unit (rule 4). */
static bool is_unit(uint32_t c)
{
    if (is_alnum(c) || is_ideograph(c))
        return true;
    switch (c) {
    case '%':
    case 0x00B0: /* ° */
    case 0x2030: /* ‰ */
    case 0x2032: /* ′ */
    case 0x2033: /* ″ */
    case 0x2103: /* ℃ */
    case 0x2109: /* ℉ */
    case 0x2113: /* ℓ */
    case 0xFF05: /* ％ */
        return true;
    default:
        return c >= 0x3300 && c <= 0x33FF; /* squared units ㌔ ㍍ ㎏ ㎡ */
    }
}

static bool is_currency_prefix(uint32_t c)
{
    return c == '$' || c == 0xA3 || c == 0xA5 || c == 0x20AC || c == 0xFF04 || c == 0xFFE1 ||
           c == 0xFFE5;
}

static bool is_number_separator(uint32_t c)
{
    return c == ',' || c == '.' || c == ':' || c == '/' || c == 0xFF0C || c == 0xFF0E ||
           c == 0xFF1A || c == 0xFF0F || c == 0xFF0D;
}

static bool is_word_hyphen(uint32_t c)
{
    return c == '-' || c == 0x2010 || c == 0x2011;
}

static bool is_range_dash(uint32_t c)
{
    return c == 0x2013 || c == 0x301C || c == 0xFF5E;
}

static bool is_inseparable(uint32_t c)
{
    return c == 0x2014 || c == 0x2015 || c == 0x2025 || c == 0x2026;
}

static bool is_break_space(uint32_t c)
{
    return c == ' ' || c == '\t' || c == 0x3000;
}

static bool is_newline(uint32_t c)
{
    return (c >= 0x0A && c <= 0x0D) || c == 0x85 || c == 0x2028 || c == 0x2029;
}

static bool extends_cluster(uint32_t c)
{
    if (c < 0x300)
        return false;
    int v = u_getIntPropertyValue((UChar32)c, UCHAR_GRAPHEME_CLUSTER_BREAK);
    return v == U_GCB_EXTEND || v == U_GCB_SPACING_MARK || v == U_GCB_ZWJ;
}

static bool joins_next(uint32_t c)
{
    if (c == 0x200D) /* ZWJ */
        return true;
    return c >= 0x600 &&
           u_getIntPropertyValue((UChar32)c, UCHAR_GRAPHEME_CLUSTER_BREAK) == U_GCB_PREPEND;
}

static uint16_t classify_slow(uint32_t c)
{
    return (uint16_t)((kinsoku_no_line_start(c) ? F_NO_START : 0) |
                      (kinsoku_no_line_end(c) ? F_NO_END : 0) |
                      (extends_cluster(c) ? F_EXTEND : 0) | (joins_next(c) ? F_JOIN_NEXT : 0) |
                      (is_alnum(c) ? F_ALNUM : 0) | (is_digit(c) ? F_DIGIT : 0) |
                      (is_unit(c) ? F_UNIT : 0) | (is_currency_prefix(c) ? F_CURRENCY : 0) |
                      (is_number_separator(c) ? F_NUM_SEP : 0) |
                      (is_word_hyphen(c) ? F_HYPHEN : 0) | (is_inseparable(c) ? F_INSEPARABLE : 0) |
                      (is_range_dash(c) ? F_RANGE : 0) | (is_break_space(c) ? F_SPACE : 0) |
                      (is_newline(c) ? F_NEWLINE : 0));
}

static uint16_t classify(const text_breaker *b, uint32_t c)
{
    switch (c >> 8) {
    case 0x00:
        return b->flags[0][c & 0xFF];
    case 0x20:
        return b->flags[1][c & 0xFF];
    case 0x30:
        return b->flags[2][c & 0xFF];
    case 0xFF:
        return b->flags[3][c & 0xFF];
    default:
        if (c >= 0x4E00 && c <= 0x9FFF) /* the common ideographs: units, nothing else */
            return F_UNIT;
        return classify_slow(c);
    }
}

/* The code point at u[*k], advancing *k past it. */
static uint32_t next_cp(const UChar *u, size_t n, size_t *k)
{
    uint32_t c = u[(*k)++];
    if (U16_IS_LEAD(c) && *k < n && U16_IS_TRAIL(u[*k]))
        c = U16_GET_SUPPLEMENTARY(c, u[(*k)++]);
    return c;
}

/* What the walk knows at a boundary: the code points around it. */
struct walk {
    uint32_t prev, cur;
    uint16_t f_prev2, f_prev, f_cur;
    uint16_t f_visible; /* flags of the last non-space char before the boundary */
};

/* Rules 1-4, 6, 7 for an ICU opportunity before w->cur; next is where the
 * char after cur starts in u (only the separator rule looks at it). */
static bool rules_keep(const text_breaker *b, const struct walk *w, size_t n, size_t next)
{
    uint16_t p = w->f_prev, c = w->f_cur;
    if ((c & (F_NO_START | F_EXTEND)) || (w->f_visible & F_NO_END))
        return false;
    if (!(p & F_VETO_AFTER)) /* the common case: kana and ideographs */
        return true;
    if (p & F_JOIN_NEXT)
        return false;
    if ((p & F_ALNUM) && (c & F_ALNUM))
        return false;
    if ((p & F_DIGIT) && (c & F_UNIT))
        return false;
    if ((p & F_CURRENCY) && (c & F_DIGIT))
        return false;
    if ((p & F_NUM_SEP) && (w->f_prev2 & F_DIGIT) && (c & F_DIGIT))
        return false;
    if ((p & F_DIGIT) && (c & F_NUM_SEP) && next < n &&
        (classify(b, next_cp(b->u16, n, &next)) & F_DIGIT))
        return false;
    if ((p & F_HYPHEN) && (w->f_prev2 & F_ALNUM) && (c & F_ALNUM))
        return false;
    if ((p & F_RANGE) && (w->f_prev2 & F_DIGIT) && (c & F_DIGIT))
        return false;
    if ((p & F_INSEPARABLE) && w->prev == w->cur)
        return false;
    return true;
}

/* One pass over the UTF-16 copy: rules 1-4, 6, 7 and 8. */
static void apply_rules(const text_breaker *b, size_t n, uint8_t *out)
{
    const uint32_t *map = b->u16_byte;
    struct walk w = {0, 0, 0, 0, 0, 0};
    size_t k = 0;
    while (k < n) {
        size_t at = map[k];
        w.cur = next_cp(b->u16, n, &k);
        w.f_cur = classify(b, w.cur);
        if (out[at] == TEXT_BREAK_ALLOWED && !rules_keep(b, &w, n, k))
            out[at] = TEXT_BREAK_NONE;
        if (w.f_cur & F_NEWLINE) {
            bool crlf = w.cur == '\r' && k < n && b->u16[k] == '\n';
            out[map[k]] = crlf ? TEXT_BREAK_NONE : TEXT_BREAK_MANDATORY;
            w.f_visible = 0;
        } else if (!(w.f_cur & F_SPACE)) {
            w.f_visible = w.f_cur;
        }
        w.f_prev2 = w.f_prev;
        w.f_prev = w.f_cur;
        w.prev = w.cur;
    }
}

/* URL and e-mail tokens are ASCII, so rule 5 scans the UTF-16 copy (one
 * unit per kana or kanji instead of three bytes). */
static bool is_ascii_alnum_unit(UChar c)
{
    return (c >= '0' && c <= '9') || is_ascii_alpha(c);
}

static bool is_url_char(UChar c)
{
    return c < 0x80 && (is_ascii_alnum_unit(c) ||
                        (c != 0 && strchr("-._~:/?#[]@!$&'()*+,;=%", (char)c) != NULL));
}

static bool is_scheme_char(UChar c)
{
    return is_ascii_alnum_unit(c) || c == '+' || c == '-' || c == '.';
}

static bool is_local_char(UChar c)
{
    return is_ascii_alnum_unit(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

/* Start of a URL or e-mail token around unit i, or SIZE_MAX. Looks back no
 * further than floor (the end of the previous token). The scan stays O(n):
 * the runs walked back over end at the ':' or '@' that triggered them, and
 * no run can reach past an earlier trigger. */
static size_t token_start(const UChar *u, size_t n, size_t i, size_t floor)
{
    size_t k = i;
    if (u[i] == ':' && i + 3 < n && u[i + 1] == '/' && u[i + 2] == '/' && is_url_char(u[i + 3])) {
        while (k > floor && is_scheme_char(u[k - 1]))
            k--;
        while (k < i && !is_ascii_alpha(u[k])) /* a scheme starts with a letter */
            k++;
        return k < i ? k : SIZE_MAX;
    }
    if (u[i] == '@' && i > floor && i + 1 < n && is_local_char(u[i - 1]) &&
        is_ascii_alnum_unit(u[i + 1])) {
        while (k > floor && is_local_char(u[k - 1]))
            k--;
        return k;
    }
    if ((u[i] | 0x20) == 'w' && i + 4 < n && (u[i + 1] | 0x20) == 'w' && (u[i + 2] | 0x20) == 'w' &&
        u[i + 3] == '.' && is_ascii_alnum_unit(u[i + 4]) && (i == 0 || !is_local_char(u[i - 1])))
        return i;
    return SIZE_MAX;
}

/* Rule 5: clears every opportunity strictly inside a URL or e-mail token. */
static void protect_urls(const text_breaker *b, size_t n, uint8_t *out)
{
    const UChar *u = b->u16;
    size_t floor = 0;
    size_t i = 0;
    while (i < n) {
        UChar c = u[i];
        if (c != ':' && c != '@' && (c | 0x20) != 'w') {
            i++;
            continue;
        }
        size_t start = token_start(u, n, i, floor);
        if (start == SIZE_MAX) {
            i++;
            continue;
        }
        size_t end = i + 1;
        while (end < n && is_url_char(u[end]))
            end++;
        for (size_t k = start + 1; k < end; k++) /* ASCII: one unit, one byte */
            out[b->u16_byte[k]] = TEXT_BREAK_NONE;
        floor = end;
        i = end;
    }
}

int text_breaker_find(text_breaker *b, const char *utf8, size_t len, uint8_t *out)
{
    if (!b || !out || (len && !utf8)) {
        UI_ERROR("linebreak", "text_breaker_find: bad arguments");
        return -1;
    }
    if (len > TEXT_BREAK_MAX_BYTES) {
        UI_WARN("linebreak", "paragraph of %zu bytes exceeds the %u-byte limit", len,
                TEXT_BREAK_MAX_BYTES);
        return -1;
    }
    memset(out, TEXT_BREAK_NONE, len + 1);
    if (len == 0) {
        out[0] = TEXT_BREAK_MANDATORY;
        return 0;
    }
    if (reserve(b, len + 1) < 0)
        return -1;
    size_t n16 = to_utf16(b, utf8, len);
    UErrorCode st = U_ZERO_ERROR;
    ubrk_setText(b->iter, b->u16, (int32_t)n16, &st);
    if (U_FAILURE(st)) {
        UI_ERROR("linebreak", "ubrk_setText: %s", u_errorName(st));
        return -1;
    }
    ubrk_first(b->iter);
    for (int32_t pos = ubrk_next(b->iter); pos != UBRK_DONE; pos = ubrk_next(b->iter))
        out[b->u16_byte[pos]] = TEXT_BREAK_ALLOWED;

    apply_rules(b, n16, out);
    protect_urls(b, n16, out);
    out[0] = TEXT_BREAK_NONE;
    out[len] = TEXT_BREAK_MANDATORY;

    if (b->cap > KEEP_UNITS)
        release_buffers(b);
    return 0;
}
