/* signage: the loop parents watch in a waiting room. A header band (the
 * facility and the time), the items the schedule says are on now, each for
 * its duration with a short crossfade, and a ticker of short notices along
 * the bottom. Landscape or portrait from one layout, never clipped text.
 * Draws only when something changes or moves. Never blocks on disk (images
 * are decoded on a helper thread) and never stops on bad media: an image or
 * video that fails is logged and skipped, and the loop goes on. */
#ifndef HIROBA_APP_SCREENS_SIGNAGE_H
#define HIROBA_APP_SCREENS_SIGNAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <SDL.h>

#include "app/core/model.h"
#include "app/screens/glue.h"
#include "app/screens/screen.h"

/* enter returns a signage * (below), the state the functions here take. */
extern const screen_ops signage_screen_ops;

typedef struct signage signage;

/* The crossfade between two items, ms. */
#define SIGNAGE_FADE_MS 400
/* Frame pacing while something moves (the ticker, a video, a fade), ms. */
#define SIGNAGE_FRAME_MS 16

/* The items of ctx->pack on at the screen's "now" (ctx->clock), in play
 * order: up to cap pointers (borrowed from the pack) into out. Returns how
 * many there are in all (may exceed cap). 0 without a pack. */
size_t signage_items(const signage *s, const screen_ctx *ctx, const model_item **out, size_t cap);

/* Shows item (which must belong to ctx->pack, on now or not) at once,
 * without a crossfade, and starts loading its media. The loop goes on from
 * there as if it had come to it. Returns 0, or -1 if item is not ctx->pack's. */
int signage_force_item(signage *s, screen_ctx *ctx, const model_item *item);

/* The item showing (while the next one loads, still the old one); when
 * nothing shows yet, the one coming in; or NULL. */
const model_item *signage_current(const signage *s);

/* Still mode, for previews and reference screenshots: items cut instead of
 * fading and the ticker rests at its start, so a frame depends only on the
 * clock and the content. */
void signage_set_still(signage *s, bool still);

/* Works the loop until the current item is ready to be seen (its picture
 * decoded, its clip's first frame shown) or cannot be, waiting at most
 * timeout_ms. Returns 0 when ready; 1 when shown without its picture (a
 * card; why says why); -1 when the item cannot be shown (why says why) and
 * -2 on timeout. why may be NULL. For tools and tests: the kiosk never waits. */
int signage_settle(signage *s, screen_ctx *ctx, int timeout_ms, char *why, size_t why_cap);

/* Lowest WCAG contrast ratio between any text colour the screen uses and the
 * background behind it (held to >= 4.5 by the tests). */
double signage_min_contrast(void);

/* The ticker's scroll position: how far (px, 0 .. period_px - 1) the text has
 * moved left after elapsed_ms at speed_px_s. Pure: a constant speed
 * whatever the frame rate, wrapping seamlessly every period_px. */
int signage_ticker_offset(int64_t elapsed_ms, int speed_px_s, int period_px);

/* How signage glues its texts (glue_text): a short bracketed phrase
 * (「ひろば」, （木）: up to 12 characters) is kept on one line, spaces and
 * all; {base|reading} groups are kept whole. The boards set Japanese so. */
extern const glue_opts signage_glue_rules;

/* Where an image of src_w x src_h goes in box: as large as fits, aspect kept
 * (letterboxed, never stretched), centred, and never enlarged more than
 * max_upscale times (0: no limit). Pure. */
SDL_Rect signage_fit_image(int src_w, int src_h, SDL_Rect box, double max_upscale);

#endif
