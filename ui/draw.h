/* draw: the few filled shapes screens need besides text: rectangles, rules,
 * rounded panels. Thin wrappers over SDL_Renderer that set colour and blend
 * mode every call, so no call depends on state left by another. Never keeps
 * state of its own. */
#ifndef HIROBA_UI_DRAW_H
#define HIROBA_UI_DRAW_H

#include <stdint.h>

#include <SDL.h>

/* 0xRRGGBB, opaque. */
SDL_Color ui_color_hex(uint32_t rgb);
/* The same colour with another alpha. */
SDL_Color ui_color_alpha(SDL_Color c, uint8_t alpha);
/* WCAG 2 contrast ratio of two opaque colours, 1.0 .. 21.0 (AA body text
 * needs 4.5). */
double ui_color_contrast(SDL_Color a, SDL_Color b);

/* Fills the whole render target. */
void ui_draw_clear(SDL_Renderer *r, SDL_Color c);
void ui_draw_fill_rect(SDL_Renderer *r, SDL_Rect rect, SDL_Color c);
/* An outline drawn inside rect, thickness px wide. */
void ui_draw_rect_outline(SDL_Renderer *r, SDL_Rect rect, int thickness, SDL_Color c);
/* A filled rectangle with quarter-circle corners of radius px (clamped to half
 * the shorter side). Not anti-aliased. */
void ui_draw_rounded_rect(SDL_Renderer *r, SDL_Rect rect, int radius, SDL_Color c);
/* A horizontal rule from x, w px long, with its top at y. */
void ui_draw_hline(SDL_Renderer *r, int x, int y, int w, int thickness, SDL_Color c);

#endif
