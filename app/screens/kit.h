/* kit: what the touch kiosk's screens share, so that every screen looks and
 * behaves the same: the theme (colours with contrast >= 4.5:1 for every text
 * pair, told apart by shape and text as well as colour), metrics in
 * proportion to the screen (touch targets >= 15 mm, text larger with the
 * session's large-text switch), text drawing through the cache and atlas in
 * the right fonts for the text's language, pointer handling for touch and
 * mouse alike (press with a visible pressed state, release to activate,
 * drag to scroll with inertia), the chrome every touch screen has (header
 * with title and clock; a bar with back, home, language, furigana and
 * large-text buttons; the language picker), QR codes (libqrencode) and the
 * feed time stamp with its "may be out of date" badge.
 *
 * Immediate mode: a screen's draw adds hit regions as it draws (kit_ui
 * keeps them), and its event handler resolves pointers against the regions
 * of the last frame drawn. No global state. */
#ifndef HIROBA_APP_SCREENS_KIT_H
#define HIROBA_APP_SCREENS_KIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <SDL.h>

#include "app/screens/screen.h"
#include "ui/text/layout.h"

#define KIT_LARGE_SCALE   1.35f /* the large-text switch */
#define KIT_MIN_TARGET_MM 15.0f
#define KIT_MAX_HITS      128
#define KIT_NONE          (-1) /* no hit */

/* Ids the chrome uses; screens use ids >= 0 for their own targets. */
enum {
    KIT_ID_BACK = -100,
    KIT_ID_HOME,
    KIT_ID_LANG,     /* opens the language picker */
    KIT_ID_FURIGANA, /* toggles session->furigana */
    KIT_ID_LARGE,    /* toggles session->large_text */
    KIT_ID_PICKER_CLOSE,
    KIT_ID_LANG_PICK, /* + model_lang: KIT_ID_LANG_PICK + MODEL_LANG_EN ... */
    KIT_ID_LANG_PICK_LAST = KIT_ID_LANG_PICK + MODEL_LANG_COUNT - 1,
};

/* ---- theme ---- */

typedef struct kit_theme {
    SDL_Color paper, ink, muted;         /* page, body text, secondary text */
    SDL_Color band, band_ink;            /* header and bar */
    SDL_Color tile, tile_ink, tile_edge; /* buttons and tiles */
    SDL_Color pressed, pressed_ink;      /* a target under a finger */
    SDL_Color on, on_ink;                /* a switch that is on */
    SDL_Color highlight, highlight_ink;  /* a number that just changed */
    SDL_Color free_bg, free_ink;         /* 空き: also a ○ and the word */
    SDL_Color booked_bg, booked_ink;     /* 予約済み: also a × and the word */
    SDL_Color closed_bg, closed_ink;     /* 休館: also a － and the word, hatched */
    SDL_Color warn_bg, warn_ink;         /* "may be out of date" */
} kit_theme;

const kit_theme *kit_theme_get(void);
/* Lowest WCAG contrast over every (text, background) pair the theme defines
 * (tests hold it to >= 4.5). */
double kit_theme_min_contrast(void);

/* ---- metrics ---- */

typedef struct kit_metrics {
    int text_px;  /* body text, large_text applied */
    int title_px; /* headings */
    int small_px; /* stamps, labels; never below 24 px on 1080p */
    int gap;      /* spacing */
    int target;   /* smallest touch target side: >= 15 mm at ctx->px_per_mm */
    int header_h; /* top band */
    int bar_h;    /* bottom bar (touch kiosks) */
    int radius;   /* corner radius */
} kit_metrics;

kit_metrics kit_metrics_get(const screen_ctx *ctx);

/* ---- text ---- */

/* The font chain for a content language (ja-easy -> ja). */
text_lang kit_text_lang(model_lang lang);

/* A text style for lang at size_px: furigana per the session (always for
 * ja-easy, never for en/zh/ko), markup on. */
text_style kit_style(const screen_ctx *ctx, model_lang lang, int size_px, text_weight weight,
                     text_align align, int max_lines);
/* Lays out (through ctx->cache) and returns the layout, borrowed until the
 * cache's next trim; NULL when out of memory. */
const text_layout *kit_layout(screen_ctx *ctx, const char *utf8, const text_style *style,
                              int width_px);
/* Lays out and draws utf8 at (x, y) in a box width_px wide. Returns the
 * height drawn (0 for an empty text). */
int kit_text(screen_ctx *ctx, const char *utf8, const text_style *style, int x, int y, int width_px,
             SDL_Color color);
/* A catalog string (catalog_get with the session's language, in the font of
 * the language it came from) drawn like kit_text. */
int kit_ui_text(screen_ctx *ctx, const char *key, int size_px, text_weight weight, text_align align,
                int x, int y, int width_px, SDL_Color color);
/* catalog_get for the session's language (the key when there is no catalog). */
const char *kit_str(const screen_ctx *ctx, const char *key);

/* ---- pointer: touch and mouse alike ---- */

typedef enum kit_pointer_kind {
    KIT_POINTER_NONE,
    KIT_POINTER_DOWN,
    KIT_POINTER_MOVE,
    KIT_POINTER_UP,
} kit_pointer_kind;

typedef struct kit_pointer {
    kit_pointer_kind kind;
    int x, y; /* output pixels */
} kit_pointer;

/* Finger events (normalised coordinates scaled to ctx->width/height) and
 * mouse button/motion events (motion only with the left button down) as one
 * kind of pointer; mouse events SDL synthesises from touch are ignored, so
 * nothing happens twice. Anything else: KIT_POINTER_NONE. */
kit_pointer kit_pointer_from_event(const screen_ctx *ctx, const SDL_Event *ev);

/* Vertical scrolling with a finger or mouse drag, and inertia after a fling. */
typedef struct kit_scroll {
    int offset;    /* px scrolled, 0 .. max(0, content_h - view_h) */
    int content_h; /* set by the screen when it lays out */
    int view_h;
    float velocity; /* px per ms while flinging */
    int64_t last_ms;
} kit_scroll;

typedef struct kit_hit {
    SDL_Rect rect;
    int id;
    bool in_scroll; /* the rect moves with the scroll offset (drawn scrolled) */
} kit_hit;

typedef struct kit_ui {
    kit_hit hits[KIT_MAX_HITS];
    size_t n_hits;
    int pressed; /* id under a finger that has not moved, or KIT_NONE */
    int down_x, down_y, last_y;
    bool down, dragging;
    kit_scroll *scroll; /* the scrollable area, NULL: none */
    SDL_Rect scroll_rect;
    bool picker_open; /* the language picker is showing */
} kit_ui;

void kit_ui_init(kit_ui *ui);
/* Start of a draw: forgets last frame's hit regions. */
void kit_ui_begin(kit_ui *ui);
/* Registers a target drawn at rect (ids: >= 0, or the KIT_ID_* above). */
void kit_ui_hit(kit_ui *ui, SDL_Rect rect, int id);
/* The scrollable area for this frame (rect on screen); hits added with
 * kit_ui_hit_scrolled are in content coordinates and move with it. */
void kit_ui_set_scroll(kit_ui *ui, kit_scroll *scroll, SDL_Rect rect);
void kit_ui_hit_scrolled(kit_ui *ui, SDL_Rect content_rect, int id);
/* Feeds an event in. Returns the id activated (a press released on the
 * same target without a drag), or KIT_NONE. Press, release and drag
 * invalidate ctx->frame; a drag beyond the slop (a third of a target)
 * cancels the press and scrolls; a release with speed starts inertia. While
 * the picker is open only its targets are live. */
int kit_ui_event(kit_ui *ui, screen_ctx *ctx, const SDL_Event *ev);
/* Inertia: moves the scroll, declares the next frame (wake_in) while it
 * moves. Call from the screen's update. */
void kit_ui_update(kit_ui *ui, screen_ctx *ctx);
bool kit_ui_pressed(const kit_ui *ui, int id);

/* ---- widgets ---- */

typedef enum kit_button_style {
    KIT_BUTTON,      /* a labelled button */
    KIT_BUTTON_TILE, /* a large home tile (label, optional icon above it) */
    KIT_BUTTON_SWITCH_OFF,
    KIT_BUTTON_SWITCH_ON,
} kit_button_style;

/* Draws a target with its label (content text in lang; markup allowed) and
 * registers it. Pressed targets draw in the pressed colours. icon may be
 * NULL. Text that would not fit shrinks a step, then wraps, never clips. */
void kit_button(screen_ctx *ctx, kit_ui *ui, int id, SDL_Rect rect, const char *label,
                model_lang lang, kit_button_style style, SDL_Texture *icon);

/* The chrome flags. */
#define KIT_CHROME_BACK 0x1u /* a back button in the bar */
#define KIT_CHROME_HOME 0x2u /* a home button in the bar */

/* Draws the header (title in title_lang, facility name, clock) and, on a
 * touch kiosk, the bar (back/home as flags say, language, furigana, large
 * text), plus the language picker when open. Returns the content area left
 * between them. */
SDL_Rect kit_chrome(screen_ctx *ctx, kit_ui *ui, const char *title, model_lang title_lang,
                    unsigned flags);
/* While the language picker is open, kit_chrome draws it (over a dimmed
 * screen) and then clips the rest of the frame's drawing away, so content a
 * screen draws after the chrome never covers the modal; the router lifts the
 * clip before every draw. */
/* Call last in a screen's draw (optional, cheap): lifts the picker's clip
 * and draws the open picker on top of anything drawn past the clip (a
 * screen that set a clip rect of its own). No-op when the picker is shut. */
void kit_chrome_overlay(screen_ctx *ctx, kit_ui *ui);
/* The content area kit_chrome will return, without drawing (layout). */
SDL_Rect kit_chrome_content(const screen_ctx *ctx);
/* Acts on the chrome's ids: home -> screen_go(home), language picker open /
 * pick / close, furigana and large-text toggles (invalidate, count). Returns
 * true when it handled id; KIT_ID_BACK is left to the screen (false). */
bool kit_chrome_handle(screen_ctx *ctx, kit_ui *ui, int id);

/* A QR code for text (a URL) as a texture side x side px (quiet zone of 4
 * modules included, modules whole pixels, black on white), or NULL (logged)
 * when it cannot be made. Caller destroys. */
SDL_Texture *kit_qr_texture(SDL_Renderer *r, const char *text, int max_side, int *side);

/* Feed time stamp: "更新 10:03" (catalog "feed.updated", in the pack's zone)
 * in box; when stale (kit_feed_stale) a badge "情報が古い可能性があります"
 * (catalog "feed.stale") in the warn colours with an icon. Returns the
 * height drawn. */
int kit_feed_stamp(screen_ctx *ctx, SDL_Rect box, int64_t updated_sec, const hub_feed_status *st,
                   uint32_t stale_s);
/* True when the data, written at updated_sec, is older than stale_s at the
 * clock's now (or the feed is failing and its data is older than stale_s). */
bool kit_feed_stale(const screen_ctx *ctx, int64_t updated_sec, const hub_feed_status *st,
                    uint32_t stale_s);

/* A picture from the pack (media m) scaled to fit max_w x max_h, as a
 * texture (caller destroys), or NULL when unavailable. Decoded on the
 * calling thread: screens call it once per page, not per frame. */
SDL_Texture *kit_media_texture(screen_ctx *ctx, const model_media *m, int max_w, int max_h);

#endif
