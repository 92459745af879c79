/* signage_rig: the signage tests' shared fixture and driver (see the
 * header). Pictures are drawn here and saved as PNG, so no binary media is
 * kept in the repository. */
#include "tests/screens/signage_rig.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <SDL_image.h>

#include "app/core/clock.h"
#include "app/core/log.h"
#include "ui/text/atlas.h"
#include "ui/ui_log.h"

#ifndef HIROBA_TEST_OUT_DIR
#define HIROBA_TEST_OUT_DIR "."
#endif

const char *rig_source_dir(void)
{
    const char *s = getenv("HIROBA_SOURCE_DIR");
#ifdef HIROBA_SOURCE_DIR
    if (!s)
        s = HIROBA_SOURCE_DIR;
#endif
    return s ? s : ".";
}

/* ---- generated media ---- */

static void put_px(SDL_Surface *s, int x, int y, Uint32 c)
{
    if (x >= 0 && y >= 0 && x < s->w && y < s->h)
        ((Uint32 *)((Uint8 *)s->pixels + (size_t)y * s->pitch))[x] = c;
}

static void disc(SDL_Surface *s, int cx, int cy, int r, Uint32 c)
{
    for (int y = -r; y <= r; y++)
        for (int x = -r; x <= r; x++)
            if (x * x + y * y <= r * r)
                put_px(s, cx + x, cy + y, c);
}

static void box(SDL_Surface *s, int x, int y, int w, int h, Uint32 c)
{
    SDL_Rect r = {x, y, w, h};
    SDL_FillRect(s, &r, c);
}

static SDL_Surface *canvas(int w, int h)
{
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    assert_non_null(s);
    return s;
}

static Uint32 rgb(SDL_Surface *s, Uint32 hex)
{
    return SDL_MapRGBA(s->format, (Uint8)(hex >> 16), (Uint8)(hex >> 8), (Uint8)hex, 255);
}

static void save(SDL_Surface *s, const char *dir, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    assert_int_equal(IMG_SavePNG(s, path), 0);
    SDL_FreeSurface(s);
}

/* A landscape scene (sky, sun, hills), a portrait poster, a round logo. */
static void make_media(const char *dir)
{
    SDL_Surface *w = canvas(640, 360);
    box(w, 0, 0, 640, 360, rgb(w, 0xD8ECF7));
    disc(w, 500, 90, 50, rgb(w, 0xF2B33D));
    disc(w, 150, 420, 220, rgb(w, 0x5E9E6E));
    disc(w, 470, 460, 230, rgb(w, 0x4C8A5C));
    box(w, 270, 220, 60, 70, rgb(w, 0xB3541E));
    box(w, 260, 200, 80, 24, rgb(w, 0x7A3A12));
    save(w, dir, "wide.png");

    SDL_Surface *p = canvas(300, 420);
    box(p, 0, 0, 300, 420, rgb(p, 0xFFF4E0));
    box(p, 0, 0, 300, 90, rgb(p, 0xC0392B));
    disc(p, 150, 230, 90, rgb(p, 0xE67E22));
    disc(p, 150, 230, 50, rgb(p, 0xFFF4E0));
    box(p, 30, 360, 240, 30, rgb(p, 0x0F4C81));
    save(p, dir, "poster.png");

    SDL_Surface *l = canvas(64, 64);
    SDL_FillRect(l, NULL, SDL_MapRGBA(l->format, 0, 0, 0, 0));
    disc(l, 32, 32, 31, rgb(l, 0xFFFFFF));
    disc(l, 32, 32, 24, rgb(l, 0x2E8B57));
    save(l, dir, "logo.png");

    char path[512];
    snprintf(path, sizeof path, "%s/clip.mp4", dir); /* the null backend never reads it */
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs("not really a clip", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/broken.png", dir);
    f = fopen(path, "wb");
    assert_non_null(f);
    fputs("\x89PNG\r\n\x1a\n but then nothing that decodes", f);
    fclose(f);
}

static char *read_text(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = malloc(1 << 16);
    *len = buf ? fread(buf, 1, (1 << 16) - 1, f) : 0;
    fclose(f);
    if (buf)
        buf[*len] = '\0';
    return buf;
}

char *rig_read_source(const char *rel, size_t *len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", rig_source_dir(), rel);
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    size_t cap = 1u << 20;
    char *buf = malloc(cap + 1);
    *len = buf ? fread(buf, 1, cap, fp) : 0;
    fclose(fp);
    if (buf)
        buf[*len] = '\0';
    return buf;
}

int rig_fixture_init(struct fixture *f)
{
    *f = (struct fixture){0};
    ui_log_set_handler(log_ui_sink, NULL);
    f->log = tmpfile();
    if (!f->log)
        return -1;
    log_set_stream(f->log);
    log_set_dedup_window_ms(0); /* every line, so tests can look for them */
    f->fonts = text_fonts_load(text_fonts_default_ini());
    f->engine = f->fonts ? text_engine_create(f->fonts) : NULL;
    f->cache = f->engine ? text_cache_create(f->engine, 0) : NULL;
    if (!f->cache) {
        fprintf(stderr, "cannot load fonts from %s\n", text_fonts_default_ini());
        return -1;
    }
    snprintf(f->dir, sizeof f->dir, "%s", "/tmp/hiroba-signage-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    make_media(f->dir);
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/fixtures/pack-basic/pack.json", rig_source_dir());
    f->basic = read_text(path, &f->basic_len);
    if (!f->basic) {
        fprintf(stderr, "cannot read %s\n", path);
        return -1;
    }
    snprintf(path, sizeof path, "%s/assets/i18n", rig_source_dir());
    f->cat = catalog_load(path);
    f->queue_text = rig_read_source("schemas/examples/queue.json", &f->queue_len);
    f->vacancy_text = rig_read_source("schemas/examples/vacancy.json", &f->vacancy_len);
    feeds_errors errs;
    if (!f->cat || !f->queue_text || !f->vacancy_text ||
        feeds_queue_parse(f->queue_text, f->queue_len, NULL, &f->queue, &errs) != 0 ||
        feeds_vacancy_parse(f->vacancy_text, f->vacancy_len, NULL, &f->vacancy, &errs) != 0) {
        fprintf(stderr, "cannot load the catalogs or the example feeds\n");
        return -1;
    }
    return 0;
}

void rig_fixture_fini(struct fixture *f)
{
    static const char *const files[] = {"wide.png", "poster.png", "logo.png", "clip.mp4",
                                        "broken.png"};
    char path[512];
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", f->dir, files[i]);
        unlink(path);
    }
    rmdir(f->dir);
    free(f->basic);
    model_pack_destroy(f->pack);
    feeds_queue_destroy(f->queue);
    feeds_vacancy_destroy(f->vacancy);
    free(f->queue_text);
    free(f->vacancy_text);
    catalog_destroy(f->cat);
    text_cache_destroy(f->cache);
    text_engine_destroy(f->engine);
    text_fonts_destroy(f->fonts);
    log_set_stream(NULL);
    if (f->log)
        fclose(f->log);
    IMG_Quit();
    SDL_Quit();
}

int rig_group_setup(void **state)
{
    static struct fixture f;
    if (rig_fixture_init(&f) != 0)
        return -1;
    *state = &f;
    return 0;
}

int rig_group_teardown(void **state)
{
    rig_fixture_fini(*state);
    return 0;
}

void rig_log_rewind(struct fixture *f)
{
    fflush(f->log);
    rewind(f->log);
    if (ftruncate(fileno(f->log), 0) != 0)
        fail_msg("cannot truncate the log capture");
    log_reset();
    log_set_dedup_window_ms(0);
}

bool rig_log_contains(struct fixture *f, const char *needle)
{
    char line[2048];
    bool found = false;
    fflush(f->log);
    rewind(f->log);
    while (fgets(line, sizeof line, f->log))
        found = found || strstr(line, needle) != NULL;
    fseek(f->log, 0, SEEK_END);
    return found;
}

model_pack *rig_parse(const char *text, enum pack_json_mode mode)
{
    model_pack *p = NULL;
    pack_json_errors errs;
    if (pack_json_parse(text, strlen(text), "pack.json", mode, &p, &errs) != 0) {
        pack_json_errors_print(&errs, stderr);
        fail_msg("the test pack does not parse");
    }
    return p;
}

/* ---- a screen on a headless window ---- */

int rig_media_path(void *user, const model_media *m, char *buf, size_t cap)
{
    const struct fixture *f = user;
    int n = snprintf(buf, cap, "%s/%s", f->dir, m->name);
    return n > 0 && (size_t)n < cap && access(buf, R_OK) == 0 ? 0 : -1;
}

/* video: NULL (none) or a null-backend clip length in ms. */
void rig_open(struct rig *r, struct fixture *f, int w, int h, const model_pack *pack,
              const char *clock_spec, int video_ms)
{
    *r = (struct rig){.f = f};
    ui_window_options wo = {.width = w, .height = h, .headless = true};
    r->win = ui_window_create(&wo);
    assert_non_null(r->win);
    r->atlas = text_atlas_create(ui_window_renderer(r->win), f->fonts, 0);
    assert_non_null(r->atlas);
    r->clock = clock_create(clock_spec);
    assert_non_null(r->clock);
    if (video_ms > 0) {
        ui_video_config vc = {.backend = "null", .null_duration_ms = video_ms};
        r->video = ui_video_create(ui_window_renderer(r->win), &vc);
        assert_non_null(r->video);
    }
    ui_frame_init(&r->frame);
    r->ctx = (screen_ctx){
        .renderer = ui_window_renderer(r->win),
        .width = w,
        .height = h,
        .engine = f->engine,
        .cache = f->cache,
        .atlas = r->atlas,
        .clock = r->clock,
        .lang = "ja",
        .tz = CLOCK_DEFAULT_TZ,
        .frame = &r->frame,
        .pack = pack,
        .media_path = rig_media_path,
        .media_user = f,
        .video = r->video,
    };
    r->s = signage_screen_ops.enter(&r->ctx);
    assert_non_null(r->s);
}

void rig_close(struct rig *r)
{
    signage_screen_ops.leave(r->s, &r->ctx);
    ui_video_destroy(r->video);
    clock_destroy(r->clock);
    text_atlas_destroy(r->atlas);
    ui_window_destroy(r->win);
    text_cache_trim(r->f->cache);
}

/* The clock stands still at another instant. */
void rig_set_clock(struct rig *r, const char *spec)
{
    clock_source *c = clock_create(spec);
    assert_non_null(c);
    clock_destroy(r->clock);
    r->clock = c;
    r->ctx.clock = c;
}

/* One loop turn as main runs it: update, draw if asked. Returns whether
 * the turn drew. */
bool rig_turn(struct rig *r)
{
    ui_frame_begin_turn(&r->frame);
    signage_screen_ops.update(r->s, &r->ctx);
    if (!ui_frame_take_dirty(&r->frame))
        return false;
    signage_screen_ops.draw(r->s, &r->ctx);
    text_atlas_end_frame(r->atlas);
    ui_window_present(r->win);
    text_cache_trim(r->f->cache);
    return true;
}

int rig_loop(struct rig *r, int ms)
{
    int64_t end = clock_monotonic_ms() + ms;
    int frames = 0;
    for (;;) {
        frames += rig_turn(r);
        int64_t left = end - clock_monotonic_ms();
        if (left <= 0)
            return frames;
        int timeout = ui_frame_timeout_ms(&r->frame);
        if (timeout < 0 || timeout > left)
            timeout = (int)left;
        SDL_Event ev;
        ui_window_wait_event(r->win, &ev, timeout);
    }
}

/* Decoders and clips run on their own threads: real time must pass. */
void rig_run(struct rig *r, int ms)
{
    int64_t until = clock_monotonic_ms() + ms;
    while (clock_monotonic_ms() < until) {
        rig_turn(r);
        SDL_Delay(5);
    }
}

/* Turns until the item showing is id (or ms pass). */
bool rig_run_until(struct rig *r, const char *id, int ms)
{
    int64_t until = clock_monotonic_ms() + ms;
    for (;;) {
        rig_turn(r);
        const model_item *it = signage_current(r->s);
        if (it && strcmp(it->id, id) == 0)
            return true;
        if (clock_monotonic_ms() >= until)
            return false;
        SDL_Delay(5);
    }
}

void rig_shot(struct rig *r, const char *path)
{
    signage_screen_ops.update(r->s, &r->ctx);
    signage_screen_ops.draw(r->s, &r->ctx);
    text_atlas_end_frame(r->atlas);
    assert_int_equal(ui_window_screenshot(r->win, path), 0);
    ui_window_present(r->win);
    text_cache_trim(r->f->cache);
}

const char *rig_current_id(struct rig *r)
{
    const model_item *it = signage_current(r->s);
    return it ? it->id : "(none)";
}

/* Shows item id at once, ready to be seen. */
void rig_force(struct rig *r, const char *id)
{
    const model_item *it = model_pack_find_item(r->ctx.pack, id);
    assert_non_null(it);
    signage_set_still(r->s, true);
    assert_int_equal(signage_force_item(r->s, &r->ctx, it), 0);
    char why[256];
    if (signage_settle(r->s, &r->ctx, 5000, why, sizeof why) != 0)
        fail_msg("%s not ready: %s", id, why);
    assert_string_equal(rig_current_id(r), id);
}

void rig_out_path(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, "%s/%s", HIROBA_TEST_OUT_DIR, name);
}

/* ---- pixels ---- */

SDL_Surface *rig_load_rgb(const char *path)
{
    SDL_Surface *raw = IMG_Load(path);
    assert_non_null(raw);
    SDL_Surface *s = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_RGB24, 0);
    SDL_FreeSurface(raw);
    assert_non_null(s);
    return s;
}

Uint32 rig_pixel(SDL_Surface *s, int x, int y)
{
    const Uint8 *p = (const Uint8 *)s->pixels + (size_t)y * s->pitch + (size_t)x * 3;
    return (Uint32)p[0] << 16 | (Uint32)p[1] << 8 | p[2];
}

/* Dark (text-like) pixels in a rectangle. */
size_t rig_dark_in(SDL_Surface *s, SDL_Rect r)
{
    size_t n = 0;
    for (int y = r.y; y < r.y + r.h && y < s->h; y++)
        for (int x = r.x; x < r.x + r.w && x < s->w; x++)
            n += (rig_pixel(s, x, y) & 0xff) < 0x60;
    return n;
}

/* A pack of a clip (or a broken picture) then a card. */
char *rig_two_item_pack(const char *first)
{
    static const char fmt[] =
        "{\"format\": 1, \"facility\": {\"name\": \"テスト\"},"
        " \"items\": [%s,"
        " {\"id\": \"after\", \"type\": \"card\", \"title\": \"つぎのお知らせ\","
        "  \"body\": \"これは二番目のカードです。\", \"duration\": 5}],"
        " \"playlists\": [{\"id\": \"p\", \"items\": [\"first\", \"after\"]}],"
        " \"schedule\": [{\"playlist\": \"p\"}]}";
    size_t n = sizeof fmt + strlen(first);
    char *s = malloc(n);
    assert_non_null(s);
    snprintf(s, n, fmt, first);
    return s;
}
