/* golden: tolerant PNG comparison for screen tests, and the reference
 * update switch. Must never rewrite a reference unless asked to. */
#include "tests/screens/golden.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL_image.h>

static SDL_Surface *to_rgb24(SDL_Surface *s)
{
    return SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_RGB24, 0);
}

int golden_compare(SDL_Surface *actual, SDL_Surface *ref, golden_result *out,
                   SDL_Surface **diff_out)
{
    memset(out, 0, sizeof *out);
    if (diff_out)
        *diff_out = NULL;
    out->width = actual->w;
    out->height = actual->h;
    out->ref_width = ref->w;
    out->ref_height = ref->h;
    out->same_size = actual->w == ref->w && actual->h == ref->h;
    if (!out->same_size)
        return 0;

    SDL_Surface *a = to_rgb24(actual), *r = to_rgb24(ref), *d = NULL;
    if (!a || !r)
        goto fail;
    if (diff_out) {
        d = SDL_CreateRGBSurfaceWithFormat(0, a->w, a->h, 24, SDL_PIXELFORMAT_RGB24);
        if (!d)
            goto fail;
    }
    out->total = (size_t)a->w * (size_t)a->h;
    for (int y = 0; y < a->h; y++) {
        const Uint8 *pa = (const Uint8 *)a->pixels + (size_t)y * a->pitch;
        const Uint8 *pr = (const Uint8 *)r->pixels + (size_t)y * r->pitch;
        Uint8 *pd = d ? (Uint8 *)d->pixels + (size_t)y * d->pitch : NULL;
        for (int x = 0; x < a->w; x++) {
            int worst = 0;
            for (int c = 0; c < 3; c++) {
                int delta = abs((int)pa[3 * x + c] - (int)pr[3 * x + c]);
                if (delta > worst)
                    worst = delta;
            }
            bool differs = worst > GOLDEN_CHANNEL_TOLERANCE;
            out->differing += differs;
            if (pd) {
                int grey = (pr[3 * x] + pr[3 * x + 1] + pr[3 * x + 2]) / 3;
                Uint8 faded = (Uint8)(192 + grey / 4);
                pd[3 * x] = differs ? 255 : faded;
                pd[3 * x + 1] = differs ? 0 : faded;
                pd[3 * x + 2] = differs ? 0 : faded;
            }
        }
    }
    out->match = (double)out->differing <= GOLDEN_MAX_FRACTION * (double)out->total;
    SDL_FreeSurface(a);
    SDL_FreeSurface(r);
    if (diff_out)
        *diff_out = d;
    return 0;
fail:
    SDL_FreeSurface(a);
    SDL_FreeSurface(r);
    SDL_FreeSurface(d);
    return -1;
}

/* <out_dir>/<basename of ref without .png><suffix> */
static void side_path(char *buf, size_t size, const char *out_dir, const char *ref_png,
                      const char *suffix)
{
    const char *base = strrchr(ref_png, '/');
    base = base ? base + 1 : ref_png;
    size_t n = strlen(base);
    if (n > 4 && strcmp(base + n - 4, ".png") == 0)
        n -= 4;
    snprintf(buf, size, "%s/%.*s%s", out_dir, (int)n, base, suffix);
}

int golden_check(const char *actual_png, const char *ref_png, const char *out_dir)
{
    int rc = -1;
    SDL_Surface *actual = NULL, *ref = NULL, *diff = NULL;
    actual = IMG_Load(actual_png);
    if (!actual) {
        fprintf(stderr, "golden: cannot read %s: %s\n", actual_png, IMG_GetError());
        goto out;
    }
    const char *update = getenv("HIROBA_UPDATE_GOLDEN");
    if (update && strcmp(update, "1") == 0) {
        if (IMG_SavePNG(actual, ref_png) != 0) {
            fprintf(stderr, "golden: cannot write %s: %s\n", ref_png, IMG_GetError());
            goto out;
        }
        fprintf(stderr, "golden: updated %s\n", ref_png);
        rc = 0;
        goto out;
    }
    ref = IMG_Load(ref_png);
    if (!ref) {
        fprintf(stderr,
                "golden: cannot read the reference %s (%s); render it with "
                "HIROBA_UPDATE_GOLDEN=1 and review it before committing\n",
                ref_png, IMG_GetError());
        goto out;
    }
    golden_result res;
    if (golden_compare(actual, ref, &res, &diff) != 0) {
        fprintf(stderr, "golden: cannot compare: %s\n", SDL_GetError());
        goto out;
    }
    if (res.match) {
        rc = 0;
        goto out;
    }
    char actual_out[4096], diff_out[4096];
    side_path(actual_out, sizeof actual_out, out_dir, ref_png, ".actual.png");
    side_path(diff_out, sizeof diff_out, out_dir, ref_png, ".diff.png");
    IMG_SavePNG(actual, actual_out);
    if (!res.same_size) {
        fprintf(stderr, "golden: %s is %dx%d but the reference %s is %dx%d\n", actual_png,
                res.width, res.height, ref_png, res.ref_width, res.ref_height);
        fprintf(stderr, "golden: actual: %s\n", actual_out);
        goto out;
    }
    if (diff)
        IMG_SavePNG(diff, diff_out);
    fprintf(stderr, "golden: %s differs from %s in %zu of %zu pixels (%.3f%%, limit %.3f%%)\n",
            actual_png, ref_png, res.differing, res.total, 100.0 * res.differing / res.total,
            100.0 * GOLDEN_MAX_FRACTION);
    fprintf(stderr, "golden: actual: %s\ngolden: diff:   %s\n", actual_out, diff_out);
out:
    SDL_FreeSurface(actual);
    SDL_FreeSurface(ref);
    SDL_FreeSurface(diff);
    return rc;
}
