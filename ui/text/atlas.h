/* atlas: one SDL texture of rasterised glyphs (FreeType coverage as white
 * with alpha; colour comes from the texture's colour mod). Glyphs are packed
 * on shelves; when the texture is full the least-recently-used shelf is
 * evicted and reused, so any amount of text can be drawn with fixed memory. */
#ifndef HIROBA_UI_TEXT_ATLAS_H
#define HIROBA_UI_TEXT_ATLAS_H

#include <SDL.h>

#include "ui/text/fonts.h"
#include "ui/text/layout.h"

typedef struct text_atlas text_atlas;

/* renderer and fonts are borrowed until destroy; side_px 0 means 2048. */
text_atlas *text_atlas_create(SDL_Renderer *renderer, text_fonts *fonts, int side_px);
void text_atlas_destroy(text_atlas *a);

/* Draws the layout with its box's top-left at (x, y). */
void text_atlas_draw(text_atlas *a, const text_layout *l, int x, int y, SDL_Color color);

/* Marks the end of a frame (for LRU ages). */
void text_atlas_end_frame(text_atlas *a);

typedef struct text_atlas_stats {
    size_t glyphs, shelves, evicted_shelves, rasterised;
} text_atlas_stats;
void text_atlas_get_stats(const text_atlas *a, text_atlas_stats *out);

#endif
