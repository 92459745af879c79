/* boards_private: what queue.c, vacancy*.c and boards_common.c share: text
 * in the right font for its language, catalog texts with their values put
 * in, the calm message a board shows instead of data, the signage heading
 * and the page dots. Never included outside app/screens/{queue,vacancy,
 * boards}*.c. */
#ifndef HIROBA_APP_SCREENS_BOARDS_PRIVATE_H
#define HIROBA_APP_SCREENS_BOARDS_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <SDL.h>

#include "app/screens/boards.h"
#include "app/screens/kit.h"

/* Line pitch of board texts, in ems. */
#define BOARDS_PITCH 1.25f

/* Room for one formatted catalog text. */
#define BOARDS_TEXT_MAX 512

/* The resident's language (the session's, else ctx->lang, else ja). */
model_lang boards_lang(const screen_ctx *ctx);

/* The catalog text for key in the resident's language, with its %s / %d
 * placeholders replaced in order by args[0..n) (already written as text),
 * into buf. Never formats with the catalog's text as a printf format: a
 * placeholder without an argument becomes "", an extra argument is
 * dropped. Returns the language the text is in (its font). */
model_lang boards_str(const screen_ctx *ctx, const char *key, const char *const *args, size_t n,
                      char *buf, size_t cap);

/* text prepared for short lines in lang: easy Japanese written with spaces
 * between phrases (分かち書き) is glued with word joiners inside each
 * phrase of up to a dozen characters, so lines break at the spaces (and
 * after ・ 、 。 or around brackets), never inside a word; Japanese gets
 * its short bracketed phrases glued (signage_glue_rules). Returns a new
 * string (caller frees) or NULL when nothing needs gluing (or text is not
 * valid UTF-8: it is left for the layout to sanitise). */
char *boards_glue(const char *text, model_lang lang);

/* A layout through the cache in the chain for lang (kit_style: furigana as
 * the session says, always for ja-easy), BOARDS_PITCH apart. */
const text_layout *boards_lay(screen_ctx *ctx, const char *utf8, model_lang lang, int px,
                              text_weight weight, text_align align, int width, int max_lines);
/* utf8 wrapped at px in width, or a step smaller (down to min_px) until
 * it takes at most max_lines lines and cuts no word: names keep one size where they can and
 * wrap like text, instead of shrinking to one line. Borrowed like
 * kit_layout. */
const text_layout *boards_fit_lines(screen_ctx *ctx, const char *utf8, model_lang lang, int px,
                                    text_weight weight, text_align align, int width, int max_lines,
                                    int min_px);
/* The same for a pack or feed text: the resident's language, or Japanese
 * after a fallback, in the font of the language it is really in. */
const text_layout *boards_lay_text(screen_ctx *ctx, const model_text *t, int px, text_weight weight,
                                   text_align align, int width, int max_lines);
/* A catalog text (formatted as boards_str does) laid out. */
const text_layout *boards_lay_ui(screen_ctx *ctx, const char *key, const char *const *args,
                                 size_t n, int px, text_weight weight, text_align align, int width);

int boards_h(const text_layout *l);
int boards_w(const text_layout *l); /* widest line's advance */
void boards_put(screen_ctx *ctx, const text_layout *l, int x, int y, SDL_Color c);

/* a .. b as t goes 0 .. 1. */
SDL_Color boards_mix(SDL_Color a, SDL_Color b, float t);

/* Instead of a board: a big line (key) over a smaller one (sub_key, may be
 * NULL), centred in area on the paper. */
void boards_message(screen_ctx *ctx, SDL_Rect area, const char *key, const char *sub_key);

/* The message for a feed with no good value yet: not configured in the
 * pack, failing, or on its way. prefix is "queue" or "vacancy" (the keys
 * are prefix.unconfigured, prefix.failing, prefix.loading). st may be NULL
 * (no feeds at all: a preview); pack_url then says whether the pack names
 * the feed. */
void boards_no_data(screen_ctx *ctx, SDL_Rect area, const char *prefix, const hub_feed_status *st,
                    bool pack_url);

/* Signage: the board's title (catalog key) on the left of a row at the top
 * of area. Returns the row's height. */
int boards_heading(screen_ctx *ctx, SDL_Rect area, const char *title_key);

/* The page indicator (key formatted with the page and the count: "2 / 3",
 * and a dot per page, the current one filled) centred in row. Returns its
 * width (0 for one page). With measure_only nothing is drawn. */
int boards_pager(screen_ctx *ctx, const char *key, SDL_Rect row, int page, int n_pages,
                 bool measure_only);

/* Automatic page turning shared by the boards: when n_pages > 1 and
 * BOARDS_PAGE_MS have passed since *since_ms, advances *page (wrapping),
 * restarts the time and invalidates; always declares the next turn's
 * wake-up. *since_ms 0 means "not started": it starts now. */
void boards_page_tick(screen_ctx *ctx, int *page, int n_pages, int64_t *since_ms);

/* When the data written at updated_sec turns stale, so the badge appears
 * on time: a wake-up at that instant (nothing for a frozen clock). */
void boards_wake_when_stale(screen_ctx *ctx, int64_t updated_sec, uint32_t stale_s);

/* Whether a horizontal swipe happened: feed every pointer event; returns
 * -1 (to the previous page: finger moved right), +1 (next) or 0. */
typedef struct boards_swipe {
    bool down;
    int x0, y0;
} boards_swipe;
int boards_swipe_feed(boards_swipe *s, const screen_ctx *ctx, const SDL_Event *ev);

/* ---- the queue grid (queue_layout.c) ---- */

/* Type sizes for one frame. */
typedef struct queue_sizes {
    kit_metrics m;
    int number_px; /* the number now served */
    int name_px, label_px, stats_px, word_px;
    int pad; /* inside a card */
} queue_sizes;

queue_sizes queue_sizes_of(const screen_ctx *ctx);

/* What a card shows, laid out (borrowed like kit_layout). */
typedef struct queue_card {
    const text_layout *name, *label, *number, *stats, *word;
    char digits[16];
} queue_card;

/* Lays out every part of c for a card whose text column is width wide
 * (centred: the stacked style; else left-aligned beside the figures). */
void queue_lay_card(screen_ctx *ctx, const queue_sizes *z, const feeds_counter *c, int width,
                    bool centred, queue_card *out);

/* How the counters are set: columns, rows, card size and style. */
typedef struct queue_grid {
    int cols, rows, per_page;
    int card_w, card_h;
    bool wide;   /* name and figures side by side */
    int num_col; /* wide: the figures' column width */
    double score;
    queue_sizes z; /* the type sizes it was fitted with */
} queue_grid;

/* The grid for q's counters in W x H: the most counters per page, then
 * names and phrases on their lines, no empty cells, cards near 3:2. */
queue_grid queue_fit_grid(screen_ctx *ctx, const queue_sizes *base, const feeds_queue *q, int W,
                          int H);

/* ---- the vacancy grid (vacancy_grid.c) ---- */

/* The day d of facility f (a civil day number), or NULL when the feed does
 * not say. */
const feeds_day *vacancy_find_day(const feeds_facility *f, int32_t day);

/* How the grid of one day is set for a width. */
typedef struct vacancy_layout {
    int t0, t1;       /* minutes since midnight shown, whole hours */
    int step;         /* hours between axis labels */
    bool stacked;     /* each name above its bar (narrow screens) */
    int name_w;       /* the names' column (0 when stacked) */
    int bar_x, bar_w; /* the bars, from the row's left edge */
    int name_h;       /* stacked: the name's line above the bar */
    int row_h;        /* every row */
    int head_h;       /* the time axis */
    int gap;          /* between rows */
    int pad;          /* inside a name box */
    int cell_gap;     /* between neighbouring cells */
} vacancy_layout;

/* Lays out day's grid for v in width w. False when no facility has a slot
 * that day (nothing to draw: the board says so). */
bool vacancy_grid_layout(screen_ctx *ctx, const feeds_vacancy *v, int32_t day, int w,
                         vacancy_layout *out);
/* The hour labels along the top of r (r.h = head_h). */
void vacancy_grid_axis(screen_ctx *ctx, const vacancy_layout *g, SDL_Rect r);
/* One row: f's name and its day's cells in r (r.h = row_h); the selected
 * row is framed and its name reversed. */
void vacancy_grid_row(screen_ctx *ctx, const vacancy_layout *g, const feeds_facility *f,
                      int32_t day, bool selected, SDL_Rect r);
/* The legend (○ 空き, × 予約済み, － 休館 as chips), right-aligned in row.
 * Returns its width; measure_only draws nothing. */
int vacancy_legend(screen_ctx *ctx, SDL_Rect row, bool measure_only);

#endif
