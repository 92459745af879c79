/* window: the real (SDL window) and headless (SDL surface) backends, the
 * screenshot writer and the loop's frame bookkeeping. Must never fail
 * silently: a kiosk that shows a black screen must say why in the log. */
#include "ui/window.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL_image.h>

#include "ui/ui_log.h"

/* Without an event source SDL can block on, waiting means polling; this is
 * the nap between polls (worst-case latency for a touch, a signal or a
 * pushed event). SDL's own fallback naps 1 ms: ~2% of a core when idle. */
#define POLL_NAP_MS 10

typedef struct window_backend {
    const char *name;
    int (*open)(ui_window *w, const ui_window_options *o);
    void (*close)(ui_window *w);
    int (*wait)(ui_window *w, SDL_Event *ev, int timeout_ms);
    void (*present)(ui_window *w);
} window_backend;

struct ui_window {
    const window_backend *backend;
    Uint32 subsystems;    /* SDL_INIT_* flags this window initialised */
    SDL_Window *window;   /* real */
    SDL_Surface *surface; /* headless */
    SDL_Renderer *renderer;
    int width, height;
    unsigned changes;
    bool native_wait; /* real: the video driver can block in SDL_WaitEventTimeout */
};

/* Pump, peek, nap: for drivers (and the headless backend) that cannot block. */
static int poll_wait(SDL_Event *ev, int timeout_ms)
{
    Uint64 start = SDL_GetTicks64();
    for (;;) {
        SDL_PumpEvents(); /* also delivers pending signals as SDL_QUIT */
        int n = SDL_PeepEvents(ev, 1, SDL_GETEVENT, SDL_FIRSTEVENT, SDL_LASTEVENT);
        if (n != 0)
            return n > 0 ? 1 : 0;
        if (timeout_ms == 0)
            return 0;
        Uint32 nap = POLL_NAP_MS;
        if (timeout_ms > 0) {
            Uint64 elapsed = SDL_GetTicks64() - start;
            if (elapsed >= (Uint64)timeout_ms)
                return 0;
            if ((Uint64)timeout_ms - elapsed < nap)
                nap = (Uint32)((Uint64)timeout_ms - elapsed);
        }
        SDL_Delay(nap);
    }
}

/* ---- real: an SDL window and renderer ---------------------------------- */

static void log_video_drivers(void)
{
    char list[256] = "";
    size_t used = 0;
    int n = SDL_GetNumVideoDrivers();
    for (int i = 0; i < n && used < sizeof list; i++) {
        int k =
            snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", SDL_GetVideoDriver(i));
        if (k < 0)
            break;
        used += (size_t)k;
    }
    UI_ERROR("window", "video drivers built into SDL: %s", n > 0 ? list : "(none)");
}

static int real_open(ui_window *w, const ui_window_options *o)
{
    /* An explicit driver beats $SDL_VIDEODRIVER (a plain hint would not). */
    if (o->video_driver && *o->video_driver)
        SDL_SetHintWithPriority(SDL_HINT_VIDEODRIVER, o->video_driver, SDL_HINT_OVERRIDE);
    /* A kiosk display must not minimise when a touch or a tool takes focus. */
    SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");

    const char *wanted = o->video_driver && *o->video_driver ? o->video_driver
                         : SDL_getenv("SDL_VIDEODRIVER")     ? SDL_getenv("SDL_VIDEODRIVER")
                                                             : "SDL's default";
    int init = SDL_InitSubSystem(SDL_INIT_VIDEO | SDL_INIT_EVENTS);
    SDL_ResetHint(SDL_HINT_VIDEODRIVER); /* the choice was for this window only */
    if (init != 0) {
        UI_ERROR("window", "cannot start SDL video (driver %s): %s", wanted, SDL_GetError());
        log_video_drivers();
        return -1;
    }
    w->subsystems = SDL_INIT_VIDEO | SDL_INIT_EVENTS;
    /* With no display SDL quietly falls back to a driver that shows nothing:
     * on a kiosk that is a blank screen with no error. Only when asked for. */
    const char *got = SDL_GetCurrentVideoDriver();
    bool asked = (o->video_driver && *o->video_driver) || SDL_getenv("SDL_VIDEODRIVER");
    if (!asked && got && (strcmp(got, "offscreen") == 0 || strcmp(got, "dummy") == 0)) {
        UI_ERROR("window",
                 "no display: SDL fell back to its '%s' driver, which shows nothing; "
                 "use --headless, or name the driver (--video-driver kmsdrm on the Pi)",
                 got);
        return -1;
    }

    bool fullscreen = o->width <= 0 || o->height <= 0;
    int width = o->width, height = o->height;
    Uint32 flags = SDL_WINDOW_SHOWN | SDL_WINDOW_ALLOW_HIGHDPI;
    if (fullscreen) {
        SDL_DisplayMode mode;
        if (SDL_GetDesktopDisplayMode(0, &mode) == 0) {
            width = mode.w;
            height = mode.h;
        } else {
            width = 1280;
            height = 720;
        }
        flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
    }
    w->window = SDL_CreateWindow(o->title ? o->title : "hiroba", SDL_WINDOWPOS_CENTERED,
                                 SDL_WINDOWPOS_CENTERED, width, height, flags);
    if (!w->window) {
        UI_ERROR("window", "cannot create a %dx%d%s window (driver %s): %s", width, height,
                 fullscreen ? " fullscreen" : "", SDL_GetCurrentVideoDriver(), SDL_GetError());
        return -1;
    }

    Uint32 rflags = o->software ? SDL_RENDERER_SOFTWARE : SDL_RENDERER_ACCELERATED;
    if (o->vsync)
        rflags |= SDL_RENDERER_PRESENTVSYNC;
    w->renderer = SDL_CreateRenderer(w->window, -1, rflags);
    if (!w->renderer && !o->software) {
        UI_WARN("window", "no accelerated renderer (%s); falling back to software", SDL_GetError());
        w->renderer = SDL_CreateRenderer(w->window, -1, SDL_RENDERER_SOFTWARE);
    }
    if (!w->renderer) {
        UI_ERROR("window", "cannot create a renderer (driver %s): %s", SDL_GetCurrentVideoDriver(),
                 SDL_GetError());
        return -1;
    }
    if (fullscreen)
        SDL_ShowCursor(SDL_DISABLE);
    if (SDL_GetRendererOutputSize(w->renderer, &w->width, &w->height) != 0) {
        w->width = width;
        w->height = height;
    }
    /* SDL 2.26 blocks for real only on these; elsewhere (kmsdrm, offscreen)
     * its wait is a 1 ms poll, so poll more gently ourselves. */
    static const char *const blocking[] = {"x11", "wayland", "windows", "cocoa"};
    const char *driver = SDL_GetCurrentVideoDriver();
    for (size_t i = 0; driver && i < sizeof blocking / sizeof blocking[0]; i++)
        w->native_wait = w->native_wait || SDL_strcasecmp(driver, blocking[i]) == 0;
    SDL_RendererInfo info;
    if (SDL_GetRendererInfo(w->renderer, &info) != 0)
        info.name = "?";
    UI_INFO("window", "%dx%d%s, video driver %s, renderer %s", w->width, w->height,
            fullscreen ? " fullscreen" : "", SDL_GetCurrentVideoDriver(), info.name);
    return 0;
}

static void real_close(ui_window *w)
{
    if (w->renderer)
        SDL_DestroyRenderer(w->renderer);
    if (w->window)
        SDL_DestroyWindow(w->window);
}

static int real_wait(ui_window *w, SDL_Event *ev, int timeout_ms)
{
    if (!w->native_wait)
        return poll_wait(ev, timeout_ms);
    if (timeout_ms < 0)
        return SDL_WaitEvent(ev) ? 1 : 0;
    return SDL_WaitEventTimeout(ev, timeout_ms) ? 1 : 0;
}

static void real_present(ui_window *w)
{
    SDL_RenderPresent(w->renderer);
}

static const window_backend real_backend = {
    .name = "real",
    .open = real_open,
    .close = real_close,
    .wait = real_wait,
    .present = real_present,
};

/* ---- headless: a surface and SDL's software renderer ------------------- */

static int headless_open(ui_window *w, const ui_window_options *o)
{
    if (o->width <= 0 || o->height <= 0) {
        UI_ERROR("window", "headless needs a size (got %dx%d)", o->width, o->height);
        return -1;
    }
    /* Events only: signals become SDL_QUIT and other threads may push. */
    if (SDL_InitSubSystem(SDL_INIT_EVENTS) != 0) {
        UI_ERROR("window", "cannot start SDL events: %s", SDL_GetError());
        return -1;
    }
    w->subsystems = SDL_INIT_EVENTS;
    /* XRGB: no alpha channel, so screenshots do not depend on how blending
     * treats destination alpha. */
    w->surface = SDL_CreateRGBSurfaceWithFormat(0, o->width, o->height, 32, SDL_PIXELFORMAT_RGB888);
    if (!w->surface) {
        UI_ERROR("window", "cannot allocate a %dx%d surface: %s", o->width, o->height,
                 SDL_GetError());
        return -1;
    }
    w->renderer = SDL_CreateSoftwareRenderer(w->surface);
    if (!w->renderer) {
        UI_ERROR("window", "cannot create the software renderer: %s", SDL_GetError());
        return -1;
    }
    w->width = o->width;
    w->height = o->height;
    UI_INFO("window", "%dx%d headless (software renderer, no video driver)", w->width, w->height);
    return 0;
}

static void headless_close(ui_window *w)
{
    if (w->renderer)
        SDL_DestroyRenderer(w->renderer);
    if (w->surface)
        SDL_FreeSurface(w->surface);
}

static int headless_wait(ui_window *w, SDL_Event *ev, int timeout_ms)
{
    (void)w;
    return poll_wait(ev, timeout_ms);
}

static void headless_present(ui_window *w)
{
    /* The surface is the picture; flushing the batch makes it final. */
    SDL_RenderFlush(w->renderer);
}

static const window_backend headless_backend = {
    .name = "headless",
    .open = headless_open,
    .close = headless_close,
    .wait = headless_wait,
    .present = headless_present,
};

/* ---- common ------------------------------------------------------------- */

ui_window *ui_window_create(const ui_window_options *opt)
{
    ui_window_options defaults = {0};
    if (!opt)
        opt = &defaults;
    if (opt->width < 0 || opt->height < 0 || opt->width > UI_WINDOW_MAX_SIDE ||
        opt->height > UI_WINDOW_MAX_SIDE || (opt->width == 0) != (opt->height == 0)) {
        UI_ERROR("window", "bad window size %dx%d (each side 1..%d, or 0x0 for fullscreen)",
                 opt->width, opt->height, UI_WINDOW_MAX_SIDE);
        return NULL;
    }
    ui_window *w = calloc(1, sizeof *w);
    if (!w) {
        UI_ERROR("window", "out of memory");
        return NULL;
    }
    w->backend = opt->headless ? &headless_backend : &real_backend;
    if (w->backend->open(w, opt) != 0)
        goto fail;
    return w;
fail:
    ui_window_destroy(w);
    return NULL;
}

void ui_window_destroy(ui_window *w)
{
    if (!w)
        return;
    w->backend->close(w);
    if (w->subsystems)
        SDL_QuitSubSystem(w->subsystems);
    free(w);
}

SDL_Renderer *ui_window_renderer(ui_window *w)
{
    return w->renderer;
}

void ui_window_size(const ui_window *w, int *width, int *height)
{
    if (width)
        *width = w->width;
    if (height)
        *height = w->height;
}

bool ui_window_is_headless(const ui_window *w)
{
    return w->backend == &headless_backend;
}

const char *ui_window_backend_name(const ui_window *w)
{
    return w->backend->name;
}

unsigned ui_window_take_changes(ui_window *w)
{
    unsigned c = w->changes;
    w->changes = 0;
    return c;
}

static void note_event(ui_window *w, const SDL_Event *ev)
{
    if (ev->type == SDL_WINDOWEVENT) {
        switch (ev->window.event) {
        case SDL_WINDOWEVENT_SIZE_CHANGED: {
            int width, height;
            if (SDL_GetRendererOutputSize(w->renderer, &width, &height) == 0 &&
                (width != w->width || height != w->height)) {
                w->width = width;
                w->height = height;
                w->changes |= UI_WINDOW_RESIZED | UI_WINDOW_EXPOSED;
            }
            break;
        }
        case SDL_WINDOWEVENT_EXPOSED:
        case SDL_WINDOWEVENT_SHOWN:
        case SDL_WINDOWEVENT_RESTORED:
            w->changes |= UI_WINDOW_EXPOSED;
            break;
        default:
            break;
        }
    } else if (ev->type == SDL_RENDER_TARGETS_RESET) {
        w->changes |= UI_WINDOW_EXPOSED;
    } else if (ev->type == SDL_RENDER_DEVICE_RESET) {
        w->changes |= UI_WINDOW_DEVICE_RESET | UI_WINDOW_EXPOSED;
    }
}

int ui_window_wait_event(ui_window *w, SDL_Event *ev, int timeout_ms)
{
    int got = w->backend->wait(w, ev, timeout_ms);
    if (got)
        note_event(w, ev);
    return got;
}

void ui_window_present(ui_window *w)
{
    w->backend->present(w);
}

int ui_window_screenshot(ui_window *w, const char *path)
{
    SDL_Surface *shot = NULL;
    char *tmp = NULL;
    if (!path || !*path) {
        UI_ERROR("window", "screenshot: no file name");
        return -1;
    }
    shot = SDL_CreateRGBSurfaceWithFormat(0, w->width, w->height, 24, SDL_PIXELFORMAT_RGB24);
    if (!shot) {
        UI_ERROR("window", "screenshot: cannot allocate %dx%d: %s", w->width, w->height,
                 SDL_GetError());
        goto fail;
    }
    if (SDL_RenderReadPixels(w->renderer, NULL, SDL_PIXELFORMAT_RGB24, shot->pixels, shot->pitch) !=
        0) {
        UI_ERROR("window", "screenshot: cannot read pixels: %s", SDL_GetError());
        goto fail;
    }
    size_t n = strlen(path) + sizeof ".part";
    tmp = malloc(n);
    if (!tmp) {
        UI_ERROR("window", "screenshot: out of memory");
        goto fail;
    }
    snprintf(tmp, n, "%s.part", path);
    if (IMG_SavePNG(shot, tmp) != 0) {
        UI_ERROR("window", "screenshot: cannot write %s: %s", path, SDL_GetError());
        remove(tmp);
        goto fail;
    }
    if (rename(tmp, path) != 0) {
        UI_ERROR("window", "screenshot: cannot rename %s to %s", tmp, path);
        remove(tmp);
        goto fail;
    }
    free(tmp);
    SDL_FreeSurface(shot);
    return 0;
fail:
    free(tmp);
    SDL_FreeSurface(shot);
    return -1;
}

/* ---- ui_frame ----------------------------------------------------------- */

void ui_frame_init(ui_frame *f)
{
    f->dirty = true;
    f->wake_at_ms = 0;
}

void ui_frame_begin_turn(ui_frame *f)
{
    f->wake_at_ms = 0;
}

void ui_frame_invalidate(ui_frame *f)
{
    f->dirty = true;
}

void ui_frame_wake_in(ui_frame *f, uint32_t ms)
{
    uint64_t at = SDL_GetTicks64() + ms;
    if (f->wake_at_ms == 0 || at < f->wake_at_ms)
        f->wake_at_ms = at;
}

int ui_frame_timeout_ms(const ui_frame *f)
{
    if (f->dirty)
        return 0;
    if (f->wake_at_ms == 0)
        return -1;
    uint64_t now = SDL_GetTicks64();
    if (f->wake_at_ms <= now)
        return 0;
    uint64_t left = f->wake_at_ms - now;
    return left > INT32_MAX ? INT32_MAX : (int)left;
}

bool ui_frame_take_dirty(ui_frame *f)
{
    bool d = f->dirty;
    f->dirty = false;
    return d;
}
