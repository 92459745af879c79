/* hiroba-pack preview: renders every item of a pack source headless, with
 * the kiosk's own signage screen at a frozen time, to DIR/NN-<item>.png and
 * an index.html, so staff see what the kiosk will show before they publish.
 * Must draw exactly what the kiosk draws (same screen code, same fonts);
 * never writes anywhere but DIR, never changes the source. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <SDL.h>
#include <SDL_image.h>

#include "app/core/clock.h"
#include "app/core/log.h"
#include "app/core/model.h"
#include "app/core/pack_json.h"
#include "app/core/schedule.h"
#include "app/pack/pack.h"
#include "app/screens/screen.h"
#include "app/screens/signage.h"
#include "ui/text/atlas.h"
#include "ui/text/cache.h"
#include "ui/text/fonts.h"
#include "ui/text/layout.h"
#include "ui/text/markup.h"
#include "ui/ui_log.h"
#include "ui/video.h"
#include "ui/window.h"

#define IMAGE_WAIT_MS 10000 /* a huge picture on a slow PC */
#define VIDEO_WAIT_MS 3000  /* for the first decoded frame */

struct preview_opts {
    const char *src, *out, *at, *lang, *fonts_ini, *video;
    int width, height;
};

/* What was rendered for one item, for the index. */
struct shot {
    char file[PATH_MAX];
    const model_item *item; /* NULL: the "nothing on now" screen */
    long on_pos;            /* place in the loop at that time, -1: not on */
    char problem[240];      /* "" when shown as the kiosk will */
    bool written;
};

struct preview {
    struct preview_opts o;
    char *text; /* pack.json */
    size_t len;
    model_pack *pack;
    pack_json_errors errs;
    clock_source *clock;
    text_fonts *fonts;
    text_engine *engine;
    text_cache *cache;
    ui_window *window;
    text_atlas *atlas;
    ui_video *video;
    ui_frame frame;
    catalog *catalog; /* the kiosk's UI texts (board items' headings), NULL: keys */
    screen_ctx ctx;
    size_t media_problems; /* found by pack_media_check, before rendering */
    struct shot *shots;
    size_t n_shots;
    char at_text[64]; /* the frozen time, as shown in the index */
};

static void preview_usage(FILE *to)
{
    fprintf(to,
            "usage: hiroba-pack preview SRC --out DIR [--size WxH] [--at ISO-TIME] [--lang CODE]\n"
            "                           [--fonts INI] [--video vlc|null]\n"
            "Renders every item of the pack source SRC (SRC/pack.json and its media) as the\n"
            "kiosk's signage screen shows it, to DIR/NN-<item id>.png, plus the screen for\n"
            "\"nothing on now\" when the schedule has nothing at that time, and DIR/index.html.\n"
            "  --size WxH      screen size (default 1920x1080; 1080x1920 for portrait)\n"
            "  --at TIME       the moment to preview, e.g. 2026-11-24T10:00:00+09:00\n"
            "                  (default: now); decides what is on and the clock shown\n"
            "  --lang CODE     ja (default), en, zh, ko or ja-easy\n"
            "Prints one line per file written. Exit 0 when every item could be shown,\n"
            "1 when the pack has errors (printed as FILE:LINE:COL: PATH: MESSAGE)\n"
            "or some media cannot be shown, 2 on bad usage.\n");
}

static int parse_size(const char *s, int *w, int *h)
{
    char *end;
    errno = 0;
    long a = strtol(s, &end, 10);
    if (errno || end == s || (*end != 'x' && *end != 'X'))
        return -1;
    const char *second = end + 1;
    long b = strtol(second, &end, 10);
    if (errno || end == second || *end || a < 16 || b < 16 || a > UI_WINDOW_MAX_SIDE ||
        b > UI_WINDOW_MAX_SIDE)
        return -1;
    *w = (int)a;
    *h = (int)b;
    return 0;
}

static int parse_opts(int argc, char **argv, struct preview_opts *o)
{
    static const struct option longopts[] = {
        {"out", required_argument, NULL, 'o'},   {"size", required_argument, NULL, 's'},
        {"at", required_argument, NULL, 'a'},    {"lang", required_argument, NULL, 'l'},
        {"fonts", required_argument, NULL, 'F'}, {"video", required_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0},
    };
    *o = (struct preview_opts){.width = 1920, .height = 1080, .lang = "ja", .video = "vlc"};
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'o':
            o->out = optarg;
            break;
        case 's':
            if (parse_size(optarg, &o->width, &o->height) != 0) {
                fprintf(stderr, "hiroba-pack preview: --size wants WxH, each side 16..%d\n",
                        UI_WINDOW_MAX_SIDE);
                return 2;
            }
            break;
        case 'a':
            o->at = optarg;
            break;
        case 'l':
            o->lang = optarg;
            break;
        case 'F':
            o->fonts_ini = optarg;
            break;
        case 'v':
            o->video = optarg;
            break;
        case 'h':
            preview_usage(stdout);
            return 0;
        default:
            preview_usage(stderr);
            return 2;
        }
    }
    if (optind + 1 != argc || !o->out) {
        fprintf(stderr, "hiroba-pack preview: %s\n",
                optind >= argc      ? "which pack source? (SRC)"
                : optind + 1 < argc ? "one pack source only"
                                    : "--out DIR is required");
        preview_usage(stderr);
        return 2;
    }
    o->src = argv[optind];
    if (model_lang_from_code(o->lang) == MODEL_LANG_NONE) {
        fprintf(stderr, "hiroba-pack preview: --lang wants ja, en, zh, ko or ja-easy, not \"%s\"\n",
                o->lang);
        return 2;
    }
    if (strcmp(o->video, "vlc") != 0 && strcmp(o->video, "null") != 0) {
        fprintf(stderr, "hiroba-pack preview: --video wants vlc or null\n");
        return 2;
    }
    clock_time t;
    if (o->at && clock_parse_iso8601(o->at, &t) != 0) {
        fprintf(stderr,
                "hiroba-pack preview: --at wants an ISO 8601 time with its zone, "
                "e.g. 2026-11-24T10:00:00+09:00, not \"%s\"\n",
                o->at);
        return 2;
    }
    return -1;
}

/* Reads SRC/pack.json (a little past the parser's limit, so that it can say
 * the file is too big). */
static int read_source(struct preview *pv)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/pack.json", pv->o.src);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "hiroba-pack preview: cannot read %s: %s\n", path, strerror(errno));
        return -1;
    }
    size_t cap = PACK_JSON_MAX_BYTES + 1;
    pv->text = malloc(cap);
    if (!pv->text) {
        fclose(f);
        fprintf(stderr, "hiroba-pack preview: out of memory\n");
        return -1;
    }
    pv->len = fread(pv->text, 1, cap, f);
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        fprintf(stderr, "hiroba-pack preview: cannot read %s\n", path);
        return -1;
    }
    return 0;
}

static int parse_pack(struct preview *pv)
{
    char label[PATH_MAX];
    snprintf(label, sizeof label, "%s/pack.json", pv->o.src);
    int rc = pack_json_parse(pv->text, pv->len, label, PACK_JSON_SOURCE, &pv->pack, &pv->errs);
    if (rc != 0) {
        pack_json_errors_print(&pv->errs, stderr);
        return -1;
    }
    return 0;
}

/* Media of a source live in the source folder (names were checked by the
 * parser: relative, no "..", plain characters). */
static int source_media_path(void *user, const model_media *m, char *buf, size_t cap)
{
    const struct preview *pv = user;
    int n = snprintf(buf, cap, "%s/%s", pv->o.src, m->name);
    struct stat st;
    if (n < 0 || (size_t)n >= cap || stat(buf, &st) != 0 || !S_ISREG(st.st_mode))
        return -1;
    return 0;
}

static int open_renderer(struct preview *pv)
{
    if (pv->o.at) {
        pv->clock = clock_create(pv->o.at);
        snprintf(pv->at_text, sizeof pv->at_text, "%s", pv->o.at);
    } else {
        /* Now, frozen, so every shot shows the same moment. */
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(pv->at_text, sizeof pv->at_text, "%Y-%m-%dT%H:%M:%SZ", &tm);
        pv->clock = clock_create(pv->at_text);
    }
    if (!pv->clock)
        return -1;
    const char *ini = pv->o.fonts_ini ? pv->o.fonts_ini : text_fonts_default_ini();
    pv->fonts = text_fonts_load(ini);
    if (!pv->fonts) {
        fprintf(stderr, "hiroba-pack preview: no usable fonts in %s\n", ini);
        return -1;
    }
    pv->engine = text_engine_create(pv->fonts);
    pv->cache = pv->engine ? text_cache_create(pv->engine, 0) : NULL;
    ui_window_options wo = {.width = pv->o.width, .height = pv->o.height, .headless = true};
    pv->window = pv->cache ? ui_window_create(&wo) : NULL;
    if (!pv->window)
        return -1;
    SDL_Renderer *r = ui_window_renderer(pv->window);
    pv->atlas = text_atlas_create(r, pv->fonts, 0);
    if (!pv->atlas)
        return -1;
    ui_video_config vc = {
        .backend = pv->o.video,
        .no_audio_device = true,
        .first_frame_timeout_ms = VIDEO_WAIT_MS,
    };
    pv->video = ui_video_create(r, &vc);
    if (!pv->video)
        fprintf(stderr, "hiroba-pack preview: no video player: videos are left out\n");
    ui_frame_init(&pv->frame);
    pv->catalog = catalog_load(catalog_default_dir());
    pv->ctx = (screen_ctx){
        .renderer = r,
        .width = pv->o.width,
        .height = pv->o.height,
        .engine = pv->engine,
        .cache = pv->cache,
        .atlas = pv->atlas,
        .clock = pv->clock,
        .lang = pv->o.lang,
        .tz = pv->pack->timezone,
        .frame = &pv->frame,
        .pack = pv->pack,
        .media_path = source_media_path,
        .media_user = pv,
        .video = pv->video,
        .catalog = pv->catalog,
    };
    return 0;
}

static void close_renderer(struct preview *pv)
{
    ui_video_destroy(pv->video);
    text_atlas_destroy(pv->atlas);
    ui_window_destroy(pv->window);
    text_cache_destroy(pv->cache);
    text_engine_destroy(pv->engine);
    text_fonts_destroy(pv->fonts);
    catalog_destroy(pv->catalog);
    clock_destroy(pv->clock);
}

/* Draws the screen as it stands and writes it to shot->file. */
static int capture(struct preview *pv, const screen_ops *ops, void *state, struct shot *shot)
{
    ops->update(state, &pv->ctx);
    ops->draw(state, &pv->ctx);
    text_atlas_end_frame(pv->atlas);
    int rc = ui_window_screenshot(pv->window, shot->file);
    ui_window_present(pv->window);
    text_cache_trim(pv->cache);
    if (rc != 0) {
        fprintf(stderr, "hiroba-pack preview: cannot write %s\n", shot->file);
        return -1;
    }
    shot->written = true;
    printf("%s\n", shot->file);
    fflush(stdout);
    return 0;
}

/* Where the problem is in pack.json, like the parser says it (unless the
 * media check already said it, at the same place). */
static void report(struct preview *pv, const model_item *it, const char *why)
{
    if (pv->media_problems)
        return;
    size_t index = (size_t)(it - pv->pack->items);
    char path[160];
    if (it->media && it->media->where)
        snprintf(path, sizeof path, "%s", it->media->where);
    else
        snprintf(path, sizeof path, "items[%zu]", index);
    pack_json_errors_add(&pv->errs, pv->text, pv->len, path, "cannot be shown: %s", why);
}

static int render_items(struct preview *pv)
{
    const screen_ops *ops = &signage_screen_ops;
    const model_pack *p = pv->pack;
    size_t n_on = schedule_items_now(p, clock_now(pv->clock).sec, NULL, 0);
    const model_item **on = calloc(n_on ? n_on : 1, sizeof *on);
    pv->shots = calloc(p->n_items + 1, sizeof *pv->shots);
    if (!on || !pv->shots) {
        free(on);
        fprintf(stderr, "hiroba-pack preview: out of memory\n");
        return -1;
    }
    n_on = schedule_items_now(p, clock_now(pv->clock).sec, on, n_on);
    int failures = 0;
    signage *s = ops->enter(&pv->ctx);
    if (!s) {
        free(on);
        return -1;
    }
    signage_set_still(s, true);
    for (size_t i = 0; i < p->n_items; i++) {
        const model_item *it = &p->items[i];
        struct shot *shot = &pv->shots[pv->n_shots++];
        shot->item = it;
        shot->on_pos = -1;
        for (size_t k = 0; k < n_on; k++)
            if (on[k] == it && shot->on_pos < 0)
                shot->on_pos = (long)k;
        snprintf(shot->file, sizeof shot->file, "%s/%02zu-%s.png", pv->o.out, i + 1, it->id);
        signage_force_item(s, &pv->ctx, it);
        int wait = it->kind == MODEL_ITEM_VIDEO ? VIDEO_WAIT_MS + 500 : IMAGE_WAIT_MS;
        int rc = signage_settle(s, &pv->ctx, wait, shot->problem, sizeof shot->problem);
        if (rc < 0 || rc == 1) {
            report(pv, it, shot->problem);
            failures++;
        }
        if (rc >= 0 && capture(pv, ops, s, shot) != 0)
            failures++;
    }
    ops->leave(s, &pv->ctx);
    if (n_on == 0) {
        /* What the kiosk shows while nothing is on: a fresh loop finds nothing. */
        struct shot *shot = &pv->shots[pv->n_shots++];
        shot->on_pos = -1;
        snprintf(shot->file, sizeof shot->file, "%s/00-nothing-on.png", pv->o.out);
        void *idle = ops->enter(&pv->ctx);
        if (!idle) {
            failures++;
        } else {
            signage_set_still(idle, true);
            signage_settle(idle, &pv->ctx, IMAGE_WAIT_MS, NULL, 0);
            if (capture(pv, ops, idle, shot) != 0)
                failures++;
            ops->leave(idle, &pv->ctx);
        }
    }
    free(on);
    return failures ? -1 : 0;
}

static void html_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&':
            fputs("&amp;", f);
            break;
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        default:
            fputc(*s, f);
        }
    }
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static int write_index(struct preview *pv)
{
    char path[PATH_MAX], tmp[PATH_MAX + 8];
    snprintf(path, sizeof path, "%s/index.html", pv->o.out);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f) {
        fprintf(stderr, "hiroba-pack preview: cannot write %s: %s\n", path, strerror(errno));
        return -1;
    }
    model_lang lang = model_lang_from_code(pv->o.lang);
    fputs("<!doctype html>\n<html lang=\"", f);
    html_text(f, pv->o.lang);
    fputs("\"><meta charset=\"utf-8\">\n<title>", f);
    html_text(f, "Preview: ");
    html_text(f, pv->o.src);
    fputs("</title>\n<style>\n"
          "body{font-family:'BIZ UDGothic','Noto Sans CJK JP',sans-serif;background:#FBFAF6;"
          "color:#1C1C1C;margin:2em}\n"
          "h1{color:#0F4C81}.grid{display:grid;gap:1.5em;"
          "grid-template-columns:repeat(auto-fill,minmax(420px,1fr))}\n"
          "figure{margin:0;background:#fff;padding:.6em;border:1px solid #ddd}\n"
          "img{width:100%;height:auto;border:1px solid #ccc}\n"
          "figcaption{margin-top:.4em;line-height:1.5}.off{color:#6b6b6b}"
          ".bad{color:#B3261E;font-weight:bold}\n</style>\n<h1>",
          f);
    html_text(f, pv->o.src);
    fprintf(f, "</h1>\n<p>At %s, %dx%d, language %s.</p>\n<div class=\"grid\">\n", pv->at_text,
            pv->o.width, pv->o.height, pv->o.lang);
    for (size_t i = 0; i < pv->n_shots; i++) {
        const struct shot *s = &pv->shots[i];
        fputs("<figure>", f);
        if (s->written) {
            fputs("<a href=\"", f);
            html_text(f, base_name(s->file));
            fputs("\"><img src=\"", f);
            html_text(f, base_name(s->file));
            fputs("\" alt=\"\" loading=\"lazy\"></a>", f);
        }
        fputs("<figcaption>", f);
        if (!s->item) {
            fputs("<b>Nothing on now</b>: the schedule has no items at this time.", f);
        } else {
            const model_item *it = s->item;
            fputs("<b>", f);
            html_text(f, it->id);
            fprintf(f, "</b> · %s · %.1f s", model_item_kind_name(it->kind),
                    it->duration_ms / 1000.0);
            if (it->kind == MODEL_ITEM_VIDEO)
                fputs(" at most", f);
            if (!model_text_empty(&it->title)) {
                const char *title = model_text_get(&it->title, lang);
                char *plain = text_markup_strip(title, strlen(title), NULL);
                fputs("<br>", f);
                html_text(f, plain ? plain : title);
                free(plain);
            }
            if (s->on_pos >= 0)
                fprintf(f, "<br>On now: number %ld in the loop", s->on_pos + 1);
            else
                fputs("<br><span class=\"off\">Not on at this time</span>", f);
        }
        if (s->problem[0]) {
            fputs("<br><span class=\"bad\">", f);
            html_text(f, s->problem);
            fputs("</span>", f);
        }
        fputs("</figcaption></figure>\n", f);
    }
    fputs("</div>\n</html>\n", f);
    bool bad = ferror(f);
    if (fclose(f) != 0 || bad || rename(tmp, path) != 0) {
        fprintf(stderr, "hiroba-pack preview: cannot write %s\n", path);
        remove(tmp);
        return -1;
    }
    printf("%s\n", path);
    return 0;
}

static int make_dir(const char *dir)
{
    struct stat st;
    if (stat(dir, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return 0;
        fprintf(stderr, "hiroba-pack preview: %s is not a folder\n", dir);
        return -1;
    }
    if (mkdir(dir, 0777) != 0) {
        fprintf(stderr, "hiroba-pack preview: cannot make %s: %s\n", dir, strerror(errno));
        return -1;
    }
    return 0;
}

int pack_cmd_preview(int argc, char **argv)
{
    struct preview pv = {0};
    int code = parse_opts(argc, argv, &pv.o);
    if (code >= 0)
        return code;
    ui_log_set_handler(log_ui_sink, NULL);
    if (!getenv("HIROBA_LOG"))
        log_set_level(LOG_LEVEL_WARN); /* a tool: problems only */
    code = 1;
    if (read_source(&pv) != 0 || parse_pack(&pv) != 0)
        goto done;
    /* The build's own checks: what build would refuse, preview reports too. */
    pv.media_problems = pack_media_check(pv.pack, pv.o.src, pv.text, pv.len, &pv.errs);
    if (make_dir(pv.o.out) != 0 || open_renderer(&pv) != 0)
        goto done;
    int rendered = render_items(&pv);
    int indexed = write_index(&pv);
    if (pv.errs.count)
        pack_json_errors_print(&pv.errs, stderr);
    code = rendered == 0 && indexed == 0 && pv.errs.count == 0 ? 0 : 1;

done:
    close_renderer(&pv);
    model_pack_destroy(pv.pack);
    free(pv.shots);
    free(pv.text);
    log_flush();
    IMG_Quit();
    SDL_Quit();
    return code;
}
