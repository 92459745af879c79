/* fuzz_layout: libFuzzer target for paragraph layout. The first two bytes
 * choose the box and the style, the rest is the text (any bytes). The
 * promises of layout.h are checked on every layout; a broken one aborts with
 * a line on stderr saying which. Fonts and the engine are made once. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>

#include "ui/text/fonts.h"
#include "ui/text/layout.h"
#include "ui/text/markup.h"
#include "ui/text/utf8.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Made once per process: loading fonts costs far more than one layout. */
static text_fonts *g_fonts;
static text_engine *g_engine;
static UBreakIterator *g_chars; /* grapheme clusters, to judge overwide lines */

#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_layout: invariant failed: %s (line %d): ", #cond, __LINE__);     \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *ini = text_fonts_default_ini(); /* honours $HIROBA_FONTS */
    UErrorCode st = U_ZERO_ERROR;
    g_fonts = text_fonts_load(ini);
    g_engine = g_fonts ? text_engine_create(g_fonts) : NULL;
    g_chars = ubrk_open(UBRK_CHARACTER, "", NULL, 0, &st);
    if (!g_engine || U_FAILURE(st)) {
        fprintf(stderr, "fuzz_layout: cannot load fonts from %s (set HIROBA_FONTS)\n", ini);
        abort();
    }
    return 0;
}

/* The parameters the first two bytes choose. */
typedef struct fuzz_params {
    int width;
    text_style style;
} fuzz_params;

static fuzz_params decode_params(uint8_t b0, uint8_t b1)
{
    static const int sizes[16] = {4, 5, 6, 8, 10, 12, 14, 16, 20, 24, 32, 40, 56, 80, 128, 200};
    fuzz_params p;
    /* b0: bits 0-6 width on a cubic scale 1..2048 (dense where boxes are
     * narrow and interesting), bit 7 markup.
     * b1: bits 0-3 size 4..200, bit 4 ruby, bit 5 max_lines 1..3, bits 6-7 align. */
    int64_t wi = b0 & 0x7F;
    p.width = 1 + (int)(wi * wi * wi * 2047 / (127 * 127 * 127));
    p.style = text_style_default(sizes[b1 & 0x0F]);
    p.style.markup = (b0 & 0x80) != 0;
    p.style.ruby = (b1 & 0x10) != 0;
    p.style.max_lines = (b1 & 0x20) ? 1 + (int)(wi % 3) : 0;
    p.style.align = (text_align)((b1 >> 6) % 3);
    return p;
}

static size_t grapheme_count(const char *s, size_t len)
{
    UErrorCode st = U_ZERO_ERROR;
    UText *ut = utext_openUTF8(NULL, s, (int64_t)len, &st);
    ubrk_setUText(g_chars, ut, &st);
    CHECK(U_SUCCESS(st), "ICU: %s", u_errorName(st));
    size_t n = 0;
    for (int32_t b = ubrk_next(g_chars); b != UBRK_DONE; b = ubrk_next(g_chars)) {
        n++;
    }
    utext_close(ut);
    return n;
}

/* Code points that start a character: all but the marks and joiners
 * that extend the one before (Grapheme_Cluster_Break Extend, SpacingMark,
 * ZWJ). A lone mark after a control is one character by this count, two
 * grapheme clusters by UAX #29; either reading counts as "one character". */
static size_t base_count(const char *s, size_t len)
{
    size_t n = 0, i = 0;
    while (i < len) {
        int gcb =
            u_getIntPropertyValue((UChar32)utf8_decode(s, len, &i), UCHAR_GRAPHEME_CLUSTER_BREAK);
        n += gcb != U_GCB_EXTEND && gcb != U_GCB_SPACING_MARK && gcb != U_GCB_ZWJ;
    }
    return n;
}

static bool one_character(const char *s, size_t len)
{
    return grapheme_count(s, len) <= 1 || base_count(s, len) <= 1;
}

/* White space a layout may drop at a break, and the newlines that force one. */
static bool is_break_white(uint32_t c)
{
    return c == ' ' || c == '\t' || c == 0x3000 || (c >= 0x0A && c <= 0x0D) || c == 0x85 ||
           c == 0x2028 || c == 0x2029;
}

static bool only_white(const char *s, size_t from, size_t to)
{
    size_t i = from;
    while (i < to) {
        if (!is_break_white(utf8_decode(s, to, &i))) {
            return false;
        }
    }
    return true;
}

/* The plain text layout.h promises: the input without markup, sanitised. */
static void check_plain(const text_layout *l, const char *text, size_t len, const text_style *st)
{
    size_t plen = 0;
    const char *plain = text_layout_plain(l, &plen);
    CHECK(plain != NULL && utf8_valid(plain, plen, NULL), "plain text not valid UTF-8");
    size_t want_len = 0;
    char *want =
        st->markup ? text_markup_strip(text, len, &want_len) : utf8_sanitize(text, len, &want_len);
    if (want) {
        CHECK(plen == want_len && memcmp(plain, want, plen) == 0,
              "plain (%zu bytes) is not the %s input (%zu bytes)", plen,
              st->markup ? "stripped" : "sanitised", want_len);
        free(want);
    }
    bool valid = utf8_valid(text, len, NULL);
    if (valid && !memchr(text, '\0', len)) {
        CHECK(text_layout_invalid_bytes(l) == 0, "valid input, %zu invalid bytes",
              text_layout_invalid_bytes(l));
    } else if (!valid) {
        CHECK(text_layout_invalid_bytes(l) > 0, "invalid input, 0 invalid bytes reported");
    }
}

static void check_lines(const text_layout *l, const fuzz_params *p)
{
    size_t plen = 0;
    const char *plain = text_layout_plain(l, &plen);
    size_t n = text_layout_line_count(l);
    bool truncated = text_layout_truncated(l);
    int widest = 0;
    size_t prev_end = 0;
    text_line_info prev;
    memset(&prev, 0, sizeof(prev));

    CHECK(text_layout_width(l) == p->width, "width %d, box %d", text_layout_width(l), p->width);
    if (p->style.max_lines > 0) {
        CHECK(n <= (size_t)p->style.max_lines, "%zu lines, max_lines %d", n, p->style.max_lines);
    }
    for (size_t i = 0; i < n; i++) {
        text_line_info li;
        text_layout_get_line(l, i, &li);
        /* Offsets increase and stay inside the plain text; text is that slice. */
        CHECK(li.offset <= plen && li.len <= plen - li.offset, "line %zu [%zu,+%zu) of %zu", i,
              li.offset, li.len, plen);
        CHECK(i == 0 || li.offset > prev.offset, "line %zu offset %zu after %zu", i, li.offset,
              prev.offset);
        CHECK(li.offset >= prev_end, "line %zu starts at %zu inside line %zu (ends %zu)", i,
              li.offset, i - 1, prev_end);
        CHECK(li.text == plain + li.offset, "line %zu text is not the plain slice", i);
        CHECK(utf8_valid(li.text, li.len, NULL) &&
                  (li.offset == plen || ((unsigned char)plain[li.offset] & 0xC0) != 0x80),
              "line %zu cuts a UTF-8 sequence", i);
        /* "no line is wider than the box" ... "never > width". A box narrower
         * than one character cannot hold it: such a line must then hold just
         * that one character (one grapheme cluster). */
        CHECK(li.advance_px >= 0, "line %zu advance %d", i, li.advance_px);
        CHECK(li.advance_px <= p->width || one_character(li.text, li.len),
              "line %zu advance %d px > box %d px with %zu characters: \"%.*s\"", i, li.advance_px,
              p->width, grapheme_count(li.text, li.len), (int)li.len, li.text);
        /* Aligned inside the box; 1 px slack: x_px is rounded to nearest while
         * advance_px is rounded up, so a right-aligned line may show 1 over. */
        if (li.advance_px <= p->width) {
            CHECK(li.x_px >= 0 && li.x_px + li.advance_px <= p->width + 1,
                  "line %zu x %d + advance %d outside box %d", i, li.x_px, li.advance_px, p->width);
        }
        CHECK(li.height_px > 0 && (i == 0 || li.top_px >= prev.top_px), "line %zu top %d h %d", i,
              li.top_px, li.height_px);
        CHECK(!li.ellipsis || (truncated && i + 1 == n), "ellipsis on line %zu of %zu", i, n);
        /* Joined, the lines are the text minus white space at the breaks. */
        CHECK(only_white(plain, prev_end, li.offset), "text lost before line %zu: [%zu,%zu)", i,
              prev_end, li.offset);
        prev_end = li.offset + li.len;
        widest = li.advance_px > widest ? li.advance_px : widest;
        prev = li;
    }
    if (!truncated) {
        CHECK(only_white(plain, prev_end, plen), "text lost after the last line: [%zu,%zu)",
              prev_end, plen);
    }
    CHECK(text_layout_max_advance(l) == widest, "max advance %d, widest line %d",
          text_layout_max_advance(l), widest);
    if (n > 0) {
        CHECK(text_layout_height(l) >= prev.top_px, "box height %d above last line top %d",
              text_layout_height(l), prev.top_px);
    } else {
        CHECK(text_layout_height(l) == 0, "no lines, height %d", text_layout_height(l));
    }
}

static void check_glyphs(const text_layout *l)
{
    size_t count = 0;
    const text_glyph *g = text_layout_glyphs(l, &count);
    size_t faces = text_fonts_face_count(g_fonts);
    CHECK(count == 0 || g != NULL, "%zu glyphs, NULL array", count);
    for (size_t i = 0; i < count; i++) {
        CHECK(g[i].face < faces, "glyph %zu face %u of %zu", i, (unsigned)g[i].face, faces);
        CHECK(g[i].size_px > 0, "glyph %zu size %u", i, (unsigned)g[i].size_px);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2) {
        return 0;
    }
    fuzz_params p = decode_params(data[0], data[1]);
    const char *text = (const char *)data + 2;
    size_t len = size - 2;

    text_layout *l = text_layout_create(g_engine, text, len, &p.style, p.width);
    /* NULL only when out of memory or without a usable font; neither here. */
    CHECK(l != NULL, "text_layout_create returned NULL for %zu bytes", len);
    check_plain(l, text, len, &p.style);
    check_lines(l, &p);
    check_glyphs(l);
    CHECK(text_layout_memory(l) > 0, "layout owns 0 bytes");
    text_layout_destroy(l);
    return 0;
}
