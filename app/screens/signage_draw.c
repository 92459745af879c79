/* signage_draw: where everything on the signage screen goes and how it is
 * drawn: the header band, the items (cards set by the text engine at the
 * largest size that fits, pictures and clips letterboxed), the calm screens
 * for "nothing on now" and "no content yet". One layout for every window
 * shape, in units of min(w, h) / 30 like the specimen. Must never clip
 * text: a card shrinks step by step, and only as a last resort cuts its
 * text with an ellipsis (and says so in the log). */
#include "app/screens/signage_private.h"

#include <limits.h>
#include <math.h>
#include <string.h>

#include "app/core/log.h"
#include "ui/draw.h"
#include "ui/text/atlas.h"
#include "ui/text/cache.h"

/* Card type scale, in units, and the title's size relative to the body. */
#define BODY_MAX_U   1.75
#define BODY_MIN_U   0.72
#define TITLE_RATIO  1.5
#define BODY_PITCH   1.65f /* room for furigana between lines */
#define LATIN_PITCH  1.45f /* English has no furigana */
#define TITLE_PITCH  1.35f
#define CARD_UPSCALE 3.0 /* a card's picture is never blown up more than this */
#define NEAR_PCT     90  /* a bigger picture is worth text this % as big */

typedef struct pass {
    screen_ctx *ctx;
    signage *s;
    int u;
    uint8_t alpha; /* 255, or less while fading in */
    bool draw;     /* false: measure only */
} pass;

model_lang signage_lang(const screen_ctx *ctx)
{
    model_lang l = model_lang_from_code(ctx->lang);
    return l == MODEL_LANG_NONE ? MODEL_LANG_JA : l;
}

text_lang signage_text_lang(model_lang lang)
{
    switch (lang) {
    case MODEL_LANG_EN:
        return TEXT_LANG_EN;
    case MODEL_LANG_ZH:
        return TEXT_LANG_ZH;
    case MODEL_LANG_KO:
        return TEXT_LANG_KO;
    default:
        return TEXT_LANG_JA;
    }
}

SDL_Rect signage_fit_image(int src_w, int src_h, SDL_Rect box, double max_upscale)
{
    SDL_Rect r = ui_video_fit(src_w, src_h, &box);
    if (max_upscale > 0 && src_w > 0 && src_h > 0 &&
        (r.w > src_w * max_upscale || r.h > src_h * max_upscale)) {
        r.w = (int)lround(src_w * max_upscale);
        r.h = (int)lround(src_h * max_upscale);
        r.x = box.x + (box.w - r.w) / 2;
        r.y = box.y + (box.h - r.h) / 2;
    }
    return r;
}

static int em(int u, double units)
{
    int v = (int)lround(u * units);
    return v > 0 ? v : 1;
}

static const text_layout *lay(screen_ctx *ctx, const char *text, int px, text_weight weight,
                              text_lang lang, text_align align, float pitch, int width,
                              int max_lines)
{
    text_style st = text_style_default(px > 1 ? px : 1);
    st.weight = weight;
    st.lang = lang;
    st.align = align;
    st.line_height = pitch;
    st.max_lines = max_lines;
    return text_cache_get(ctx->cache, text, strlen(text), &st, width > 1 ? width : 1);
}

/* A model text in the screen's language, with the font its language needs. */
static const text_layout *lay_text(pass *p, const model_text *t, int px, text_weight weight,
                                   text_align align, float pitch, int width, int max_lines)
{
    return lay(p->ctx, signage_glued(p->s, model_text_get(t, p->s->lang)), px, weight,
               signage_text_lang(model_text_lang(t, p->s->lang)), align, pitch, width, max_lines);
}

static int height_of(const text_layout *l)
{
    return l ? text_layout_height(l) : 0;
}

static int advance_of(const text_layout *l)
{
    return l ? text_layout_max_advance(l) : 0;
}

static void put(pass *p, const text_layout *l, int x, int y, uint32_t rgb)
{
    if (p->draw && l)
        text_atlas_draw(p->ctx->atlas, l, x, y, ui_color_alpha(ui_color_hex(rgb), p->alpha));
}

static void fill(pass *p, SDL_Rect r, uint32_t rgb)
{
    if (p->draw)
        ui_draw_fill_rect(p->ctx->renderer, r, ui_color_alpha(ui_color_hex(rgb), p->alpha));
}

static void copy(pass *p, SDL_Texture *tex, SDL_Rect dst)
{
    if (!p->draw || !tex)
        return;
    tex = signage_media_scaled(p->s->media, p->ctx->renderer, tex, dst.w, dst.h);
    SDL_SetTextureAlphaMod(tex, p->alpha);
    SDL_RenderCopy(p->ctx->renderer, tex, NULL, &dst);
    SDL_SetTextureAlphaMod(tex, 255);
}

/* ---- the header band ---- */

/* Facility (logo and name) left, date and time right; stacked when a narrow
 * screen cannot hold both on one row. Returns the band's height. */
static int draw_band(pass *p, int width)
{
    int u = p->u, pad_x = em(u, 1.1), pad_y = em(u, 0.45), px = em(u, 1.1);
    const model_pack *pack = p->ctx->pack;
    const text_layout *when = lay(p->ctx, p->s->when, px, TEXT_WEIGHT_REGULAR,
                                  signage_text_lang(p->s->lang), TEXT_ALIGN_LEFT, 1.4f, width, 0);
    const text_layout *name = NULL;
    int logo_w = 0, logo_h = 0;
    SDL_Texture *logo = NULL;
    if (pack) {
        logo = signage_media_texture(p->s->media, pack->facility.logo, &logo_w, &logo_h);
        int name_w = width - 2 * pad_x - (logo ? em(u, 2.0) : 0);
        name = lay_text(p, &pack->facility.name, px, TEXT_WEIGHT_BOLD, TEXT_ALIGN_LEFT, 1.4f,
                        name_w, 0);
    }
    int line = height_of(when);
    int logo_side = logo ? line : 0, logo_gap = logo ? em(u, 0.5) : 0;
    int left_w = logo_side + logo_gap + advance_of(name);
    bool one_row = left_w + em(u, 1.5) + advance_of(when) <= width - 2 * pad_x;
    int left_h = height_of(name) > logo_side ? height_of(name) : logo_side;
    int h = (one_row ? (left_h > line ? left_h : line) : left_h + line) + 2 * pad_y;
    if (!p->draw)
        return h;
    uint8_t alpha = p->alpha;
    p->alpha = 255; /* the band never fades */
    fill(p, (SDL_Rect){0, 0, width, h}, SG_BAND);
    int x = pad_x;
    if (logo) {
        SDL_Rect box = {x, pad_y + (left_h - logo_side) / 2, logo_side, logo_side};
        copy(p, logo, signage_fit_image(logo_w, logo_h, box, 0));
        x += logo_side + logo_gap;
    }
    put(p, name, x, pad_y + (left_h - height_of(name)) / 2, SG_ON_BAND);
    if (one_row)
        put(p, when, width - pad_x - advance_of(when), pad_y + (h - 2 * pad_y - line) / 2,
            SG_ON_BAND);
    else
        put(p, when, pad_x, pad_y + left_h, SG_ON_BAND);
    p->alpha = alpha;
    return h;
}

void signage_geometry(signage *s, screen_ctx *ctx, signage_geom *g)
{
    int side = ctx->width < ctx->height ? ctx->width : ctx->height;
    g->u = side / 30 > 4 ? side / 30 : 4;
    pass p = {.ctx = ctx, .s = s, .u = g->u, .alpha = 255};
    g->band = (SDL_Rect){0, 0, ctx->width, draw_band(&p, ctx->width)};
    int sh = signage_ticker_height(s, g->u);
    g->strip = (SDL_Rect){0, ctx->height - sh, ctx->width, sh};
    int margin = em(g->u, 1.1), gap = em(g->u, 0.9);
    g->main.x = margin;
    g->main.y = g->band.h + gap;
    g->main.w = ctx->width - 2 * margin;
    g->main.h = g->strip.y - gap - g->main.y;
    if (g->main.w < 1)
        g->main.w = 1;
    if (g->main.h < 1)
        g->main.h = 1;
}

/* ---- cards ---- */

typedef struct card_plan {
    SDL_Rect text;  /* the text column */
    SDL_Rect image; /* where the picture is drawn (w 0: none) */
    int text_h;     /* height of the text block */
    const text_layout *title, *body;
    int title_gap, rule, body_gap;
} card_plan;

static float body_pitch(pass *p, const model_item *it)
{
    return model_text_lang(&it->body, p->s->lang) == MODEL_LANG_EN ? LATIN_PITCH : BODY_PITCH;
}

/* Sets the card as f says in area: the picture beside the text (right) or
 * above it. Returns whether the text fits. */
static bool plan_card(pass *p, const model_item *it, SDL_Rect area, int img_w, int img_h,
                      const signage_card_fit *f, card_plan *c)
{
    int gap = em(p->u, 1.2);
    c->text = area;
    c->image = (SDL_Rect){0, 0, 0, 0};
    if (f->image_share > 0 && img_w > 0 && img_h > 0) {
        if (!f->above) {
            SDL_Rect box = {0, area.y, area.w * f->image_share / 100, area.h};
            box.x = area.x + area.w - box.w;
            c->image = signage_fit_image(img_w, img_h, box, CARD_UPSCALE);
            c->text.w = area.w - box.w - gap;
        } else {
            SDL_Rect box = {area.x, area.y, area.w, area.h * f->image_share / 100};
            c->image = signage_fit_image(img_w, img_h, box, CARD_UPSCALE);
            c->image.y = area.y;
            c->text.y = area.y + c->image.h + gap;
            c->text.h = area.h - c->image.h - gap;
        }
    }
    int measure = c->text.w * (f->measure_pct ? f->measure_pct : 100) / 100;
    float pitch = body_pitch(p, it);
    c->title = lay_text(p, &it->title, f->title_px, TEXT_WEIGHT_BOLD, TEXT_ALIGN_LEFT, TITLE_PITCH,
                        measure, f->title_lines);
    c->body = model_text_empty(&it->body)
                  ? NULL
                  : lay_text(p, &it->body, f->body_px, TEXT_WEIGHT_REGULAR, TEXT_ALIGN_LEFT, pitch,
                             measure, f->body_lines);
    c->title_gap = (int)lround(f->body_px * 0.3);
    c->rule = f->body_px / 10 > 2 ? f->body_px / 10 : 2;
    c->body_gap = c->body ? (int)lround(f->body_px * 0.55) : 0;
    c->text_h = height_of(c->title) + c->title_gap + c->rule + c->body_gap + height_of(c->body);
    return c->text.w > 0 && c->text_h <= c->text.h && c->title &&
           (c->body || model_text_empty(&it->body));
}

/* f at body size px, or a little smaller or narrower, with the fewest
 * breaks that read badly (signage_break_flaws). Sets *out and returns its
 * flaws (out->body_px stays 0 and INT_MAX is returned if nothing fits). */
static int mend(pass *p, const model_item *it, SDL_Rect area, int img_w, int img_h,
                const signage_card_fit *f, int px, signage_card_fit *out)
{
    static const int measures[] = {100, 95, 90, 85};
    int step = px / 50 > 1 ? px / 50 : 1, least = INT_MAX;
    for (int size = px; size * 10 >= px * 9 && least > 0; size -= step) {
        for (size_t k = 0; k < sizeof measures / sizeof measures[0] && least > 0; k++) {
            signage_card_fit t = *f;
            t.body_px = size;
            t.title_px = (int)lround(size * TITLE_RATIO);
            t.measure_pct = measures[k];
            card_plan c;
            if (!plan_card(p, it, area, img_w, img_h, &t, &c))
                continue;
            int flaws = signage_break_flaws(c.title) + signage_break_flaws(c.body);
            if (flaws < least) {
                least = flaws;
                *out = t;
            }
        }
    }
    return least;
}

/* How the card is set in area: for each place and size the picture may
 * take, the largest text that fits (bisected); then the biggest picture
 * whose text is within NEAR_PCT of the largest, preferring the fewest bad
 * breaks. If nothing fits even at the smallest size, the text is cut to the
 * room left (with an ellipsis, and a warning in the log). */
static void fit_card(pass *p, const model_item *it, SDL_Rect area, int img_w, int img_h,
                     signage_card_fit *out)
{
    /* Where the picture may go, biggest first: beside on wide areas, above
     * on tall ones, either on nearly square ones. */
    static const signage_card_fit beside[] = {
        {.image_share = 44}, {.image_share = 38}, {.image_share = 32}, {.image_share = 26}};
    static const signage_card_fit above[] = {{.above = true, .image_share = 42},
                                             {.above = true, .image_share = 34},
                                             {.above = true, .image_share = 27},
                                             {.above = true, .image_share = 20}};
    int64_t t0 = clock_monotonic_ms();
    signage_card_fit tries[8] = {{0}};
    size_t n_tries = 0;
    bool image = img_w > 0 && img_h > 0;
    bool wide = area.w * 20 >= area.h * 23, tall = area.w * 2 <= area.h * 3; /* 1.15, 1.5 : 1 */
    if (!image)
        n_tries = 1;
    for (size_t i = 0; image && i < 4; i++) {
        if (wide)
            tries[n_tries++] = beside[i];
        if (tall)
            tries[n_tries++] = above[i];
    }
    /* Biggest picture first. */
    int64_t shown[8] = {0};
    for (size_t i = 0; image && i < n_tries; i++) {
        const signage_card_fit *t = &tries[i];
        SDL_Rect box = {0, 0, t->above ? area.w : area.w * t->image_share / 100,
                        t->above ? area.h * t->image_share / 100 : area.h};
        SDL_Rect r = signage_fit_image(img_w, img_h, box, CARD_UPSCALE);
        shown[i] = (int64_t)r.w * r.h;
        for (size_t k = i; k > 0 && shown[k] > shown[k - 1]; k--) {
            signage_card_fit ft = tries[k];
            tries[k] = tries[k - 1];
            tries[k - 1] = ft;
            int64_t st = shown[k];
            shown[k] = shown[k - 1];
            shown[k - 1] = st;
        }
    }
    int lo_px = em(p->u, BODY_MIN_U), hi_px = em(p->u, BODY_MAX_U);
    int found[8] = {0}, most = 0;
    card_plan c;
    for (size_t i = 0; i < n_tries; i++) {
        signage_card_fit f = tries[i];
        int lo = lo_px, hi = hi_px;
        while (lo <= hi) { /* the fit is monotonic in the size: bisect */
            int mid = (lo + hi) / 2;
            f.body_px = mid;
            f.title_px = (int)lround(mid * TITLE_RATIO);
            if (plan_card(p, it, area, img_w, img_h, &f, &c)) {
                found[i] = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        most = found[i] > most ? found[i] : most;
    }
    /* The biggest picture that leaves the text nearly as big as it can be,
     * set with the fewest bad breaks a slightly smaller size or narrower
     * measure allows. */
    signage_card_fit best = {0};
    int least = INT_MAX;
    for (size_t i = 0; i < n_tries && most && least > 0; i++) {
        signage_card_fit t = {0};
        int flaws = found[i] * 100 >= most * NEAR_PCT
                        ? mend(p, it, area, img_w, img_h, &tries[i], found[i], &t)
                        : INT_MAX;
        if (flaws < least) {
            least = flaws;
            best = t;
        }
    }
    if (!best.body_px) {
        /* Last resort: the smallest size, the smallest picture, cut text. */
        best = tries[n_tries - 1];
        best.body_px = lo_px;
        best.title_px = (int)lround(lo_px * TITLE_RATIO);
        best.title_lines = 2;
        plan_card(p, it, area, img_w, img_h, &best, &c);
        int room = c.text.h - height_of(c.title) - c.title_gap - c.rule - c.body_gap;
        int pitch = (int)lround(lo_px * body_pitch(p, it));
        best.body_lines = room / (pitch > 0 ? pitch : 1) > 1 ? room / pitch : 1;
        LOG_WARN("signage", "item %s: text too long for %dx%d px; cut with an ellipsis", it->id,
                 area.w, area.h);
    }
    LOG_DEBUG("signage", "item %s: %d px text, picture %s %d%%, set in %lld ms", it->id,
              best.body_px, best.above ? "above" : "beside", best.image_share,
              (long long)(clock_monotonic_ms() - t0));
    best.valid = true;
    best.key_w = area.w;
    best.key_h = area.h;
    best.key_lang = p->s->lang;
    best.key_image = image;
    *out = best;
}

static void draw_card(pass *p, signage_slot *slot, SDL_Rect area)
{
    const model_item *it = slot->item;
    int img_w = 0, img_h = 0;
    SDL_Texture *tex = NULL;
    if (it->media && !slot->image_failed)
        tex = signage_media_texture(p->s->media, it->media, &img_w, &img_h);
    signage_card_fit *f = &slot->fit;
    if (!f->valid || f->key_w != area.w || f->key_h != area.h || f->key_lang != p->s->lang ||
        f->key_image != (tex != NULL))
        fit_card(p, it, area, tex ? img_w : 0, tex ? img_h : 0, f);
    card_plan c;
    plan_card(p, it, area, img_w, img_h, f, &c);
    /* The block sits a little above the middle (the optical centre). */
    bool beside = c.image.w > 0 && !f->above;
    int slack_y;
    if (beside) {
        slack_y = area.h - (c.text_h > c.image.h ? c.text_h : c.image.h);
        int dy = slack_y > 0 ? slack_y * 2 / 5 : 0;
        int top = area.y + dy;
        c.text.y = top + ((c.text_h > c.image.h ? c.text_h : c.image.h) - c.text_h) / 2;
        c.image.y = top + ((c.text_h > c.image.h ? c.text_h : c.image.h) - c.image.h) / 2;
    } else {
        int stack =
            c.image.h > 0 ? c.image.h + (c.text.y - area.y - c.image.h) + c.text_h : c.text_h;
        slack_y = area.h - stack;
        int dy = slack_y > 0 ? slack_y * 2 / 5 : 0;
        c.image.y += dy;
        c.text.y = (c.image.h > 0 ? c.text.y : area.y) + dy;
    }
    if (c.image.w > 0)
        copy(p, tex, c.image);
    int y = c.text.y;
    put(p, c.title, c.text.x, y, SG_INK);
    y += height_of(c.title) + c.title_gap;
    fill(p, (SDL_Rect){c.text.x, y, c.text.w, c.rule}, SG_RULE);
    y += c.rule + c.body_gap;
    put(p, c.body, c.text.x, y, SG_INK);
}

static void draw_video(pass *p, SDL_Rect area)
{
    int w, h;
    SDL_Texture *tex = ui_video_texture(p->ctx->video, &w, &h);
    if (!tex || !p->draw)
        return;
    if (p->alpha == 255) {
        ui_video_draw(p->ctx->video, p->ctx->renderer, &area);
        return;
    }
    SDL_BlendMode mode;
    SDL_GetTextureBlendMode(tex, &mode);
    SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
    copy(p, tex, signage_fit_image(w, h, area, 0));
    SDL_SetTextureBlendMode(tex, mode);
}

static void draw_item(pass *p, signage_slot *slot, SDL_Rect area)
{
    const model_item *it = slot->item;
    switch (it->kind) {
    case MODEL_ITEM_CARD:
        draw_card(p, slot, area);
        break;
    case MODEL_ITEM_IMAGE: {
        int w, h;
        SDL_Texture *tex = signage_media_texture(p->s->media, it->media, &w, &h);
        if (tex)
            copy(p, tex, signage_fit_image(w, h, area, 0));
        break;
    }
    case MODEL_ITEM_VIDEO:
        if (p->s->video_item == it)
            draw_video(p, area);
        break;
    case MODEL_ITEM_BOARD:
        if (p->draw)
            signage_board_draw(p->s, p->ctx, it, area);
        break;
    }
}

/* ---- the calm screens ---- */

/* A big line over a smaller one, centred in area (and a picture above). */
static void draw_centred(pass *p, SDL_Rect area, SDL_Texture *pic, int pic_w, int pic_h,
                         const text_layout *big, const text_layout *small)
{
    int gap = em(p->u, 0.8);
    SDL_Rect pr = {0, 0, 0, 0};
    if (pic)
        pr = signage_fit_image(pic_w, pic_h, (SDL_Rect){0, 0, em(p->u, 6), em(p->u, 6)}, 2.0);
    int h = (pic ? pr.h + gap : 0) + height_of(big) + (small ? gap / 2 + height_of(small) : 0);
    int y = area.y + (area.h - h) * 2 / 5;
    if (pic) {
        pr.x = area.x + (area.w - pr.w) / 2;
        pr.y = y;
        copy(p, pic, pr);
        y += pr.h + gap;
    }
    put(p, big, area.x, y, SG_INK);
    put(p, small, area.x, y + height_of(big) + gap / 2, SG_INK_SOFT);
}

/* Nothing on now: the facility greets, the header and ticker go on. */
static void draw_idle(pass *p, SDL_Rect area)
{
    const model_pack *pack = p->ctx->pack;
    int w, h;
    SDL_Texture *logo = signage_media_texture(p->s->media, pack->facility.logo, &w, &h);
    const text_layout *name = lay_text(p, &pack->facility.name, em(p->u, 2.0), TEXT_WEIGHT_BOLD,
                                       TEXT_ALIGN_CENTER, 1.4f, area.w, 0);
    draw_centred(p, area, logo, w, h, name, NULL);
}

/* No pack yet: not an error, just a moment. */
static void draw_preparing(pass *p, SDL_Rect area)
{
    bool en = p->s->lang == MODEL_LANG_EN;
    const text_layout *big =
        lay(p->ctx, en ? "Preparing content" : "準備中です", em(p->u, 2.2), TEXT_WEIGHT_BOLD,
            en ? TEXT_LANG_EN : TEXT_LANG_JA, TEXT_ALIGN_CENTER, 1.4f, area.w, 0);
    const text_layout *small =
        lay(p->ctx, en ? "準備中です" : "Preparing content", em(p->u, 1.2), TEXT_WEIGHT_REGULAR,
            en ? TEXT_LANG_JA : TEXT_LANG_EN, TEXT_ALIGN_CENTER, 1.4f, area.w, 0);
    draw_centred(p, area, NULL, 0, 0, big, small);
}

/* ---- the frame ---- */

void signage_draw_frame(signage *s, screen_ctx *ctx)
{
    signage_geom g;
    signage_geometry(s, ctx, &g);
    pass p = {.ctx = ctx, .s = s, .u = g.u, .alpha = 255, .draw = true};
    ui_draw_clear(ctx->renderer, ui_color_hex(SG_PAGE));
    if (!ctx->pack) {
        draw_preparing(&p, g.main);
    } else if (!s->cur.item) {
        if (!s->incoming)
            draw_idle(&p, g.main);
    } else if (s->fading && s->out.item) {
        int64_t t = clock_monotonic_ms() - s->fade_start_mono;
        uint8_t a = t >= SIGNAGE_FADE_MS ? 255 : (uint8_t)(t * 255 / SIGNAGE_FADE_MS);
        draw_item(&p, &s->out, g.main);
        /* The incoming item covers the outgoing one as it fades in. */
        p.alpha = a;
        fill(&p, g.main, SG_PAGE);
        draw_item(&p, &s->cur, g.main);
    } else {
        if (s->fading) {
            int64_t t = clock_monotonic_ms() - s->fade_start_mono;
            p.alpha = t >= SIGNAGE_FADE_MS ? 255 : (uint8_t)(t * 255 / SIGNAGE_FADE_MS);
        }
        draw_item(&p, &s->cur, g.main);
    }
    p.alpha = 255;
    draw_band(&p, ctx->width);
    signage_ticker_draw(s, ctx, &g);
}
