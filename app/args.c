/* args: parses and checks the kiosk's command line (see args.h). Must never
 * open a module or touch the display: only argv, the environment and stat(). */
#include "app/args.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ui/window.h"

#ifndef HIROBA_VERSION
#define HIROBA_VERSION "0.0.0"
#endif

static void usage(FILE *out)
{
    fputs(
        "Usage: hiroba [OPTIONS]\n"
        "The hiroba kiosk. Without options: fullscreen on the default display.\n"
        "\n"
        "  --headless               draw into memory, no display or video driver\n"
        "  --size WxH               window size (default: fullscreen; headless 1920x1080)\n"
        "  --screenshot FILE.png    write the frame to FILE.png after --after seconds, then exit\n"
        "  --after SECONDS          run this long, then exit (default 2 with --screenshot)\n"
        "  --clock SPEC             \"real\", a frozen ISO 8601 time "
        "(2026-11-24T10:00:00+09:00)\n"
        "                           or an offset in seconds (+3600)\n"
        "  --fonts INI              font chains (default: $HIROBA_FONTS or the installed "
        "fonts.ini)\n"
        "  --video-driver NAME      SDL video driver, e.g. kmsdrm, x11, wayland\n"
        "  --screenshot-dir DIR     write DIR/shot-0001.png, ... while running\n"
        "  --screenshot-every SECS  interval for --screenshot-dir (default 10)\n"
        "\n"
        "Content:\n"
        "  --data DIR               the kiosk's data folder (default $HIROBA_DATA or\n"
        "                           /var/lib/hiroba): store, objects\n"
        "  --channel NAME           show this channel's active pack (the signage loop)\n"
        "  --trust KEY.pub          a public key packs must be signed with (repeatable)\n"
        "  --source DIR|URL         first verify and activate NAME from where hiroba-pack\n"
        "                           build published it (SOURCE/channels/NAME/manifest.json):\n"
        "                           a folder, file:///..., http://... or https://...\n"
        "  --lang CODE              ja (default), en, zh, ko or ja-easy\n"
        "  --screen NAME            home, signage, queue, vacancy, childcare or specimen\n"
        "                           (default: home on a touch kiosk set with touch = yes or\n"
        "                           --touch, else signage with --channel, else specimen)\n"
        "  --config FILE            settings ([kiosk] data, channel, source, trust, lang,\n"
        "                           poll_interval, ca_file, touch, idle_timeout, idle_screen,\n"
        "                           furigana, queue_poll, vacancy_poll, queue_stale,\n"
        "                           vacancy_stale, screen_width_mm, alert_poll, drills,\n"
        "                           cap_trusted_tls, kiosk_id, staff_pin, metrics_dir;\n"
        "                           default " CONFIG_DEFAULT_PATH "\n"
        "                           if present); flags override it\n"
        "\n"
        "Touch kiosk:\n"
        "  --touch, --no-touch      a touch kiosk (home menu, buttons, idle reset) or a plain\n"
        "                           display that rotates screens (default: auto, touch when\n"
        "                           headless, when SDL sees a touch device, or on a desktop)\n"
        "  --idle SECONDS           back to the idle screen and the default language after\n"
        "                           this long without input (default 60; 0 never)\n"
        "  --no-furigana            start with the furigana switch off\n"
        "  --large-text             start with the large-text switch on (previews)\n"
        "\n"
        "Sync:\n"
        "  --sync-once              no window: fetch NAME from --source once, print one JSON\n"
        "                           line {\"result\",\"version\",\"bytes\",\"objects_fetched\",\n"
        "                           \"reason\"} and exit 0 (updated or current) or 1 (rejected\n"
        "                           or failed); needs --channel, --source and --trust (flags or\n"
        "                           config)\n"
        "\n"
        "  --version                print the version and exit\n"
        "  --help                   print this help and exit\n"
        "\n"
        "Environment: HIROBA_LOG=error|warn|info|debug, HIROBA_FONTS, SDL_VIDEODRIVER.\n",
        out);
}

static int parse_size(const char *s, int *w, int *h)
{
    char *end;
    errno = 0;
    if (!s || *s < '0' || *s > '9')
        return -1;
    long a = strtol(s, &end, 10);
    if (errno || (*end != 'x' && *end != 'X') || end[1] < '0' || end[1] > '9')
        return -1;
    long b = strtol(end + 1, &end, 10);
    if (errno || *end || a < 1 || b < 1 || a > UI_WINDOW_MAX_SIDE || b > UI_WINDOW_MAX_SIDE)
        return -1;
    *w = (int)a;
    *h = (int)b;
    return 0;
}

static int parse_seconds(const char *s, double max, double *out)
{
    char *end;
    errno = 0;
    if (!s || !*s)
        return -1;
    double v = strtod(s, &end);
    if (errno || *end || !isfinite(v) || v < 0 || v > max)
        return -1;
    *out = v;
    return 0;
}

/* The screens --screen can start on (screen_ops_by_name knows them). */
static bool known_screen(const char *val)
{
    static const char *const screens[] = {"home",    "signage",   "queue",
                                          "vacancy", "childcare", "specimen"};
    for (size_t k = 0; k < sizeof screens / sizeof screens[0]; k++)
        if (strcmp(val, screens[k]) == 0)
            return true;
    return false;
}

static bool known_lang(const char *val)
{
    static const char *const langs[] = {"ja", "en", "zh", "ko", "ja-easy"};
    for (size_t k = 0; k < sizeof langs / sizeof langs[0]; k++)
        if (strcmp(val, langs[k]) == 0)
            return true;
    return false;
}

/* The screenshot's folder must exist and be writable now, not after the run. */
static int check_writable_file(const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        fprintf(stderr, "hiroba: --screenshot %s is a directory\n", path);
        return -1;
    }
    char dir[PATH_MAX];
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == path)
        snprintf(dir, sizeof dir, "/");
    else
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode) || access(dir, W_OK) != 0) {
        fprintf(stderr, "hiroba: cannot write --screenshot %s: folder %s %s\n", path, dir,
                stat(dir, &st) != 0 ? "does not exist" : "is not a writable folder");
        return -1;
    }
    return 0;
}

static int merge_config(struct options *o, bool no_furigana);
static int check_content(struct options *o);

/* Returns -1 to run, or an exit code. */
int args_parse(int argc, char **argv, struct options *o)
{
    /* touch -2 and idle -1: not given, the file (or its default) decides. */
    *o = (struct options){.after = -1, .shot_every = -1, .touch = -2, .idle_timeout_s = -1};
    bool no_furigana = false;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char *val = NULL;
        char name[32];
        const char *eq = strchr(arg, '=');
        size_t nlen = eq ? (size_t)(eq - arg) : strlen(arg);
        if (nlen >= sizeof name)
            nlen = sizeof name - 1;
        memcpy(name, arg, nlen);
        name[nlen] = '\0';
        static const char *const with_value[] = {
            "--size",  "--screenshot",   "--after",          "--clock",
            "--fonts", "--video-driver", "--screenshot-dir", "--screenshot-every",
            "--data",  "--channel",      "--source",         "--trust",
            "--lang",  "--screen",       "--config",         "--idle"};
        bool wants = false;
        for (size_t k = 0; k < sizeof with_value / sizeof with_value[0]; k++)
            wants = wants || strcmp(name, with_value[k]) == 0;
        if (wants) {
            if (eq)
                val = eq + 1;
            else if (i + 1 < argc)
                val = argv[++i];
            else {
                fprintf(stderr, "hiroba: %s needs a value (see --help)\n", name);
                return ARGS_EXIT_USAGE;
            }
        }
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            usage(stdout);
            return EXIT_SUCCESS;
        } else if (strcmp(arg, "--version") == 0) {
            printf("hiroba %s\n", HIROBA_VERSION);
            return EXIT_SUCCESS;
        } else if (strcmp(arg, "--headless") == 0) {
            o->headless = true;
        } else if (strcmp(name, "--size") == 0) {
            if (parse_size(val, &o->width, &o->height) != 0) {
                fprintf(stderr, "hiroba: bad --size \"%s\": want WxH, each side 1..%d\n", val,
                        UI_WINDOW_MAX_SIDE);
                return ARGS_EXIT_USAGE;
            }
        } else if (strcmp(name, "--screenshot") == 0) {
            o->screenshot = val;
        } else if (strcmp(name, "--after") == 0) {
            if (parse_seconds(val, 1e7, &o->after) != 0) {
                fprintf(stderr, "hiroba: bad --after \"%s\": want seconds >= 0\n", val);
                return ARGS_EXIT_USAGE;
            }
        } else if (strcmp(name, "--clock") == 0) {
            o->clock_spec = val;
        } else if (strcmp(name, "--fonts") == 0) {
            o->fonts_ini = val;
        } else if (strcmp(name, "--video-driver") == 0) {
            o->video_driver = val;
        } else if (strcmp(name, "--screenshot-dir") == 0) {
            o->shot_dir = val;
        } else if (strcmp(name, "--screenshot-every") == 0) {
            if (parse_seconds(val, 1e7, &o->shot_every) != 0 || o->shot_every < 0.05) {
                fprintf(stderr, "hiroba: bad --screenshot-every \"%s\": want seconds >= 0.05\n",
                        val);
                return ARGS_EXIT_USAGE;
            }
        } else if (strcmp(name, "--data") == 0) {
            o->data_dir = val;
        } else if (strcmp(name, "--channel") == 0) {
            o->channel = val;
        } else if (strcmp(name, "--source") == 0) {
            o->source = val;
        } else if (strcmp(name, "--trust") == 0) {
            if (o->n_trust == ARGS_MAX_TRUST) {
                fprintf(stderr, "hiroba: at most %d --trust keys\n", ARGS_MAX_TRUST);
                return ARGS_EXIT_USAGE;
            }
            o->trust[o->n_trust++] = val;
        } else if (strcmp(name, "--lang") == 0) {
            if (!known_lang(val)) {
                fprintf(stderr, "hiroba: bad --lang \"%s\": want ja, en, zh, ko or ja-easy\n", val);
                return ARGS_EXIT_USAGE;
            }
            o->lang = val;
        } else if (strcmp(arg, "--sync-once") == 0) {
            o->sync_once = true;
        } else if (strcmp(name, "--config") == 0) {
            o->config_path = val;
        } else if (strcmp(name, "--screen") == 0) {
            if (!known_screen(val)) {
                fprintf(stderr,
                        "hiroba: bad --screen \"%s\": want home, signage, queue, vacancy, "
                        "childcare or specimen\n",
                        val);
                return ARGS_EXIT_USAGE;
            }
            o->screen = val;
        } else if (strcmp(arg, "--touch") == 0) {
            o->touch = 1;
        } else if (strcmp(arg, "--no-touch") == 0) {
            o->touch = 0;
        } else if (strcmp(name, "--idle") == 0) {
            char *end;
            errno = 0;
            long v = strtol(val, &end, 10);
            if (errno || end == val || *end || v < 0 || v > CONFIG_MAX_POLL_S) {
                fprintf(stderr, "hiroba: bad --idle \"%s\": want whole seconds 0..%d (0: never)\n",
                        val, CONFIG_MAX_POLL_S);
                return ARGS_EXIT_USAGE;
            }
            o->idle_timeout_s = (int)v;
        } else if (strcmp(arg, "--no-furigana") == 0) {
            no_furigana = true;
        } else if (strcmp(arg, "--large-text") == 0) {
            o->large_text = true;
        } else {
            fprintf(stderr, "hiroba: unknown argument \"%s\" (see --help)\n", arg);
            return ARGS_EXIT_USAGE;
        }
    }
    if (o->screenshot && !*o->screenshot) {
        fprintf(stderr, "hiroba: --screenshot needs a file name\n");
        return ARGS_EXIT_USAGE;
    }
    if (o->screenshot && check_writable_file(o->screenshot) != 0)
        return ARGS_EXIT_USAGE;
    if (o->shot_every > 0 && !o->shot_dir) {
        fprintf(stderr, "hiroba: --screenshot-every needs --screenshot-dir\n");
        return ARGS_EXIT_USAGE;
    }
    if (o->shot_dir) {
        struct stat st;
        if (stat(o->shot_dir, &st) != 0 || !S_ISDIR(st.st_mode) || access(o->shot_dir, W_OK)) {
            fprintf(stderr, "hiroba: --screenshot-dir %s is not a writable folder\n", o->shot_dir);
            return ARGS_EXIT_USAGE;
        }
        if (o->shot_every < 0)
            o->shot_every = 10;
    }
    if (o->screenshot && o->after < 0)
        o->after = 2;
    int code = merge_config(o, no_furigana);
    if (code < 0)
        code = check_content(o);
    if (code >= 0)
        args_free(o);
    return code;
}

void args_free(struct options *o)
{
    if (o)
        config_clear(&o->file);
}

/* Flags win over $HIROBA_DATA, which wins over the file. */
static int merge_config(struct options *o, bool no_furigana)
{
    char err[CONFIG_ERROR_MAX];
    const char *path = o->config_path ? o->config_path : CONFIG_DEFAULT_PATH;
    if (config_load(&o->file, path, o->config_path != NULL, err, sizeof err) != 0) {
        fprintf(stderr, "hiroba: %s\n", err);
        return ARGS_EXIT_USAGE;
    }
    const config *f = &o->file;
    if (!o->data_dir)
        o->data_dir = getenv("HIROBA_DATA") && *getenv("HIROBA_DATA") ? getenv("HIROBA_DATA")
                      : f->data                                       ? f->data
                                                                      : "/var/lib/hiroba";
    if (!o->channel)
        o->channel = f->channel;
    if (!o->source)
        o->source = f->source;
    if (o->n_trust == 0) {
        for (size_t i = 0; i < f->n_trust && i < ARGS_MAX_TRUST; i++)
            o->trust[o->n_trust++] = f->trust[i];
    }
    if (!o->lang && f->lang) {
        if (!known_lang(f->lang)) {
            fprintf(stderr, "hiroba: %s: bad lang \"%s\": want ja, en, zh, ko or ja-easy\n", path,
                    f->lang);
            return ARGS_EXIT_USAGE;
        }
        o->lang = f->lang;
    }
    o->ca_file = f->ca_file;
    o->poll_interval_s = f->poll_interval_s;
    /* The touch kiosk: flags where given, else the file (config_init holds
     * the defaults: touch auto, idle 60 s, furigana on...). */
    if (o->touch == -2)
        o->touch = f->touch;
    if (o->idle_timeout_s < 0)
        o->idle_timeout_s = f->idle_timeout_s;
    o->furigana = !no_furigana && f->furigana;
    o->idle_screen = f->idle_screen;
    o->queue_poll_s = f->queue_poll_s;
    o->vacancy_poll_s = f->vacancy_poll_s;
    o->queue_stale_s = f->queue_stale_s;
    o->vacancy_stale_s = f->vacancy_stale_s;
    o->screen_width_mm = f->screen_width_mm;
    o->alert_poll_s = f->alert_poll_s;
    o->drills = f->drills == 1;
    o->cap_trusted_tls = f->cap_trusted_tls;
    o->kiosk_id = f->kiosk_id;
    o->staff_pin = f->staff_pin;
    o->metrics_dir = f->metrics_dir;
    return -1;
}

/* What the content and sync options need of each other. */
static int check_content(struct options *o)
{
    if (!o->lang)
        o->lang = "ja";
    if (o->sync_once && (!o->channel || !o->source || o->n_trust == 0)) {
        fprintf(stderr, "hiroba: --sync-once needs --channel, --source and --trust "
                        "(or channel, source and trust in the config file)\n");
        return ARGS_EXIT_USAGE;
    }
    if ((o->source || o->n_trust) && !o->channel) {
        fprintf(stderr, "hiroba: --source and --trust need --channel NAME\n");
        return ARGS_EXIT_USAGE;
    }
    if (o->source && o->n_trust == 0) {
        fprintf(stderr, "hiroba: --source needs at least one --trust KEY.pub\n");
        return ARGS_EXIT_USAGE;
    }
    /* Without --screen a kiosk starts where it returns when idle (main
     * decides, once it knows whether there is a touch screen); without a
     * channel there is only the type specimen. */
    if (!o->screen && !o->channel)
        o->screen = "specimen";
    if (o->screen && strcmp(o->screen, "signage") == 0 && !o->channel) {
        fprintf(stderr, "hiroba: --screen signage needs --channel NAME\n");
        return ARGS_EXIT_USAGE;
    }
    if (o->headless && o->width == 0) {
        o->width = 1920;
        o->height = 1080;
    }
    return -1;
}
