/* childcare: the child-care pages (子育て支援) of a touch kiosk. A menu of the
 * pack's categories as large tiles, a category's pages as large buttons, and
 * a page: its title and paragraphs (furigana per the session), a picture, a
 * clip played muted in a box with a play/pause button, and QR codes to go on
 * reading on a phone. Long pages scroll by swipe with inertia and say that
 * there is more below. Back and home are always there.
 * The place (category and page ids) lives in the session, so a language or
 * text-size switch keeps it; an id a new pack no longer has falls back to
 * the menu. Pictures and codes are made once when a page opens; draw never
 * touches the disk. The functions below are for tests and previews. */
#ifndef HIROBA_APP_SCREENS_CHILDCARE_H
#define HIROBA_APP_SCREENS_CHILDCARE_H

#include <stdbool.h>
#include <stddef.h>

#include <SDL.h>

#include "app/screens/screen.h"

/* childcare_screen_ops (screen.h) enter returns a childcare *. */
typedef struct childcare childcare;

/* The screen's own touch targets (kit ids >= 0). */
#define CHILDCARE_ID_TILE 0    /* + category index: a tile of the menu */
#define CHILDCARE_ID_PAGE 1000 /* + page index: a button of a category's list */
#define CHILDCARE_ID_PLAY 2000 /* the video's play/pause */
#define CHILDCARE_ID_MORE 2001 /* "more below": scrolls down by most of a screen */

typedef enum childcare_view {
    CHILDCARE_MENU,     /* the categories (also: no pack, no categories) */
    CHILDCARE_CATEGORY, /* one category's pages */
    CHILDCARE_PAGE,
} childcare_view;

childcare_view childcare_current_view(const childcare *c);

/* Where target id (a CHILDCARE_ID_* or KIT_ID_*) was in the last frame
 * drawn, on screen (scrolled targets moved by the scroll). False when it
 * was not drawn, or is scrolled out of sight. */
bool childcare_target_rect(const childcare *c, int id, SDL_Rect *out);

/* The current view's scroll: offset 0 .. content_h - view_h. */
void childcare_scroll_state(const childcare *c, int *offset, int *content_h, int *view_h);

/* A text of the page as last drawn, in content coordinates (before
 * scrolling): its box, the width its widest line needs, and whether the
 * layout had to cut it. */
typedef struct childcare_text_box {
    SDL_Rect rect;
    int advance;
    bool truncated;
} childcare_text_box;

/* Copies up to cap of the open page's texts (title, paragraphs, QR labels)
 * as last drawn; returns how many there are. 0 when no page is shown. */
size_t childcare_page_texts(const childcare *c, childcare_text_box *out, size_t cap);

/* text (markup allowed, in lang) with word joiners (U+2060, glue.h) where a
 * line must not break: in Japanese, easy Japanese and Korean inside short
 * bracketed phrases (「ひろば」); in easy Japanese and Korean also inside
 * every run between spaces, except after 、。 and the like and before an
 * opening bracket, so lines break between phrases. {漢字|かんじ} groups
 * are kept whole. A new string (caller frees), or NULL when nothing needs
 * gluing (other languages; out of memory). Pure. */
char *childcare_glue(const char *text, model_lang lang);

/* How many breaks of l read badly in Japanese: a word split after a kanji
 * or inside a katakana word, お/ご left at a line's end, a sentence's last
 * syllables or a new sentence's first characters alone across a break, a
 * last line of four characters or fewer. */
int childcare_break_flaws(const text_layout *l);

#endif
