/* kit_qr: what the boards show besides text: QR codes (libqrencode) for
 * continuing on a phone, the feed's time stamp with its "may be out of
 * date" badge, and pictures from the pack. QR modules are whole pixels with
 * the standard quiet zone of 4 modules, black on white whatever the theme,
 * because phone cameras read nothing else reliably. */
#include "app/screens/kit.h"

#include <stdio.h>
#include <string.h>

#include <SDL_image.h>
#include <qrencode.h>

#include "app/core/log.h"
#include "app/screens/kit_draw.h"
#include "ui/draw.h"

#define QR_QUIET        4
#define QR_MAX_TEXT     1024  /* bytes; a reservation URL is far shorter */
#define MEDIA_MAX_SIDE  16384 /* a picture bigger than this is refused */
#define STAMP_TIME_SIZE 64

SDL_Texture *kit_qr_texture(SDL_Renderer *r, const char *text, int max_side, int *side)
{
    if (side)
        *side = 0;
    if (!r || !text || !text[0] || strlen(text) > QR_MAX_TEXT) {
        LOG_WARN("kit", "no QR code for an empty or overlong text");
        return NULL;
    }
    QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!qr) {
        LOG_WARN("kit", "cannot encode a QR code for %.80s", text);
        return NULL;
    }
    int modules = qr->width + 2 * QR_QUIET;
    int px = max_side / modules;
    if (px < 1) {
        LOG_WARN("kit", "a QR code of %d modules does not fit %d px", modules, max_side);
        QRcode_free(qr);
        return NULL;
    }
    int s = modules * px;
    SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormat(0, s, s, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!surf) {
        LOG_ERROR("kit", "QR surface: %s", SDL_GetError());
        QRcode_free(qr);
        return NULL;
    }
    SDL_FillRect(surf, NULL, SDL_MapRGBA(surf->format, 0xFF, 0xFF, 0xFF, 0xFF));
    Uint32 black = SDL_MapRGBA(surf->format, 0, 0, 0, 0xFF);
    for (int y = 0; y < qr->width; y++)
        for (int x = 0; x < qr->width; x++)
            if (qr->data[y * qr->width + x] & 1) {
                SDL_Rect m = {(x + QR_QUIET) * px, (y + QR_QUIET) * px, px, px};
                SDL_FillRect(surf, &m, black);
            }
    QRcode_free(qr);
    SDL_Texture *tex = SDL_CreateTextureFromSurface(r, surf);
    SDL_FreeSurface(surf);
    if (!tex) {
        LOG_ERROR("kit", "QR texture: %s", SDL_GetError());
        return NULL;
    }
    /* Scaled copies must stay crisp: a blurred module edge defeats cameras. */
    SDL_SetTextureScaleMode(tex, SDL_ScaleModeNearest);
    if (side)
        *side = s;
    return tex;
}

/* ---- feed stamps ---- */

bool kit_feed_stale(const screen_ctx *ctx, int64_t updated_sec, const hub_feed_status *st,
                    uint32_t stale_s)
{
    if (stale_s == 0 || !ctx->clock)
        return false; /* no threshold: never flagged */
    int64_t now = clock_now(ctx->clock).sec;
    /* The source's own time: a system that stopped writing serves old news
     * even while the server answers. */
    if (updated_sec > 0 && now - updated_sec > (int64_t)stale_s)
        return true;
    if (updated_sec <= 0)
        return true; /* the feed never said when: nothing vouches for it */
    /* A failing feed whose last confirmation is older than the threshold. */
    if (st && st->failing) {
        int64_t seen_ms =
            st->checked_at_ms > st->fetched_at_ms ? st->checked_at_ms : st->fetched_at_ms;
        if (seen_ms <= 0 || now - seen_ms / 1000 > (int64_t)stale_s)
            return true;
    }
    return false;
}

/* fmt with its one %s replaced by arg (catalog texts are checked to have
 * Japanese's placeholders, but this never trusts that). */
static void splice(char *buf, size_t cap, const char *fmt, const char *arg)
{
    const char *at = strstr(fmt, "%s");
    if (!at) {
        snprintf(buf, cap, "%s %s", fmt, arg);
        return;
    }
    snprintf(buf, cap, "%.*s%s%s", (int)(at - fmt), fmt, arg, at + 2);
}

int kit_feed_stamp(screen_ctx *ctx, SDL_Rect box, int64_t updated_sec, const hub_feed_status *st,
                   uint32_t stale_s)
{
    const kit_theme *t = kit_theme_get();
    kit_metrics m = kit_metrics_get(ctx);
    const char *tz = ctx->tz ? ctx->tz : ctx->pack ? ctx->pack->timezone : NULL;
    model_lang lang = ctx->session ? ctx->session->lang : MODEL_LANG_JA;
    int y = box.y;
    if (updated_sec > 0) {
        struct tm tm, today;
        char when[STAMP_TIME_SIZE], line[256];
        if (clock_to_local(updated_sec, tz, &tm) == 0) {
            /* Another day's data says which day, so nobody takes it for today's. */
            bool same_day = ctx->clock && clock_local(ctx->clock, tz, &today) == 0 &&
                            today.tm_year == tm.tm_year && today.tm_yday == tm.tm_yday;
            if (same_day)
                snprintf(when, sizeof when, "%d:%02d", tm.tm_hour, tm.tm_min);
            else
                snprintf(when, sizeof when, "%d/%d %d:%02d", tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                         tm.tm_min);
            splice(line, sizeof line, kit_str(ctx, "feed.updated"), when);
            model_lang sl =
                ctx->catalog ? catalog_lang(ctx->catalog, lang, "feed.updated") : MODEL_LANG_EN;
            text_style style =
                kit_style(ctx, sl, m.small_px, TEXT_WEIGHT_REGULAR, TEXT_ALIGN_LEFT, 0);
            y += kit_text(ctx, line, &style, box.x, y, box.w, t->muted);
        }
    }
    if (!kit_feed_stale(ctx, updated_sec, st, stale_s))
        return y - box.y;
    /* The badge: a warning triangle and the words, on the warn colours. */
    int pad = m.gap / 2, icon = (int)(m.small_px * 1.3);
    int text_w = box.w - 2 * pad - icon - pad;
    model_lang sl = ctx->catalog ? catalog_lang(ctx->catalog, lang, "feed.stale") : MODEL_LANG_EN;
    const text_layout *l =
        kit_fit(ctx, kit_str(ctx, "feed.stale"), sl, m.small_px, TEXT_WEIGHT_BOLD, TEXT_ALIGN_LEFT,
                text_w, m.small_px * 2, m.small_px * 3 / 4);
    int th = l ? text_layout_height(l) : 0;
    int bh = (th > icon ? th : icon) + 2 * pad;
    int bw = 2 * pad + icon + pad + (l ? text_layout_max_advance(l) : 0);
    bw = bw < box.w ? bw : box.w;
    if (y > box.y)
        y += m.gap / 3;
    ui_draw_rounded_rect(ctx->renderer, (SDL_Rect){box.x, y, bw, bh}, m.radius, t->warn_bg);
    kit_draw_mark(ctx->renderer, KIT_MARK_WARN,
                  (SDL_Rect){box.x + pad, y + (bh - icon) / 2, icon, icon}, t->warn_ink,
                  t->warn_bg);
    if (l && ctx->atlas)
        text_atlas_draw(ctx->atlas, l, box.x + pad + icon + pad, y + (bh - th) / 2, t->warn_ink);
    y += bh;
    return y - box.y;
}

/* ---- pictures ---- */

SDL_Texture *kit_media_texture(screen_ctx *ctx, const model_media *m, int max_w, int max_h)
{
    if (!m || !ctx->media_path || !ctx->renderer || max_w <= 0 || max_h <= 0)
        return NULL;
    char path[4096];
    if (ctx->media_path(ctx->media_user, m, path, sizeof path) != 0)
        return NULL;
    SDL_Surface *src = IMG_Load(path);
    if (!src) {
        LOG_WARN("kit", "cannot decode %s: %s", path, IMG_GetError());
        return NULL;
    }
    if (src->w <= 0 || src->h <= 0 || src->w > MEDIA_MAX_SIDE || src->h > MEDIA_MAX_SIDE) {
        LOG_WARN("kit", "%s: %d x %d px is too large to show", path, src->w, src->h);
        SDL_FreeSurface(src);
        return NULL;
    }
    SDL_Surface *rgba = SDL_ConvertSurfaceFormat(src, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(src);
    if (!rgba) {
        LOG_WARN("kit", "%s: %s", path, SDL_GetError());
        return NULL;
    }
    /* Fit, keeping the aspect; never enlarged past its own pixels. */
    double sx = (double)max_w / rgba->w, sy = (double)max_h / rgba->h;
    double k = sx < sy ? sx : sy;
    if (k < 1.0) {
        int w = (int)(rgba->w * k), h = (int)(rgba->h * k);
        w = w > 0 ? w : 1;
        h = h > 0 ? h : 1;
        SDL_Surface *dst = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
        if (dst && SDL_SoftStretchLinear(rgba, NULL, dst, NULL) == 0) {
            SDL_FreeSurface(rgba);
            rgba = dst;
        } else {
            SDL_FreeSurface(dst); /* the renderer scales the original instead */
        }
    }
    SDL_Texture *tex = SDL_CreateTextureFromSurface(ctx->renderer, rgba);
    SDL_FreeSurface(rgba);
    if (!tex)
        LOG_WARN("kit", "%s: %s", path, SDL_GetError());
    return tex;
}
