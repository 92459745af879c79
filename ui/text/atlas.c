/* atlas: rasterises glyphs with FreeType into one streaming SDL texture and
 * draws layouts from it. Shelf packing; when full, the least-recently-used
 * shelf whose height fits is emptied and reused. Must never allocate per
 * drawn glyph in the steady state, nor grow without bound. */
#include "ui/text/atlas.h"

#include <stdlib.h>
#include <string.h>

#include <ft2build.h>
#include FT_FREETYPE_H

#include "ui/ui_log.h"

#define PAD 1

struct shelf {
    int y, h;   /* rows [y, y + h) of the texture */
    int used_x; /* next free column */
    uint64_t last_frame;
};

struct slot {
    uint32_t glyph;
    uint16_t face, size_px;
    int16_t shelf; /* -1: empty slot */
    bool blank;    /* no pixels (space): nothing to draw */
    int x, y, w, h, left, top;
    uint64_t gen; /* shelf generation when rasterised */
};

struct text_atlas {
    SDL_Renderer *renderer;
    text_fonts *fonts;
    SDL_Texture *tex;
    int side;
    struct shelf *shelves;
    uint64_t *shelf_gen;
    int n_shelves, cap_shelves, next_y;
    struct slot *slots; /* open addressing */
    size_t n_slots, used_slots;
    uint32_t *pixels; /* scratch for one glyph */
    size_t pixels_cap;
    uint64_t frame;
    text_atlas_stats stats;
};

text_atlas *text_atlas_create(SDL_Renderer *renderer, text_fonts *fonts, int side_px)
{
    text_atlas *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->renderer = renderer;
    a->fonts = fonts;
    a->side = side_px > 0 ? side_px : 2048;
    SDL_RendererInfo info;
    if (SDL_GetRendererInfo(renderer, &info) == 0 && info.max_texture_width > 0 &&
        a->side > info.max_texture_width)
        a->side = info.max_texture_width;
    a->tex = SDL_CreateTexture(renderer, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STATIC,
                               a->side, a->side);
    a->n_slots = 8192;
    a->slots = calloc(a->n_slots, sizeof *a->slots);
    a->cap_shelves = a->side / 8;
    a->shelves = calloc((size_t)a->cap_shelves, sizeof *a->shelves);
    a->shelf_gen = calloc((size_t)a->cap_shelves, sizeof *a->shelf_gen);
    if (!a->tex || !a->slots || !a->shelves || !a->shelf_gen) {
        UI_ERROR("atlas", "cannot create a %dx%d glyph atlas: %s", a->side, a->side,
                 SDL_GetError());
        text_atlas_destroy(a);
        return NULL;
    }
    for (size_t i = 0; i < a->n_slots; i++)
        a->slots[i].shelf = -1;
    SDL_SetTextureBlendMode(a->tex, SDL_BLENDMODE_BLEND);
    return a;
}

void text_atlas_destroy(text_atlas *a)
{
    if (!a)
        return;
    if (a->tex)
        SDL_DestroyTexture(a->tex);
    free(a->slots);
    free(a->shelves);
    free(a->shelf_gen);
    free(a->pixels);
    free(a);
}

static size_t slot_hash(uint32_t glyph, uint16_t face, uint16_t size)
{
    uint64_t k = ((uint64_t)glyph << 32) ^ ((uint64_t)face << 16) ^ size;
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdull;
    k ^= k >> 33;
    return (size_t)k;
}

/* Finds the slot for a key, or the empty slot where it would go. Entries of
 * evicted shelves are treated as stale (their generation moved on). */
static struct slot *slot_find(text_atlas *a, uint32_t glyph, uint16_t face, uint16_t size)
{
    size_t mask = a->n_slots - 1;
    size_t i = slot_hash(glyph, face, size) & mask;
    struct slot *stale = NULL;
    for (size_t probe = 0; probe < a->n_slots; probe++, i = (i + 1) & mask) {
        struct slot *s = &a->slots[i];
        if (s->shelf == -1 && !s->blank)
            return stale ? stale : s;
        bool live = s->blank || s->gen == a->shelf_gen[s->shelf];
        if (s->glyph == glyph && s->face == face && s->size_px == size) {
            if (live)
                return s;
            return s; /* same key, stale pixels: re-rasterise in place */
        }
        if (!live && !stale)
            stale = s;
    }
    return stale;
}

static void reset_all(text_atlas *a)
{
    for (int i = 0; i < a->n_shelves; i++)
        a->shelf_gen[i]++;
    a->n_shelves = 0;
    a->next_y = 0;
    for (size_t i = 0; i < a->n_slots; i++) {
        a->slots[i].shelf = -1;
        a->slots[i].blank = false;
    }
    a->used_slots = 0;
}

/* Room for a w x h glyph: on a shelf of fitting height with space left, on a
 * new shelf, or on the least-recently-used shelf that is tall enough. */
static int shelf_alloc(text_atlas *a, int w, int h, int *x, int *y)
{
    int best = -1;
    for (int i = 0; i < a->n_shelves; i++) {
        struct shelf *s = &a->shelves[i];
        if (s->h >= h && s->h <= h + h / 4 + 2 && s->used_x + w <= a->side) {
            if (best < 0 || s->h < a->shelves[best].h)
                best = i;
        }
    }
    if (best < 0 && a->next_y + h <= a->side && a->n_shelves < a->cap_shelves) {
        best = a->n_shelves++;
        a->shelves[best] = (struct shelf){.y = a->next_y, .h = h + h / 8, .used_x = 0};
        if (a->shelves[best].y + a->shelves[best].h > a->side)
            a->shelves[best].h = a->side - a->shelves[best].y;
        a->next_y += a->shelves[best].h;
    }
    if (best < 0) {
        for (int i = 0; i < a->n_shelves; i++) {
            struct shelf *s = &a->shelves[i];
            if (s->h >= h && (best < 0 || s->last_frame < a->shelves[best].last_frame))
                best = i;
        }
        if (best < 0)
            return -1;
        a->shelves[best].used_x = 0;
        a->shelf_gen[best]++; /* every glyph on it is now stale */
        a->stats.evicted_shelves++;
    }
    struct shelf *s = &a->shelves[best];
    *x = s->used_x;
    *y = s->y;
    s->used_x += w;
    s->last_frame = a->frame;
    return best;
}

static int rasterise(text_atlas *a, struct slot *s)
{
    FT_Face ft = text_fonts_ft_face(a->fonts, s->face);
    if (FT_Set_Pixel_Sizes(ft, 0, s->size_px) != 0 ||
        FT_Load_Glyph(ft, s->glyph, FT_LOAD_TARGET_LIGHT | FT_LOAD_NO_BITMAP) != 0 ||
        FT_Render_Glyph(ft->glyph, FT_RENDER_MODE_NORMAL) != 0) {
        return -1;
    }
    FT_Bitmap *bm = &ft->glyph->bitmap;
    s->left = ft->glyph->bitmap_left;
    s->top = ft->glyph->bitmap_top;
    s->w = (int)bm->width;
    s->h = (int)bm->rows;
    if (s->w == 0 || s->h == 0) {
        s->blank = true;
        s->shelf = -1;
        return 0;
    }
    if (s->w + PAD > a->side || s->h + PAD > a->side)
        return -1;
    int x, y;
    int shelf = shelf_alloc(a, s->w + PAD, s->h + PAD, &x, &y);
    if (shelf < 0) {
        reset_all(a);
        a->stats.evicted_shelves++;
        shelf = shelf_alloc(a, s->w + PAD, s->h + PAD, &x, &y);
        if (shelf < 0)
            return -1;
    }
    size_t need = (size_t)s->w * (size_t)s->h;
    if (need > a->pixels_cap) {
        uint32_t *np = realloc(a->pixels, need * sizeof *np);
        if (!np)
            return -1;
        a->pixels = np;
        a->pixels_cap = need;
    }
    for (int r = 0; r < s->h; r++) {
        const unsigned char *src = bm->buffer + (ptrdiff_t)r * bm->pitch;
        uint32_t *dst = a->pixels + (size_t)r * (size_t)s->w;
        for (int c = 0; c < s->w; c++)
            dst[c] = ((uint32_t)src[c] << 24) | 0x00FFFFFFu;
    }
    SDL_Rect rect = {x, y, s->w, s->h};
    if (SDL_UpdateTexture(a->tex, &rect, a->pixels, s->w * 4) != 0)
        return -1;
    s->x = x;
    s->y = y;
    s->shelf = (int16_t)shelf;
    s->blank = false;
    s->gen = a->shelf_gen[shelf];
    a->stats.rasterised++;
    return 0;
}

static const struct slot *lookup(text_atlas *a, const text_glyph *g)
{
    struct slot *s = slot_find(a, g->glyph, g->face, g->size_px);
    if (!s) {
        reset_all(a);
        s = slot_find(a, g->glyph, g->face, g->size_px);
        if (!s)
            return NULL;
    }
    bool same = s->glyph == g->glyph && s->face == g->face && s->size_px == g->size_px;
    if (same && s->blank)
        return s;
    if (same && s->shelf >= 0 && s->gen == a->shelf_gen[s->shelf]) {
        a->shelves[s->shelf].last_frame = a->frame;
        return s;
    }
    bool was_empty = s->shelf == -1 && !s->blank;
    s->glyph = g->glyph;
    s->face = g->face;
    s->size_px = g->size_px;
    s->blank = false;
    if (was_empty && ++a->used_slots * 4 > a->n_slots * 3) {
        /* Keep probing short: start over rather than fill the table. */
        reset_all(a);
        return lookup(a, g);
    }
    if (rasterise(a, s) != 0) {
        s->shelf = -1;
        s->blank = true; /* draw nothing for it, and do not retry every frame */
        return NULL;
    }
    return s;
}

void text_atlas_draw(text_atlas *a, const text_layout *l, int x, int y, SDL_Color color)
{
    if (!a || !l)
        return;
    size_t n;
    const text_glyph *gl = text_layout_glyphs(l, &n);
    SDL_SetTextureColorMod(a->tex, color.r, color.g, color.b);
    SDL_SetTextureAlphaMod(a->tex, color.a);
    for (size_t i = 0; i < n; i++) {
        const struct slot *s = lookup(a, &gl[i]);
        if (!s || s->blank)
            continue;
        SDL_Rect src = {s->x, s->y, s->w, s->h};
        SDL_Rect dst = {x + ((gl[i].x26 + 32) >> 6) + s->left, y + ((gl[i].y26 + 32) >> 6) - s->top,
                        s->w, s->h};
        SDL_RenderCopy(a->renderer, a->tex, &src, &dst);
    }
}

void text_atlas_end_frame(text_atlas *a)
{
    if (a)
        a->frame++;
}

void text_atlas_get_stats(const text_atlas *a, text_atlas_stats *out)
{
    memset(out, 0, sizeof *out);
    out->shelves = (size_t)a->n_shelves;
    out->evicted_shelves = a->stats.evicted_shelves;
    out->rasterised = a->stats.rasterised;
    for (size_t i = 0; i < a->n_slots; i++) {
        const struct slot *s = &a->slots[i];
        if (s->shelf >= 0 && s->gen == a->shelf_gen[s->shelf])
            out->glyphs++;
    }
}
