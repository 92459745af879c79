/* alert_private: what alert.c (state, events, choice of text) and the
 * pictures share: alert_layout.c (measuring and fitting text blocks),
 * alert_draw.c (the full view) and alert_banner.c (the banner and the drill
 * band). Not for other files. */
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

/* ---- the pictures: alert_layout.c, alert_draw.c, alert_banner.c ---- */

#define ALERT_VIEW_MAX_ROWS   6
#define ALERT_VIEW_MAX_VALUES (ALERT_MAX_SHELTERS * 2 + 2)

/* The plan of one full view: every block laid out, with its sizes. */
typedef struct alert_prow {
    const text_layout *label;
    const text_layout *v[ALERT_VIEW_MAX_VALUES];
    size_t nv;
    /* A second label and value on the same line (issued and expires, when
     * the line is wide enough), drawn from x2 on. */
    const text_layout *label2, *v2;
    int x2;
    bool stack; /* this row's values under its label, though the others are beside */
    int h;
} alert_prow;

typedef struct alert_sizes {
    int pad, gap, head, kicker, instr, instr_label, label, value, small, band, band_text, qr;
} alert_sizes;

typedef struct alert_plan {
    alert_sizes z;
    const text_layout *band_big, *band_text;
    int band_h;
    bool band_side; /* the sentence beside 訓練 DRILL, not under it */
    const text_layout *kicker, *head;
    int mark, head_h;
    const text_layout *instr_label, *instr;
    int instr_pad, instr_h;
    alert_prow rows[ALERT_VIEW_MAX_ROWS];
    size_t n_rows;
    bool stacked;
    int label_w, det_w, det_h;
    int qr_side;
    bool qr_below; /* portrait: a wide tile under the details, not a column beside them */
    const text_layout *qr_cap, *qr_url;
    const text_layout *note;
    int foot_h;
    int total;
} alert_plan;

/* Height and widest line of l (0 for NULL); draws l at x, y (NULL: nothing). */
int alert_lh(const text_layout *l);
int alert_ladv(const text_layout *l);
void alert_put(screen_ctx *ctx, const text_layout *l, int x, int y, SDL_Color c);
/* The session's language, and the font chain for catalog text key in it. */
model_lang alert_ui_lang(const screen_ctx *ctx);
model_lang alert_key_lang(const screen_ctx *ctx, const char *key);
text_style alert_style(screen_ctx *ctx, model_lang lang, int px, text_weight w, bool markup,
                       float line_height, int max_lines);
/* Whether l's last line is a sliver (under a fifth) of w. */
bool alert_orphaned(const text_layout *l, int w);
/* s laid out with newlines at the spaces between its phrases, or NULL when
 * a phrase is wider than width or there is no space. */
const text_layout *alert_wrap_phrases(screen_ctx *ctx, const char *s, const text_style *st,
                                      int width);
/* A heading at px or smaller (down to floor_pct on one line), never cut;
 * *used (may be NULL) gets the size chosen. */
const text_layout *alert_fit_heading(screen_ctx *ctx, const char *s, model_lang lang, int px,
                                     int floor_pct, bool markup, float line_height, int width,
                                     int *used);
/* A token (address) on one line down to 65% of px, else wrapped at px;
 * *one_line (may be NULL) says which. */
const text_layout *alert_fit_token(screen_ctx *ctx, const char *s, model_lang lang, int px,
                                   text_weight w, int width, bool *one_line);
/* Catalog text key at px, with markup. */
const text_layout *alert_ui_text(screen_ctx *ctx, const char *key, int px, text_weight w,
                                 int width);
/* The detail rows of p (desc_lines: -1 all, 0 none, else at most that many;
 * shelters: how many listed) and the width of their label column. */
void alert_plan_details(screen_ctx *ctx, const alert_text *t, alert_plan *p, int desc_lines,
                        size_t shelters);
void alert_plan_label_column(screen_ctx *ctx, alert_plan *p);
/* alert_banner.c: the drill band of p (none unless t is a drill), across
 * width w, and its picture at y. */
void alert_plan_band(screen_ctx *ctx, const alert_text *t, int w, alert_plan *p);
void alert_draw_band(screen_ctx *ctx, const alert_plan *p, const alert_palette *pal, int y);

/* alert_draw.c: the full view of live[i] (n live entries) as the whole
 * picture; alert_banner.c: the banner of live[0] over the top of the screen. */
void alert_draw_full(alert_overlay *o, screen_ctx *ctx, const alerts_entry *const *live, size_t n,
                     size_t i, bool closable);
void alert_draw_banner(alert_overlay *o, screen_ctx *ctx, const alerts_entry *const *live,
                       size_t n);

#endif
