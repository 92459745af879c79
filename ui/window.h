/* window: where frames go. Two backends behind one small table:
 *   real      an SDL window and renderer (fullscreen desktop by default; on
 *             the Pi the app asks for the "kmsdrm" video driver);
 *   headless  no video driver at all: an SDL_Surface and a software renderer,
 *             deterministic pixels for tests, screenshots and display-less demos.
 * Plus ui_frame, the bookkeeping that lets the loop draw only when something
 * changed or animates, and otherwise sleep in ui_window_wait_event.
 * Never knows what is drawn; never draws by itself. */
#ifndef HIROBA_UI_WINDOW_H
#define HIROBA_UI_WINDOW_H

#include <stdbool.h>
#include <stdint.h>

#include <SDL.h>

typedef struct ui_window ui_window;

typedef struct ui_window_options {
    const char *title;        /* real: window title (NULL: "hiroba") */
    int width, height;        /* 0 x 0: real fullscreen desktop; headless needs both > 0 */
    bool headless;            /* the surface backend, no video driver */
    const char *video_driver; /* real: "kmsdrm", "x11", ... NULL: $SDL_VIDEODRIVER or SDL's pick */
    bool software;            /* real: use SDL's software renderer */
    bool vsync;               /* real: present in step with the display */
} ui_window_options;

#define UI_WINDOW_MAX_SIDE 8192

/* Initialises the SDL subsystems it needs (released again by destroy; main
 * calls SDL_Quit at the very end). Returns NULL and logs why, including
 * SDL_GetError and the video drivers SDL knows, on failure. */
ui_window *ui_window_create(const ui_window_options *opt);
void ui_window_destroy(ui_window *w);

/* Borrowed until destroy. */
SDL_Renderer *ui_window_renderer(ui_window *w);
/* Output size in pixels (may exceed the window's logical size on HiDPI). */
void ui_window_size(const ui_window *w, int *width, int *height);
bool ui_window_is_headless(const ui_window *w);
const char *ui_window_backend_name(const ui_window *w);

/* What happened to the window since the last call (bit set, cleared by the
 * call). RESIZED: read ui_window_size again and lay out anew. EXPOSED: the
 * picture was lost (redraw). DEVICE_RESET: textures were lost (re-upload
 * them, e.g. recreate the glyph atlas). */
enum {
    UI_WINDOW_RESIZED = 1u << 0,
    UI_WINDOW_EXPOSED = 1u << 1,
    UI_WINDOW_DEVICE_RESET = 1u << 2,
};
unsigned ui_window_take_changes(ui_window *w);

/* Waits until an event arrives (returns 1, *ev filled) or timeout_ms passes
 * (returns 0). timeout_ms < 0 waits without limit, 0 only polls. Window
 * events are noted for ui_window_take_changes before being returned.
 * SIGINT and SIGTERM arrive as SDL_QUIT (SDL's signal handlers). The real
 * backend sleeps in SDL_WaitEventTimeout where the video driver can block
 * (x11, wayland); elsewhere (kmsdrm, offscreen) and headless it polls with
 * 10 ms naps, so an idle kiosk stays well under 1% of a core. */
int ui_window_wait_event(ui_window *w, SDL_Event *ev, int timeout_ms);

/* Shows the frame drawn since the last present. */
void ui_window_present(ui_window *w);

/* Writes the current frame as an RGB PNG (via a temporary file renamed into
 * place, so a watcher never sees half a file). Call after drawing and before
 * ui_window_present: a real renderer's back buffer is undefined after it.
 * Returns 0, or -1 (logged) when reading pixels or writing fails. */
int ui_window_screenshot(ui_window *w, const char *path);

/* The loop's "do I need to draw?" bookkeeping. Every loop turn:
 *   ui_frame_begin_turn(f);                 forget last turn's wake-ups
 *   ... update: ui_frame_invalidate() when the picture changed,
 *       ui_frame_wake_in(ms) for a future change (a clock's next minute,
 *       the next animation step) ...
 *   if (ui_frame_take_dirty(f)) draw + present;
 *   ui_window_wait_event(w, &ev, ui_frame_timeout_ms(f));
 * A static screen thus sleeps until an event or its next declared change. */
typedef struct ui_frame {
    bool dirty;
    uint64_t wake_at_ms; /* SDL_GetTicks64 deadline; 0: none this turn */
} ui_frame;

void ui_frame_init(ui_frame *f); /* starts dirty: the first frame is drawn */
void ui_frame_begin_turn(ui_frame *f);
void ui_frame_invalidate(ui_frame *f);
/* Asks to be woken in ms; the earliest request of the turn wins. */
void ui_frame_wake_in(ui_frame *f, uint32_t ms);
/* How long the loop may block: 0 if dirty, -1 if nothing is due. */
int ui_frame_timeout_ms(const ui_frame *f);
/* Returns whether to draw now, and clears the flag. */
bool ui_frame_take_dirty(ui_frame *f);

#endif
