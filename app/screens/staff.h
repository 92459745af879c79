/* staff: the staff view, for city staff at the kiosk with no one there who
 * knows Linux. A hidden gesture opens a PIN pad (staff_pin.c); the right PIN
 * opens a status page (staff.c) with the kiosk's id, versions, last sync,
 * feed ages, alerts, network addresses, free disk and recent problems, and
 * buttons to sync now, restart and close.
 *
 * The gesture: one finger (or the mouse button) held still for
 * STAFF_HOLD_MS (5 s) in the top-left corner, a square one touch target
 * wide (>= 15 mm), with no other finger on the screen. Chosen over "five
 * taps in a corner" because children tap corners and repeat taps, while a
 * still five-second press on a spot that is no button (the header's edge)
 * is something no screen asks of a resident; a second finger, a drag or
 * lifting early cancels it. It only opens the PIN pad: the PIN is the lock.
 * The router watches events for it before the current screen sees them (the
 * screen still gets them: a resident's press works as before) and opens the
 * pad when the hold completes. With no valid staff_pin configured nothing
 * opens at all.
 *
 * Nothing of the status page is reachable without the PIN: it refuses to be
 * entered unless the PIN pad set ctx->staff->unlocked, and clears it when
 * it leaves. Both staff screens close by themselves after the idle time
 * (the session's, or STAFF_IDLE_MS on a kiosk without one) and on "Close",
 * back to the idle screen with the session reset. They speak the kiosk's
 * configured language (staff are not the last resident). */
#ifndef HIROBA_APP_SCREENS_STAFF_H
#define HIROBA_APP_SCREENS_STAFF_H

#include <stdbool.h>
#include <stdint.h>

#include <SDL.h>

#include "app/screens/screen.h"

#define STAFF_HOLD_MS    5000
#define STAFF_IDLE_MS    60000 /* when the session has no idle time of its own */
#define STAFF_REFRESH_MS 5000
#define STAFF_CONFIRM_MS 5000 /* restart asks for a second press within this */

typedef struct staff_gesture {
    bool armed;          /* a hold in the corner is under way */
    bool mouse;          /* ... by the mouse (else by finger) */
    SDL_FingerID finger; /* the finger holding */
    int64_t since_ms;    /* ctx->now_ms when it began */
    int x0, y0;          /* where, in output pixels */
    int fingers;         /* fingers on the screen now */
} staff_gesture;

/* The corner square, in output pixels. */
SDL_Rect staff_corner(const screen_ctx *ctx);
/* Follows an input event. Never uses it up. */
void staff_gesture_event(staff_gesture *g, const screen_ctx *ctx, const SDL_Event *ev);
/* True, once, when the hold has lasted STAFF_HOLD_MS; until then declares
 * the wake-up for that moment (the finger does not move, so no event
 * comes). */
bool staff_gesture_due(staff_gesture *g, screen_ctx *ctx);

/* Whether ops is one of the staff screens (the router neither reopens the
 * pad over them nor counts them as resident use). */
bool staff_screen(const screen_ops *ops);

/* The PIN pad and the status page. Entering the pad with no valid PIN
 * configured, or the page without the pad's unlock, fails (logged). The pad
 * also takes a keyboard's digits, Backspace, Enter and Escape (staff with a
 * USB keyboard). */
extern const screen_ops staff_pin_screen_ops;
extern const screen_ops staff_status_screen_ops;

/* Where things are (the screens draw them there; tests tap there). */
enum { STAFF_KEY_CLEAR = 10, STAFF_KEY_OK, STAFF_KEY_CLOSE }; /* 0..9: the digits */
SDL_Rect staff_pin_key_rect(const screen_ctx *ctx, int key);
enum { STAFF_BTN_SYNC, STAFF_BTN_RESTART, STAFF_BTN_CLOSE };
SDL_Rect staff_status_button_rect(const screen_ctx *ctx, int button);

/* For both staff screens (staff.c): back to the idle screen with the
 * session reset, and the page locked again. */
void staff_close(screen_ctx *ctx);
/* True when the staff screen has been idle long enough to close. */
bool staff_idle(screen_ctx *ctx);
/* The staff view's own header band with title; returns the area below. */
SDL_Rect staff_header(screen_ctx *ctx, const char *title, const char *right);
int staff_header_height(const screen_ctx *ctx);

#endif
