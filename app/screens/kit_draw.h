/* kit_draw: the few drawn marks and pictograms the touch screens need beyond
 * ui/draw.h's rectangles: discs, rings, thick lines, triangles, and the
 * marks built from them (a check mark, an arrow, a house, the ○ × － of the
 * vacancy board), and text fitted to a box. Drawn with SDL_RenderGeometry, so they scale to any
 * size and need no picture files. Every call sets its own colour and blend mode. */
#ifndef HIROBA_APP_SCREENS_KIT_DRAW_H
#define HIROBA_APP_SCREENS_KIT_DRAW_H

#include <SDL.h>

#include "app/screens/kit.h"

/* A filled disc centred on (cx, cy). */
void kit_draw_disc(SDL_Renderer *r, float cx, float cy, float radius, SDL_Color c);
/* A ring: the disc's outline, thickness px wide inside radius. */
void kit_draw_ring(SDL_Renderer *r, float cx, float cy, float radius, float thickness, SDL_Color c);
/* A line thickness px wide with square ends. */
void kit_draw_line(SDL_Renderer *r, float x0, float y0, float x1, float y1, float thickness,
                   SDL_Color c);
void kit_draw_triangle(SDL_Renderer *r, SDL_FPoint a, SDL_FPoint b, SDL_FPoint c, SDL_Color col);

/* Marks drawn to fill box (square-ish; kept centred). */
typedef enum kit_mark {
    KIT_MARK_CHECK,  /* ✓ */
    KIT_MARK_CROSS,  /* × (booked, close) */
    KIT_MARK_CIRCLE, /* ○ (free) */
    KIT_MARK_DASH,   /* － (closed) */
    KIT_MARK_BACK,   /* ← */
    KIT_MARK_HOME,   /* a house */
    KIT_MARK_GLOBE,  /* languages */
    KIT_MARK_WARN,   /* a triangle with "!" (colour c, the "!" in bg) */
    KIT_MARK_NEXT,   /* → */
} kit_mark;

void kit_draw_mark(SDL_Renderer *r, kit_mark mark, SDL_Rect box, SDL_Color c, SDL_Color bg);

/* A rounded panel in fill with an edge edge_px wide inside it (0: none). */
void kit_draw_panel(SDL_Renderer *r, SDL_Rect rect, int radius, SDL_Color fill, SDL_Color edge,
                    int edge_px);

/* Text that must fit a box w x h (labels, titles): laid out at size_px on
 * one line if it fits, else a step smaller on one line, else wrapped at the
 * largest size down to min_px whose lines fit h. Never clipped or cut with
 * an ellipsis: at min_px it is returned even if taller than h. Borrowed like
 * kit_layout; NULL when out of memory. */
const text_layout *kit_fit(screen_ctx *ctx, const char *utf8, model_lang lang, int size_px,
                           text_weight weight, text_align align, int w, int h, int min_px);

#endif
