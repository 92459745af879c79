/* boards: the two live boards, the counter queue (窓口の混雑状況, queue.c)
 * and the facility vacancies (施設の空き状況, vacancy.c), as drawing parts
 * that either a touch screen (queue_screen_ops, vacancy_screen_ops) or the
 * signage loop (a pack item of kind MODEL_ITEM_BOARD) places in a rectangle.
 *
 * A board reads ctx->feeds afresh on every call and keeps no pointer into a
 * snapshot: what it must remember across snapshots (the numbers it showed,
 * to highlight the ones that changed) it copies. It never blocks: QR codes
 * are made once per URL and size, everything else is text and rectangles.
 *
 * Two looks, chosen at create:
 *  - touch (signage false): the screen's chrome carries the title; the
 *    board registers its targets in the kit_ui it is given (page arrows,
 *    day tabs, rows) and the vacancy rows scroll;
 *  - signage (true): the board draws its own heading, has no targets, and
 *    pages that do not fit turn by themselves (BOARDS_PAGE_MS). */
#ifndef HIROBA_APP_SCREENS_BOARDS_H
#define HIROBA_APP_SCREENS_BOARDS_H

#include <stdbool.h>
#include <stdint.h>

#include <SDL.h>

#include "app/screens/kit.h"
#include "app/screens/screen.h"

/* A number that changed stays highlighted this long (the last
 * BOARDS_FADE_MS of it fading back). */
#define BOARDS_HIGHLIGHT_MS 3000
#define BOARDS_FADE_MS      600
/* Pages that do not fit turn by themselves this often. */
#define BOARDS_PAGE_MS 8000

/* Ids the boards register (>= 0, below the screens' own). */
enum {
    BOARDS_ID_PREV = 1000,             /* the previous page */
    BOARDS_ID_NEXT,                    /* the next page */
    BOARDS_ID_DAY,                     /* + day 0..7: the vacancy board's day tabs */
    BOARDS_ID_ROW = BOARDS_ID_DAY + 8, /* + row index: a vacancy row */
};

/* ---- the counter queue (queue.c) ---- */

typedef struct boards_queue boards_queue;

/* NULL (logged) when out of memory. */
boards_queue *boards_queue_create(bool in_signage);
/* NULL is a no-op. */
void boards_queue_destroy(boards_queue *b);
/* Every loop turn (cheap): notices a new snapshot (a counter, matched by id,
 * whose number now serving changed is highlighted from ctx->now_ms), turns
 * pages on time, and declares the frames it needs (ui_frame_wake_in for the
 * next change, never a busy redraw). */
void boards_queue_update(boards_queue *b, screen_ctx *ctx);
/* Draws the board in area. ui may be NULL (no targets: signage). */
void boards_queue_draw(boards_queue *b, screen_ctx *ctx, kit_ui *ui, SDL_Rect area);
/* Turns delta pages (wrapping), restarting the page's time. */
void boards_queue_turn(boards_queue *b, screen_ctx *ctx, int delta);
/* The page showing (0-based) and how many there were at the last draw. */
int boards_queue_page(const boards_queue *b, int *n_pages);

/* ---- the facility vacancies (vacancy.c) ---- */

typedef struct boards_vacancy boards_vacancy;

boards_vacancy *boards_vacancy_create(bool in_signage);
void boards_vacancy_destroy(boards_vacancy *b);
/* Every loop turn: turns pages (signage), moves the scroll (touch), and
 * declares the frames it needs. */
void boards_vacancy_update(boards_vacancy *b, screen_ctx *ctx);
/* Draws the board for ctx->session->vacancy_day (signage: today) in area.
 * ui may be NULL. */
void boards_vacancy_draw(boards_vacancy *b, screen_ctx *ctx, kit_ui *ui, SDL_Rect area);
/* Acts on an id the board registered (a day tab, a row, a page arrow).
 * Returns true when it was the board's. */
bool boards_vacancy_handle(boards_vacancy *b, screen_ctx *ctx, int id);
/* The room whose QR code shows on touch screens (an index into
 * ctx->feeds->vacancy's facilities: the one tapped, else the first with a
 * reservation URL), or -1. */
int boards_vacancy_selected(const boards_vacancy *b, const screen_ctx *ctx);
/* The page showing and how many there were at the last draw (signage). */
int boards_vacancy_page(const boards_vacancy *b, int *n_pages);

#endif
