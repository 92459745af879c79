/* golden: compares a rendered PNG with a reference PNG, with tolerance for
 * the small differences compilers and sanitizers make in anti-aliasing.
 * A pixel differs when any channel differs by more than
 * GOLDEN_CHANNEL_TOLERANCE; the images match when their sizes are equal and
 * at most GOLDEN_MAX_FRACTION of the pixels differ. Test-only code: never
 * linked into the kiosk. */
#ifndef HIROBA_TESTS_SCREENS_GOLDEN_H
#define HIROBA_TESTS_SCREENS_GOLDEN_H

#include <stdbool.h>
#include <stddef.h>

#include <SDL.h>

#define GOLDEN_CHANNEL_TOLERANCE 24
#define GOLDEN_MAX_FRACTION      0.0005

typedef struct golden_result {
    bool same_size;
    int width, height;         /* the actual image */
    int ref_width, ref_height; /* the reference */
    size_t differing;          /* pixels beyond the channel tolerance */
    size_t total;
    bool match;
} golden_result;

/* Compares two surfaces of any pixel format (alpha ignored). If diff_out is
 * not NULL and the sizes match, *diff_out receives a new surface (caller
 * frees): the reference faded to grey, differing pixels in red.
 * Returns 0, or -1 if a conversion fails. */
int golden_compare(SDL_Surface *actual, SDL_Surface *ref, golden_result *out,
                   SDL_Surface **diff_out);

/* The test's check: actual_png against ref_png. With HIROBA_UPDATE_GOLDEN=1
 * the reference is rewritten from actual_png instead (returns 0). On a
 * mismatch writes <out_dir>/<ref name>.actual.png and .diff.png, prints
 * their paths and the numbers on stderr. Returns 0 on a match, -1 otherwise
 * (also when either file cannot be read). */
int golden_check(const char *actual_png, const char *ref_png, const char *out_dir);

#endif
