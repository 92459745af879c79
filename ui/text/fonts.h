/* fonts: the face fallback chains, loaded once. Each face is one file (and a
 * face index inside a .ttc) read through a shared mmap by both HarfBuzz
 * (shaping) and FreeType (rasterising). A chain is chosen by weight and
 * language; a code point missing from one face is taken from the next.
 * Not thread-safe: one text engine per thread (the UI thread). */
#ifndef HIROBA_UI_TEXT_FONTS_H
#define HIROBA_UI_TEXT_FONTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct text_fonts text_fonts;

typedef enum text_weight {
    TEXT_WEIGHT_REGULAR = 0,
    TEXT_WEIGHT_BOLD = 1,
    TEXT_WEIGHT_COUNT
} text_weight;

/* Which glyph forms a chain serves. Easy Japanese uses TEXT_LANG_JA; English
 * has its own chain so that a paragraph of English gets proportional Latin
 * (Japanese faces set Latin half-width, which reads like code). */
typedef enum text_lang {
    TEXT_LANG_JA = 0,
    TEXT_LANG_ZH = 1, /* Simplified Chinese forms */
    TEXT_LANG_KO = 2,
    TEXT_LANG_EN = 3,
    TEXT_LANG_COUNT
} text_lang;

#define TEXT_FONTS_MAX_FACES 16
#define TEXT_CHAIN_MAX       6

/* Loads the chains described by an INI file (see fonts/fonts.ini):
 *   [ja.regular]          ; or [regular], which means ja; also zh., ko., en.
 *   face = /path/to/BIZUDGothic-Regular.ttf
 *   face = NotoSansCJK-Regular.ttc:0   ; relative to the INI's folder; :N is the face index
 * A face that cannot be opened or parsed is logged and skipped. A chain that
 * ends up empty falls back to ja of the same weight, then to regular.
 * Returns NULL (and logs why) if the file is unreadable or no face loads. */
text_fonts *text_fonts_load(const char *ini_path);

/* Starts an empty set; add faces with text_fonts_add. */
text_fonts *text_fonts_create(void);
/* Appends path:index to the chain for (lang, weight). Returns 0, or -1 (logged)
 * when the file is missing, unreadable, not a font, or the index is absent. */
int text_fonts_add(text_fonts *f, text_lang lang, text_weight weight, const char *path,
                   int face_index);
/* Puts path:index first in every chain (hiroba-pack lines --font). Same errors. */
int text_fonts_prepend_all(text_fonts *f, const char *path, int face_index);
void text_fonts_destroy(text_fonts *f);

/* Number of distinct faces loaded; faces are numbered 0..count-1. */
size_t text_fonts_face_count(const text_fonts *f);
/* True when at least one face serves (lang, weight) (after fallbacks). */
bool text_fonts_ready(const text_fonts *f);

/* The chain for (lang, weight): up to TEXT_CHAIN_MAX face numbers. */
size_t text_fonts_chain(const text_fonts *f, text_lang lang, text_weight weight,
                        uint16_t out[TEXT_CHAIN_MAX]);
/* First face in the chain that maps cp; the chain's first face if none does
 * (so the caller draws that face's .notdef box: a visible replacement glyph). */
uint16_t text_fonts_pick(text_fonts *f, const uint16_t *chain, size_t n, uint32_t cp);

/* True when face maps cp to a real glyph. */
bool text_fonts_has(text_fonts *f, uint16_t face, uint32_t cp);

/* Opaque handles for the shaper and the rasteriser (hb_font_t *, FT_Face). */
void *text_fonts_hb_font(text_fonts *f, uint16_t face);
void *text_fonts_ft_face(text_fonts *f, uint16_t face);
/* Face metrics in font units scaled to size_px, as 26.6 fixed point. */
void text_fonts_metrics(text_fonts *f, uint16_t face, int size_px, int32_t *ascender26,
                        int32_t *descender26);
const char *text_fonts_face_name(const text_fonts *f, uint16_t face);

/* The default INI: $HIROBA_FONTS, else <datadir>/fonts/fonts.ini, else the
 * source tree's fonts/fonts.ini. Returns a static string. */
const char *text_fonts_default_ini(void);

#endif
