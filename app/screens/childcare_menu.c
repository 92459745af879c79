/* childcare_menu: the child-care menu (the pack's categories as large tiles
 * with their icons) and a category's pages as a list of large buttons, both
 * scrolling when there are more than a screen holds, and the calm message
 * shown when there is nothing to choose from. Icons are decoded the first
 * time their tile shows, once; nothing here touches the disk again. */
#include "app/screens/childcare_private.h"

#include <stdlib.h>

#include "app/core/log.h"
#include "app/screens/kit_draw.h"
#include "ui/draw.h"

void cc_icons_clear(childcare *c)
{
    for (size_t i = 0; i < c->n_icons; i++)
        if (c->icons[i])
            SDL_DestroyTexture(c->icons[i]);
    free(c->icons);
    free(c->icon_tried);
    c->icons = NULL;
    c->icon_tried = NULL;
    c->n_icons = 0;
    c->icon_side = 0;
}

/* pic centred on a transparent square side x side: the tile draws its icon
 * square, and a 4:3 picture must not be stretched into it. Returns a new
 * texture (pic is destroyed), or pic itself when that cannot be done. */
static SDL_Texture *square_icon(SDL_Renderer *r, SDL_Texture *pic, int side)
{
    int w = 0, h = 0;
    if (SDL_QueryTexture(pic, NULL, NULL, &w, &h) != 0 || w == h)
        return pic;
    SDL_Texture *sq =
        SDL_CreateTexture(r, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_TARGET, side, side);
    if (!sq)
        return pic;
    SDL_Texture *old = SDL_GetRenderTarget(r);
    SDL_Rect clip;
    SDL_bool clipped = SDL_RenderIsClipEnabled(r);
    SDL_RenderGetClipRect(r, &clip);
    if (SDL_SetRenderTarget(r, sq) != 0) {
        SDL_DestroyTexture(sq);
        return pic;
    }
    SDL_SetTextureBlendMode(sq, SDL_BLENDMODE_BLEND);
    SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_NONE);
    SDL_SetRenderDrawColor(r, 0, 0, 0, 0);
    SDL_RenderClear(r);
    SDL_Rect dst = ui_video_fit(w, h, &(SDL_Rect){0, 0, side, side});
    SDL_RenderCopy(r, pic, NULL, &dst);
    SDL_SetRenderTarget(r, old);
    SDL_RenderSetClipRect(r, clipped ? &clip : NULL);
    SDL_DestroyTexture(pic);
    return sq;
}

/* The icon of category i at side px, decoded the first time it is asked. */
static SDL_Texture *icon_of(childcare *c, screen_ctx *ctx, size_t i, int side)
{
    const model_pack *p = ctx->pack;
    if (c->n_icons != p->n_categories || c->icon_side != side) {
        cc_icons_clear(c);
        c->icons = calloc(p->n_categories, sizeof *c->icons);
        c->icon_tried = calloc(p->n_categories, sizeof *c->icon_tried);
        if (!c->icons || !c->icon_tried) {
            LOG_ERROR("childcare", "out of memory for %zu icons", p->n_categories);
            cc_icons_clear(c);
            return NULL;
        }
        c->n_icons = p->n_categories;
        c->icon_side = side;
    }
    const model_category *cat = &p->categories[i];
    if (!c->icon_tried[i] && cat->icon) {
        c->icon_tried[i] = true;
        SDL_Texture *t = kit_media_texture(ctx, cat->icon, side, side);
        if (!t)
            LOG_WARN("childcare", "category %s: icon %s left out", cat->id, cat->icon->name);
        c->icons[i] = t ? square_icon(ctx->renderer, t, side) : NULL;
    }
    return c->icons[i];
}

/* A line of guidance at the top of a list, in the scrolled content. */
static int draw_hint(screen_ctx *ctx, SDL_Rect view, int offset, const char *key, int x, int w)
{
    kit_metrics m = kit_metrics_get(ctx);
    model_lang lang = cc_ui_lang(ctx, key);
    text_style st = kit_style(ctx, lang, m.text_px, TEXT_WEIGHT_REGULAR, TEXT_ALIGN_LEFT, 0);
    const text_layout *l = kit_layout(ctx, kit_str(ctx, key), &st, w);
    if (!l)
        return 0;
    if (ctx->atlas)
        text_atlas_draw(ctx->atlas, l, view.x + x, view.y + m.gap - offset, kit_theme_get()->ink);
    return m.gap + text_layout_height(l) + m.gap;
}

void cc_draw_menu(childcare *c, screen_ctx *ctx, SDL_Rect view)
{
    const model_pack *p = ctx->pack;
    kit_metrics m = kit_metrics_get(ctx);
    kit_scroll *sc = &c->menu_scroll;
    int pad = m.gap * 2, inner = view.w - 2 * pad;
    size_t n = p->n_categories;
    bool landscape = view.w > view.h;
    /* A row of up to three tiles, a square of four; on a tall screen a
     * column of up to three, then two columns. */
    size_t cols = landscape ? (n <= 3 ? n : n == 4 ? 2 : n <= 6 ? 3 : 4) : (n <= 3 ? 1 : 2);
    size_t rows = (n + cols - 1) / cols;
    int u = ctx->width < ctx->height ? ctx->width : ctx->height;

    SDL_RenderSetClipRect(ctx->renderer, &view);
    int top = draw_hint(ctx, view, sc->offset, "childcare.menu_hint", pad, inner);
    /* Tiles fill the screen when they are few, never taller than half the
     * short side (a third in a single column), never too small to hold an
     * icon over two lines. */
    int tile_w = (inner - (int)(cols - 1) * m.gap) / (int)cols;
    int room = view.h - top - pad - (int)(rows - 1) * m.gap;
    int tile_h = room / (int)rows;
    int most = cols == 1 && !landscape ? u * 3 / 10 : u / 2,
        least = m.target * 2 > u / 5 ? m.target * 2 : u / 5;
    tile_h = tile_h > most ? most : tile_h < least ? least : tile_h;
    int content_h = top + (int)rows * tile_h + (int)(rows - 1) * m.gap + pad;
    cc_scroll_size(sc, content_h, view.h);
    kit_ui_set_scroll(&c->ui, sc, view);
    int icon_side = (tile_h - m.gap) * 45 / 100;
    model_lang lang = cc_lang(ctx);
    for (size_t i = 0; i < n; i++) {
        int col = (int)(i % cols), row = (int)(i / cols);
        SDL_Rect r = {view.x + pad + col * (tile_w + m.gap),
                      view.y + top + row * (tile_h + m.gap) - sc->offset, tile_w, tile_h};
        if (r.y + r.h <= view.y || r.y >= view.y + view.h)
            continue; /* out of sight: no drawing, no target */
        const model_category *cat = &p->categories[i];
        SDL_Texture *icon = cat->icon ? icon_of(c, ctx, i, icon_side) : NULL;
        model_lang tl = model_text_lang(&cat->title, lang);
        kit_button(ctx, &c->ui, CHILDCARE_ID_TILE + (int)i, r,
                   cc_glued(c, model_text_get(&cat->title, lang), tl), tl, KIT_BUTTON_TILE, icon);
    }
    cc_draw_scroll_marks(c, ctx, sc, view);
    SDL_RenderSetClipRect(ctx->renderer, NULL);
}

/* A page's button: as tall as its title needs (titles may wrap with large
 * text), never below one and a half touch targets. */
static int row_height(childcare *c, screen_ctx *ctx, const model_text *t, int w)
{
    kit_metrics m = kit_metrics_get(ctx);
    text_style st = cc_style(ctx, t, m.text_px, TEXT_WEIGHT_BOLD, TEXT_ALIGN_CENTER);
    model_lang lang = cc_lang(ctx);
    const char *label = cc_glued(c, model_text_get(t, lang), model_text_lang(t, lang));
    const text_layout *l = kit_layout(ctx, label, &st, w - 2 * m.gap);
    int need = (l ? text_layout_height(l) : m.text_px) + 2 * m.gap;
    return m.target * 3 / 2 > need ? m.target * 3 / 2 : need;
}

void cc_draw_category(childcare *c, screen_ctx *ctx, SDL_Rect view)
{
    const model_category *cat = c->cat;
    kit_metrics m = kit_metrics_get(ctx);
    kit_scroll *sc = &c->list_scroll;
    int pad = m.gap * 2, inner = view.w - 2 * pad;
    /* A readable measure on a wide screen: the list is a column, not a band. */
    int u = ctx->width < ctx->height ? ctx->width : ctx->height;
    int w = inner > u * 14 / 10 ? u * 14 / 10 : inner;
    int x = pad + (inner - w) / 2;
    model_lang lang = cc_lang(ctx);

    SDL_RenderSetClipRect(ctx->renderer, &view);
    int top = draw_hint(ctx, view, sc->offset, "childcare.pages_hint", x, w);
    size_t n = cat->n_pages;
    int y = top;
    for (size_t i = 0; i < n; i++)
        y += row_height(c, ctx, &cat->pages[i].title, w) + m.gap;
    int content_h = y - m.gap + pad;
    cc_scroll_size(sc, content_h, view.h);
    kit_ui_set_scroll(&c->ui, sc, view);
    y = top;
    for (size_t i = 0; i < n; i++) {
        const model_text *t = &cat->pages[i].title;
        int h = row_height(c, ctx, t, w);
        SDL_Rect r = {view.x + x, view.y + y - sc->offset, w, h};
        y += h + m.gap;
        if (r.y + r.h <= view.y || r.y >= view.y + view.h)
            continue;
        model_lang tl = model_text_lang(t, lang);
        kit_button(ctx, &c->ui, CHILDCARE_ID_PAGE + (int)i, r,
                   cc_glued(c, model_text_get(t, lang), tl), tl, KIT_BUTTON, NULL);
        /* An arrow at the end says the button opens a page, where the
         * label (centred, as kit_button sets it) leaves room for one. */
        const kit_theme *th = kit_theme_get();
        int side = m.text_px;
        const text_layout *l =
            kit_fit(ctx, cc_glued(c, model_text_get(t, lang), tl), tl, m.text_px, TEXT_WEIGHT_BOLD,
                    TEXT_ALIGN_CENTER, r.w - m.gap, r.h - m.gap, m.small_px * 3 / 4);
        int label_w = l ? text_layout_max_advance(l) : r.w;
        if ((r.w - label_w) / 2 < side + 2 * m.gap)
            continue;
        SDL_Color ink =
            kit_ui_pressed(&c->ui, CHILDCARE_ID_PAGE + (int)i) ? th->pressed_ink : th->tile_edge;
        kit_draw_mark(ctx->renderer, KIT_MARK_NEXT,
                      (SDL_Rect){r.x + r.w - m.gap - side, r.y + (r.h - side) / 2, side, side}, ink,
                      th->tile);
    }
    cc_draw_scroll_marks(c, ctx, sc, view);
    SDL_RenderSetClipRect(ctx->renderer, NULL);
}

void cc_draw_message(screen_ctx *ctx, SDL_Rect area, const char *key)
{
    kit_metrics m = kit_metrics_get(ctx);
    int pad = m.gap * 2;
    model_lang lang = cc_ui_lang(ctx, key);
    text_style st = kit_style(ctx, lang, m.title_px, TEXT_WEIGHT_BOLD, TEXT_ALIGN_CENTER, 0);
    const text_layout *l = kit_layout(ctx, kit_str(ctx, key), &st, area.w - 2 * pad);
    if (!l || !ctx->atlas)
        return;
    int h = text_layout_height(l);
    text_atlas_draw(ctx->atlas, l, area.x + pad, area.y + (area.h - h) * 2 / 5,
                    kit_theme_get()->ink);
}
