/* childcare_private: what the child-care screen's files share (childcare.c
 * keeps the place, handles touch and the video, childcare_menu.c draws the
 * category tiles and a category's page list, childcare_page.c lays out and
 * draws a page). Never included outside app/screens/childcare*.c. */
#ifndef HIROBA_APP_SCREENS_CHILDCARE_PRIVATE_H
#define HIROBA_APP_SCREENS_CHILDCARE_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <SDL.h>

#include "app/core/model.h"
#include "app/screens/childcare.h"
#include "app/screens/kit.h"

#define CC_MAX_PARAS 64 /* more newlines than this stay inside the last paragraph */
#define CC_MAX_QR    10 /* PACK_JSON_MAX_QR */
#define CC_MAX_ELS   (8 + CC_MAX_PARAS + 3 * CC_MAX_QR)
#define CC_GLUE_MAX  32 /* texts with their breaks minded, remembered */

/* One thing placed on a page, in content coordinates (relative to the
 * scroll area's top-left, before scrolling). */
typedef enum cc_el_kind {
    CC_EL_TITLE,
    CC_EL_RULE,
    CC_EL_PARA,
    CC_EL_PICTURE,
    CC_EL_VIDEO,
    CC_EL_PLAY, /* the play/pause button under the video */
    CC_EL_QR_HINT,
    CC_EL_QR,
    CC_EL_QR_LABEL,
} cc_el_kind;

typedef struct cc_el {
    cc_el_kind kind;
    SDL_Rect rect;
    int index;                 /* paragraph or QR number */
    const text_layout *layout; /* text elements; borrowed until the cache's trim */
    int advance;               /* text elements: the widest line */
    bool truncated;            /* the layout was cut (must never happen) */
} cc_el;

typedef struct cc_plan {
    cc_el els[CC_MAX_ELS];
    size_t n;
    int content_h;
    SDL_Rect view; /* the scroll area on screen */
    bool wide;     /* text left, pictures and codes right */
} cc_plan;

/* A text of the pack with its breaks minded (cc_glued). */
typedef struct cc_glue_entry {
    const char *src; /* a string of the current pack; NULL: free */
    bool phrases;    /* easy Japanese: glued phrase by phrase */
    char *out;       /* owned; NULL: src needs no glue */
} cc_glue_entry;

struct childcare {
    /* The pack the pointers below point into, and how to recognise it
     * without reading it (it may already be freed when it changes). */
    const model_pack *pack;
    const model_category *pack_cats;
    size_t pack_n_cats;
    int64_t pack_version;

    const model_category *cat; /* NULL: the menu */
    const model_page *page;    /* NULL: the category's list (or the menu) */

    kit_ui ui;
    kit_scroll menu_scroll, list_scroll, page_scroll;

    /* Category icons, decoded the first time their tile shows. */
    SDL_Texture **icons; /* n_icons entries, one per category */
    bool *icon_tried;
    size_t n_icons;
    int icon_side;

    /* The open page's media, made once when it opens. */
    SDL_Texture *picture;
    int pic_w, pic_h;
    SDL_Texture *qr[CC_MAX_QR];
    int qr_side[CC_MAX_QR];
    size_t n_qr;
    int media_w, media_h; /* the output size the media was made for */

    /* The open page's body split into paragraphs, for the text it came from. */
    const char *para_src;
    char *para_buf;
    const char *paras[CC_MAX_PARAS]; /* into para_buf or glued */
    char *glued[CC_MAX_PARAS];       /* owned: short bracketed phrases kept whole */
    size_t n_paras;

    /* The video: whether this page opened a clip in ctx->video. */
    bool video_open;
    bool video_want; /* open the page's clip at the next update */

    cc_glue_entry glue[CC_GLUE_MAX];
    size_t glue_next;

    cc_plan plan; /* the page as last drawn */
    int64_t shown_minute;
};

/* ---- childcare.c ---- */

/* The session's language (never NONE). */
model_lang cc_lang(const screen_ctx *ctx);
/* A text style for t shown in the session's language, in the font of the
 * language it really is in; Japanese shown to an easy-Japanese reader keeps
 * its readings. */
text_style cc_style(const screen_ctx *ctx, const model_text *t, int size_px, text_weight weight,
                    text_align align);
/* The language a catalog string for key is in. */
model_lang cc_ui_lang(const screen_ctx *ctx, const char *key);
/* The scroll bar and, while there is more below, a "more" button at the
 * bottom of view (id CHILDCARE_ID_MORE). */
void cc_draw_scroll_marks(childcare *c, screen_ctx *ctx, const kit_scroll *sc, SDL_Rect view);
/* Sets sc's sizes for this frame, keeping its offset in range. */
void cc_scroll_size(kit_scroll *sc, int content_h, int view_h);

/* ---- childcare_menu.c ---- */

void cc_draw_menu(childcare *c, screen_ctx *ctx, SDL_Rect area);
void cc_draw_category(childcare *c, screen_ctx *ctx, SDL_Rect area);
/* A calm message in area: no pack yet, or a pack without child-care pages. */
void cc_draw_message(screen_ctx *ctx, SDL_Rect area, const char *key);
void cc_icons_clear(childcare *c);

/* ---- childcare_text.c ---- */

/* Whether lang's texts are glued phrase by phrase (easy Japanese, Korean). */
bool cc_glue_phrases(model_lang lang);
/* text (a string of the current pack, in lang) glued for lang, remembered
 * by its pointer; text itself for languages that need nothing. Borrowed
 * until cc_glue_clear. */
const char *cc_glued(childcare *c, const char *text, model_lang lang);
void cc_glue_clear(childcare *c);
/* text laid out w wide, or narrower (down to min_pct % of w) when that has
 * fewer bad breaks; Japanese only. Borrowed like kit_layout. */
const text_layout *cc_layout_mended(screen_ctx *ctx, const char *text, const text_style *st, int w,
                                    int min_pct);

/* ---- childcare_page.c ---- */

/* Makes the page's picture and QR codes for the current output size. */
void cc_page_media_load(childcare *c, screen_ctx *ctx);
void cc_page_media_clear(childcare *c);
/* Forgets the split paragraphs. */
void cc_paras_clear(childcare *c);
/* Lays the page out in area into c->plan (no drawing). */
void cc_page_plan(childcare *c, screen_ctx *ctx, SDL_Rect area);
void cc_draw_page(childcare *c, screen_ctx *ctx, SDL_Rect area);

#endif
