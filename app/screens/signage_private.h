/* signage_private: what the signage screen's files share (signage.c runs
 * the loop, signage_draw.c lays out and draws, signage_ticker.c scrolls the
 * notices, signage_text.c minds line breaks, signage_media.c decodes
 * pictures off the UI thread). Never included outside app/screens/signage*.c. */
#ifndef HIROBA_APP_SCREENS_SIGNAGE_PRIVATE_H
#define HIROBA_APP_SCREENS_SIGNAGE_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <SDL.h>

#include "app/core/model.h"
#include "app/core/store.h"
#include "app/screens/boards.h"
#include "app/screens/signage.h"
#include "ui/text/fonts.h"
#include "ui/text/layout.h"

/* Palette: every text colour is listed with its background in signage.c's
 * text pairs (checked >= 4.5:1 by the tests). */
#define SG_PAGE      0xFBFAF6u /* warm paper */
#define SG_INK       0x1C1C1Cu
#define SG_INK_SOFT  0x4A4A4Au
#define SG_BAND      0x0F4C81u /* municipal navy */
#define SG_ON_BAND   0xFFFFFFu
#define SG_RULE      0x0F4C81u
#define SG_TICKER_BG 0x1B2B3Cu /* the strip: deep slate, quieter than the band */
#define SG_ON_TICKER 0xFFFFFFu
#define SG_LABEL_BG  0xFFD23Fu /* the strip's label: signal yellow */
#define SG_ON_LABEL  0x1C1C1Cu
#define SG_BULLET    0xFFD23Fu /* the ◆ between notices, on the strip */

/* ---- media: pictures decoded on a helper thread, textures on the UI thread ---- */

typedef struct signage_media signage_media;

enum signage_media_state {
    SG_MEDIA_NONE,    /* never asked for (or forgotten) */
    SG_MEDIA_LOADING, /* queued or decoding */
    SG_MEDIA_READY,   /* texture ready */
    SG_MEDIA_FAILED,  /* cannot be shown: signage_media_error says why */
};

/* NULL (logged) when out of memory or the thread cannot start. */
signage_media *signage_media_create(void);
/* Waits for the helper thread. NULL: no-op. */
void signage_media_destroy(signage_media *md);
/* Forgets every picture and drops queued decodes (the pack changed). */
void signage_media_clear(signage_media *md);
/* The state of m's picture; asks for it to be decoded if it was never
 * asked for. Decoded pictures bigger than max_w x max_h are scaled down to
 * fit (aspect kept) so a camera photo costs what the screen shows. */
enum signage_media_state signage_media_want(signage_media *md, screen_ctx *ctx,
                                            const model_media *m, int max_w, int max_h);
/* m's texture (borrowed until the next keep/clear), or NULL if not ready. */
SDL_Texture *signage_media_texture(signage_media *md, const model_media *m, int *w, int *h);
/* src (a picture's texture from signage_media_texture) at exactly w x h,
 * scaled once and kept until the picture is released; src itself when it
 * already has that size or scaling is not possible. */
SDL_Texture *signage_media_scaled(signage_media *md, SDL_Renderer *r, SDL_Texture *src, int w,
                                  int h);
/* Why m failed ("" unless failed). Borrowed until the next keep/clear. */
const char *signage_media_error(signage_media *md, const model_media *m);
/* Turns finished decodes into textures. Returns true when any picture
 * became ready or failed. */
bool signage_media_poll(signage_media *md, SDL_Renderer *renderer);
/* True while a decode is queued or running. */
bool signage_media_busy(const signage_media *md);
/* Frees every picture but those in keep (NULL entries allowed): memory
 * holds the current and next items only. */
void signage_media_keep(signage_media *md, const model_media *const *keep, size_t n);

/* ---- the loop's state ---- */

/* How a card is set at a given size: found once per item, size and language. */
typedef struct signage_card_fit {
    bool valid;
    int key_w, key_h; /* the area it was fitted in */
    model_lang key_lang;
    bool key_image; /* fitted with its picture */
    int title_px, body_px;
    bool above;                  /* the picture above the text (else beside it) */
    int image_share;             /* % of the area for the picture (0: none) */
    int measure_pct;             /* line length, % of the text column (0: 100) */
    int title_lines, body_lines; /* max_lines, 0: no limit (the last resort) */
} signage_card_fit;

/* An item on screen. */
typedef struct signage_slot {
    const model_item *item; /* NULL: empty */
    size_t pos;             /* where in the play order it came from */
    int64_t start_ms;       /* epoch ms (ctx->clock) when it began to show */
    bool ended;             /* its time is up; it stays until the next is ready */
    bool image_failed;      /* a card whose picture failed: shown without it */
    bool covered;           /* an alert covered the screen while it showed */
    char id[STORE_ITEM_ID_MAX];
    signage_card_fit fit;
} signage_slot;

/* Texts with glued brackets, by the pack string they came from. */
#define SG_GLUE_MAX 8
typedef struct sg_glue {
    const char *src; /* a string of the pack; NULL: free */
    char *out;       /* owned; NULL: src needs no glue */
} sg_glue;

#define SG_TICKER_MAX 32 /* lines shown at once; more are left for the next round */

typedef struct signage_ticker {
    const model_ticker *lines[SG_TICKER_MAX];
    size_t n;
    int64_t start_mono; /* monotonic ms when the text stood at its start */
    bool moving;        /* wider than the strip: it scrolls */
} signage_ticker;

struct signage {
    /* The pack the pointers below point into, and how to recognise it
     * without reading it (it may already be freed when it changes). */
    const model_pack *pack;
    const model_item *pack_items;
    size_t pack_n_items;
    int64_t pack_version;
    bool plays; /* proof of play: the pack is a manifest */
    char channel[STORE_CHANNEL_MAX];
    int64_t version;

    const model_item **list; /* the play order, as last evaluated */
    size_t n_list, cap_list;

    signage_slot cur;           /* showing (or fading in) */
    signage_slot out;           /* fading out */
    const model_item *incoming; /* chosen, waiting for its media */
    size_t incoming_pos;
    bool fading;
    int64_t fade_start_mono;
    const model_item *video_item; /* whose clip ctx->video holds */
    size_t skips;                 /* items skipped in a row */
    int64_t retry_mono;           /* nothing could be shown: try again then (0: now) */

    signage_media *media;
    signage_ticker ticker;
    int64_t shown_minute; /* the minute the header and ticker show; INT64_MIN: none */
    char when[64];
    model_lang lang;
    sg_glue glue[SG_GLUE_MAX];
    size_t glue_next;
    bool still;
    bool logo_warned;
    int64_t last_frame_mono;
    /* The live board of the current board item (one of them, or none). */
    boards_queue *queue_board;
    boards_vacancy *vacancy_board;
};

/* ---- geometry and drawing (signage_draw.c) ---- */

typedef struct signage_geom {
    int u;          /* px per unit: min(w, h) / 30 */
    SDL_Rect band;  /* the header */
    SDL_Rect main;  /* where items go */
    SDL_Rect strip; /* the ticker (h 0: none) */
} signage_geom;

model_lang signage_lang(const screen_ctx *ctx);
text_lang signage_text_lang(model_lang lang);
void signage_geometry(signage *s, screen_ctx *ctx, signage_geom *g);
void signage_draw_frame(signage *s, screen_ctx *ctx);

/* ---- live boards (signage_board.c) ---- */

/* it starts showing: a board item gets a fresh board (others: nothing). */
void signage_board_start(signage *s, const model_item *it);
/* Every update while the current item is a board: page turns, highlights. */
void signage_board_update(signage *s, screen_ctx *ctx);
/* Draws board item it in area (nothing if it has no board yet). */
void signage_board_draw(signage *s, screen_ctx *ctx, const model_item *it, SDL_Rect area);
/* Frees the boards (leave). */
void signage_board_clear(signage *s);

/* ---- line breaks (signage_text.c) ---- */

/* text with its short bracketed phrases glued (signage_glue_rules),
 * remembered by the pointer text (a string of the current pack). Borrowed
 * until signage_glue_clear. */
const char *signage_glued(signage *s, const char *text);
/* Forgets the glued texts (the pack changed, or the screen leaves). */
void signage_glue_clear(signage *s);
/* How many breaks of l read badly: a paragraph ending in a line so short
 * it reads as cut off ("ぞ。", or "listen." alone under a full line), or a
 * break after a kanji that is most often inside a word (医療|機関, 遊|べる). */
int signage_break_flaws(const text_layout *l);

/* ---- ticker (signage_ticker.c) ---- */

/* Re-reads the lines on at epoch_s; restarts the scroll if they changed. */
void signage_ticker_refresh(signage *s, const screen_ctx *ctx, int64_t epoch_s);
/* The strip's height for unit u (0 when there are no lines). */
int signage_ticker_height(const signage *s, int u);
/* Measures the text against the strip and sets ticker.moving. */
void signage_ticker_measure(signage *s, screen_ctx *ctx, const signage_geom *g);
void signage_ticker_draw(signage *s, screen_ctx *ctx, const signage_geom *g);

#endif
