/* args: the kiosk's command line. Parsing and checking only: no module is
 * opened here, so main can stay a list of wiring steps. */
#ifndef HIROBA_APP_ARGS_H
#define HIROBA_APP_ARGS_H

#include <stdbool.h>
#include <stddef.h>

#include "app/core/config.h"

#define ARGS_MAX_TRUST 8

enum { ARGS_EXIT_USAGE = 2 };

struct options {
    bool headless;
    int width, height; /* 0 x 0: fullscreen (real) or 1920 x 1080 (headless) */
    const char *screenshot;
    double after; /* seconds; < 0: run until told to quit */
    const char *clock_spec;
    const char *fonts_ini;
    const char *video_driver;
    const char *shot_dir;
    double shot_every;
    /* Content (issue 3): where packs live and whom to trust. */
    const char *data_dir; /* --data, else $HIROBA_DATA, else /var/lib/hiroba */
    const char *channel;  /* --channel: show this channel's pack (signage) */
    const char *source;   /* --source DIR: activate from a published folder first */
    const char *trust[ARGS_MAX_TRUST];
    size_t n_trust;
    const char *lang;   /* --lang: ja, en, zh, ko, ja-easy */
    const char *screen; /* --screen: home, signage, queue, vacancy, childcare, specimen;
                         * NULL with a channel: the idle screen (home on touch kiosks) */
    /* Sync (issue 4). */
    bool sync_once;          /* --sync-once: one sync cycle, one JSON line, exit */
    const char *config_path; /* --config FILE, else CONFIG_DEFAULT_PATH if present */
    const char *ca_file;     /* from the config file only */
    int poll_interval_s;     /* from the config file only */
    /* The touch kiosk and the live boards (issue 5); flags override the file. */
    int touch;               /* --touch / --no-touch, config touch: -1 auto, 0, 1 */
    int idle_timeout_s;      /* --idle SECONDS, config idle_timeout (default 60; 0 never) */
    const char *idle_screen; /* config idle_screen; NULL: home if touch, else signage */
    bool furigana;           /* --no-furigana, config furigana (default on) */
    bool large_text;         /* --large-text: start with the large-text switch on (previews) */
    int queue_poll_s, vacancy_poll_s;   /* config only: 5, 60 */
    int queue_stale_s, vacancy_stale_s; /* config only: 120, 1800 */
    double screen_width_mm;             /* config only; 0: auto */
    /* Emergency alerts (issue 6), config only. */
    int alert_poll_s;            /* alert_poll (default 5) */
    bool drills;                 /* drills = yes: show Exercise alerts (default no) */
    const char *cap_trusted_tls; /* an https:// CAP source trusted without a signature */
    /* The appliance (issue 7), config only. */
    const char *kiosk_id;    /* NULL: the host name */
    const char *staff_pin;   /* NULL: no staff view */
    const char *metrics_dir; /* NULL: the default folder; "off": none */
    config file;             /* the values read from the config file (owned) */
};

/* Fills o from argv, then from the config file for what the flags did not
 * set (flags win; --trust flags replace the file's trust keys). Returns -1 to run, or an exit code
 * (0 after --help or
 * --version; ARGS_EXIT_USAGE with a message on stderr for bad arguments). */
int args_parse(int argc, char **argv, struct options *o);

/* Frees what args_parse kept (the config file's values). o may be NULL. */
void args_free(struct options *o);

#endif
