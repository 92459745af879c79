/* alert_private: what alert.c (state, events, choice of text) and
 * alert_draw.c (the full view and the banner) share. Not for other files. */
#ifndef HIROBA_APP_SCREENS_ALERT_PRIVATE_H
#define HIROBA_APP_SCREENS_ALERT_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <SDL.h>

#include "app/core/alerts.h"
#include "app/screens/alert.h"
#include "app/screens/kit.h"

#define ALERT_LOGGED_MAX 64 /* alerts remembered as logged (a ring) */

/* The overlay's own targets (kit ids >= 0). */
enum { ALERT_ID_PREV = 1, ALERT_ID_NEXT, ALERT_ID_CLOSE, ALERT_ID_BANNER };

/* Colours of one alert view, chosen by severity. */
typedef struct alert_palette {
    SDL_Color bg, ink, label;                            /* page, text, labels */
    SDL_Color panel, panel_ink, panel_label, panel_edge; /* what to do */
    SDL_Color band, band_ink;                            /* the drill band, its stripes */
} alert_palette;

const alert_palette *alert_palette_for(alert_severity s);

/* The block of one entry to show in a language, and how to draw it. */
typedef struct alert_text {
    const alerts_entry *e;
    const alert_info *info;
    model_lang lang; /* font chain for the alert's own texts */
    bool markup;     /* native alerts may carry {漢字|かんじ}; CAP text is literal */
    bool other_lang; /* not in the session's language (a note says so) */
    bool drill;
    alert_decision d; /* info points into e->alert */
} alert_text;

void alert_text_for(const alerts_entry *e, model_lang lang, alert_text *out);

/* The live entries of ctx->alerts at ctx->now_ms, in the snapshot's order. */
size_t alert_live_entries(const screen_ctx *ctx, const alerts_entry **out, size_t cap);

struct alert_overlay {
    kit_ui ui;
    bool view_open; /* the full view opened from a banner */
    /* The alert the full view shows (next / previous, rotation), by name:
     * "" shows the first live one. */
    char sel_sender[ALERT_MAX_SHORT + 1];
    char sel_id[ALERT_MAX_SHORT + 1];
    bool captured;     /* banner: a pointer went down on it, the gesture is ours */
    SDL_Rect banner;   /* where the last banner was drawn (w == 0: none) */
    uint64_t seen;     /* what the last update saw (a hash): changed -> redraw */
    int64_t rotate_at; /* plain display: now_ms of the next alert, 0: not running */
    uint64_t logged[ALERT_LOGGED_MAX];
    size_t n_logged;
    /* The QR code of the last page drawn, kept while the address and size stay. */
    SDL_Texture *qr;
    uint64_t qr_hash;
    int qr_max, qr_side;
    bool qr_failed;
};

/* The entry the full view shows among live (n > 0): the selected one, else
 * the first. Returns its index. */
size_t alert_selected(const alert_overlay *o, const alerts_entry *const *live, size_t n);
/* Logs "showing" the first time e is drawn. */
void alert_note_shown(alert_overlay *o, const alert_text *t);

/* Catalog formats have only %s and %d (catalog.h); args fill them in order,
 * as strings, without ever passing the catalog text to printf. */
void alert_fill(char *buf, size_t cap, const char *fmt, const char *const *args, size_t n);
/* "11月24日 10:00" in the session's language (catalog alert.when). */
void alert_when(const screen_ctx *ctx, int64_t epoch_s, char *buf, size_t cap);

/* alert_draw.c: the full view of live[i] (n live entries) as the whole
 * picture, and the banner of live[0] over the top of the screen. */
void alert_draw_full(alert_overlay *o, screen_ctx *ctx, const alerts_entry *const *live, size_t n,
                     size_t i, bool closable);
void alert_draw_banner(alert_overlay *o, screen_ctx *ctx, const alerts_entry *const *live,
                       size_t n);

#endif
