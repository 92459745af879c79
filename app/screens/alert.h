/* alert (screens): emergency alerts on screen, drawn by the router over
 * whatever screen is current. Not a screen of its own: it has no place in
 * the screens' table and nothing can navigate to it or away from it; it is
 * there whenever ctx->alerts holds a live entry.
 *
 *   takeover  a full-screen alert (alert_decision.full_screen) is drawn
 *             INSTEAD of the screen, and takes every pointer event: a very
 *             large headline, what to do in a panel that stands out from
 *             everything but the headline, the area, the shelters, issued
 *             time and sender, expiry, a QR code to the city's page, and on
 *             a touch kiosk a language button and next / previous when
 *             several alerts are live (a plain display cycles through them).
 *   banner    any other alert: a strip over the top of the screen (over its
 *             header, never over the bar's buttons); a tap opens the same
 *             full view with a close button.
 * Drills (Exercise) carry a 訓練 / DRILL band on every view.
 *
 * Text comes from the info block in the session's language, else the
 * alert's Japanese block, else the block the state chose. Colours: every
 * text pair >= 4.5:1, headline and instruction >= 7:1 (WCAG AAA), checked
 * by alert_overlay_min_contrast. Long texts shrink a step, then wrap; when
 * the view is still too full the description is cut with "…" (never the
 * instruction) and a long shelter list ends with "N more".
 *
 * The overlay never keeps a pointer into a snapshot past the call that was
 * given it: it remembers the alert it shows by sender and identifier. It
 * logs each alert once when first drawn: LOG_WARN "alert" "showing ...". */
#ifndef HIROBA_APP_SCREENS_ALERT_H
#define HIROBA_APP_SCREENS_ALERT_H

#include <stdbool.h>

#include <SDL.h>

#include "app/screens/screen.h"

/* A plain display (no touch) shows each of several live alerts this long. */
#define ALERT_OVERLAY_ROTATE_MS 12000

typedef struct alert_overlay alert_overlay;

/* Returns NULL (logged) when out of memory. */
alert_overlay *alert_overlay_create(void);
/* NULL-safe. Frees the QR texture: call before the renderer goes. */
void alert_overlay_destroy(alert_overlay *o);

/* Whether a full-screen alert is live in ctx->alerts at ctx->now_ms (the
 * takeover; it interrupts sessions and holds video). */
bool alert_overlay_takeover(const screen_ctx *ctx);
/* Whether the overlay covers the whole screen now: a takeover, or the full
 * view a resident opened from a banner. The router then draws the overlay
 * instead of the screen and gives it every event. */
bool alert_overlay_covers(const alert_overlay *o, const screen_ctx *ctx);

/* Every loop turn, after the screen's update: notices a new snapshot, an
 * alert ending (expiry), rotates on a plain display, closes what an idle
 * session left open, and declares the next wake-up (the earliest expiry of
 * the live entries) so an expired alert disappears on time without a busy
 * loop. Invalidates ctx->frame when the picture changes. */
void alert_overlay_update(alert_overlay *o, screen_ctx *ctx);
/* Forgets the language picker, the open view and a press in progress (the
 * router calls it when a takeover starts or ends). */
void alert_overlay_reset(alert_overlay *o);

/* Offers an event. Covering: the overlay takes it (returns true for a
 * pointer event, false for others, which the screen must not get either).
 * Banner: returns true for a pointer that went down on the banner (and
 * the rest of its gesture); false means the screen may have it. */
bool alert_overlay_event(alert_overlay *o, screen_ctx *ctx, const SDL_Event *ev);

/* Draws: the full view when covering (the whole picture), else the banner
 * over the top of what the screen drew, else nothing. */
void alert_overlay_draw(alert_overlay *o, screen_ctx *ctx);

/* Lowest contrast over every text colour of the alert palettes and the
 * background it is drawn on; with aaa_only, only the headline and the
 * instruction (held to >= 7). */
double alert_overlay_min_contrast(bool aaa_only);

#endif
