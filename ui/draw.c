/* draw: rectangles, rules and rounded panels on an SDL_Renderer. Must stay
 * small: anything with layout or state belongs in a widget. */
#include "ui/draw.h"

#include <math.h>

SDL_Color ui_color_hex(uint32_t rgb)
{
    return (SDL_Color){(uint8_t)(rgb >> 16), (uint8_t)(rgb >> 8), (uint8_t)rgb, 255};
}

SDL_Color ui_color_alpha(SDL_Color c, uint8_t alpha)
{
    c.a = alpha;
    return c;
}

static double linear_channel(uint8_t v)
{
    double c = v / 255.0;
    return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double relative_luminance(SDL_Color c)
{
    return 0.2126 * linear_channel(c.r) + 0.7152 * linear_channel(c.g) +
           0.0722 * linear_channel(c.b);
}

double ui_color_contrast(SDL_Color a, SDL_Color b)
{
    double la = relative_luminance(a), lb = relative_luminance(b);
    double hi = la > lb ? la : lb, lo = la > lb ? lb : la;
    return (hi + 0.05) / (lo + 0.05);
}

static void set_color(SDL_Renderer *r, SDL_Color c)
{
    SDL_SetRenderDrawBlendMode(r, c.a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
    SDL_SetRenderDrawColor(r, c.r, c.g, c.b, c.a);
}

void ui_draw_clear(SDL_Renderer *r, SDL_Color c)
{
    SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_NONE);
    SDL_SetRenderDrawColor(r, c.r, c.g, c.b, c.a);
    SDL_RenderClear(r);
}

void ui_draw_fill_rect(SDL_Renderer *r, SDL_Rect rect, SDL_Color c)
{
    if (rect.w <= 0 || rect.h <= 0)
        return;
    set_color(r, c);
    SDL_RenderFillRect(r, &rect);
}

void ui_draw_rect_outline(SDL_Renderer *r, SDL_Rect rect, int thickness, SDL_Color c)
{
    if (rect.w <= 0 || rect.h <= 0 || thickness <= 0)
        return;
    int t = thickness;
    if (2 * t >= rect.w || 2 * t >= rect.h) {
        ui_draw_fill_rect(r, rect, c);
        return;
    }
    SDL_Rect sides[4] = {
        {rect.x, rect.y, rect.w, t},
        {rect.x, rect.y + rect.h - t, rect.w, t},
        {rect.x, rect.y + t, t, rect.h - 2 * t},
        {rect.x + rect.w - t, rect.y + t, t, rect.h - 2 * t},
    };
    set_color(r, c);
    SDL_RenderFillRects(r, sides, 4);
}

void ui_draw_rounded_rect(SDL_Renderer *r, SDL_Rect rect, int radius, SDL_Color c)
{
    if (rect.w <= 0 || rect.h <= 0)
        return;
    int max_radius = (rect.w < rect.h ? rect.w : rect.h) / 2;
    if (radius > max_radius)
        radius = max_radius;
    if (radius <= 0) {
        ui_draw_fill_rect(r, rect, c);
        return;
    }
    set_color(r, c);
    /* One row per pixel in the corner bands; each row is inset by how far the
     * circle is from the box's edge at that row's centre. */
    for (int row = 0; row < radius; row++) {
        double dy = radius - row - 0.5;
        double dx = sqrt((double)radius * radius - dy * dy);
        int inset = (int)lround(radius - dx);
        SDL_Rect top = {rect.x + inset, rect.y + row, rect.w - 2 * inset, 1};
        SDL_Rect bottom = {rect.x + inset, rect.y + rect.h - 1 - row, rect.w - 2 * inset, 1};
        SDL_RenderFillRect(r, &top);
        SDL_RenderFillRect(r, &bottom);
    }
    SDL_Rect middle = {rect.x, rect.y + radius, rect.w, rect.h - 2 * radius};
    if (middle.h > 0)
        SDL_RenderFillRect(r, &middle);
}

void ui_draw_hline(SDL_Renderer *r, int x, int y, int w, int thickness, SDL_Color c)
{
    ui_draw_fill_rect(r, (SDL_Rect){x, y, w, thickness > 0 ? thickness : 1}, c);
}
