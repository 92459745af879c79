/* config: the kiosk's settings file, /etc/hiroba/hiroba.conf (INI, read with
 * libinih). One section, [kiosk]:
 *   data = /var/lib/hiroba      channel = chuo
 *   source = https://signage.example.city/pub
 *   trust = /etc/hiroba/city.pub   (repeatable, for key rotation)
 *   lang = ja     poll_interval = 60 (seconds)     ca_file = /etc/hiroba/ca.pem
 *   touch = auto   idle_timeout = 60   idle_screen = home   furigana = yes
 *   queue_poll = 5   vacancy_poll = 60   queue_stale = 120   vacancy_stale = 1800
 *   screen_width_mm = 527
 *   alert_poll = 5   drills = no   cap_trusted_tls = https://bousai.example.city/cap/
 *   kiosk_id = chuo-1f-lobby   staff_pin = 4..8 digits   metrics_dir = /var/lib/...
 * Command-line flags override the file (args.c does the merge). Unknown
 * sections and keys are warned about with FILE:LINE and ignored, so an older
 * kiosk still starts with a newer file; malformed values are errors.
 * Only parses: never opens what the values name. */
#ifndef HIROBA_APP_CORE_CONFIG_H
#define HIROBA_APP_CORE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#define CONFIG_DEFAULT_PATH   "/etc/hiroba/hiroba.conf"
#define CONFIG_MAX_TRUST      8
#define CONFIG_DEFAULT_POLL_S 60
#define CONFIG_MAX_POLL_S     86400
#define CONFIG_ERROR_MAX      512

/* Plain values, malloc'ed (NULL: not set). */
typedef struct config {
    char *data;
    char *channel;
    char *source;
    char *lang;
    char *ca_file;
    char *trust[CONFIG_MAX_TRUST];
    size_t n_trust;
    int poll_interval_s; /* CONFIG_DEFAULT_POLL_S unless set */
    /* The touch kiosk and the live boards (issue 5). */
    int touch;              /* touch = auto|yes|no: -1 auto (default), 0 no, 1 yes */
    int idle_timeout_s;     /* idle_timeout = 60 (0: never) */
    char *idle_screen;      /* idle_screen = home|signage|queue|vacancy|childcare (NULL: home on
                             * touch kiosks, signage otherwise) */
    int furigana;           /* furigana = yes|no: the default of the switch (1) */
    int queue_poll_s;       /* queue_poll = 5 */
    int vacancy_poll_s;     /* vacancy_poll = 60 */
    int queue_stale_s;      /* queue_stale = 120: "may be out of date" badge after this */
    int vacancy_stale_s;    /* vacancy_stale = 1800 */
    double screen_width_mm; /* screen_width_mm = 527 (0: auto from SDL, else a 24" 16:9 panel) */
    /* Emergency alerts (issue 6). */
    int alert_poll_s;      /* alert_poll = 5: seconds between polls of the alert URLs (1..3600) */
    int drills;            /* drills = yes|no: show Exercise alerts, marked 訓練 (default 0) */
    char *cap_trusted_tls; /* cap_trusted_tls = https://...: a CAP source (URL prefix) whose
                            * documents need no relay signature when fetched over verified
                            * TLS (alerter_url_trusted); NULL: every alert must be signed */
    /* The appliance (issue 7). */
    char *kiosk_id;    /* kiosk_id = chuo-1f-lobby: the staff view's name for this kiosk
                        * (NULL: the host name) */
    char *staff_pin;   /* staff_pin = 4..8 digits: opens the staff view (NULL: it never
                        * opens). Plain digits, see staff_lock.h for why; keep the file
                        * root:hiroba 0640 (the package does; a warning says otherwise) */
    char *metrics_dir; /* metrics_dir = DIR: node_exporter's textfile folder ("off": none;
                        * NULL: METRICS_DEFAULT_DIR) */
    unsigned warnings; /* unknown keys and sections seen (each logged) */
} config;

/* Sets the defaults; nothing allocated. */
void config_init(config *c);

/* Reads path into c (initialised first). A missing file is an error only
 * if must_exist (the default file may be absent; one named by --config may
 * not). Returns 0, or -1 with "FILE:LINE: why" (or "cannot read FILE: ...")
 * in err; c is then cleared. */
int config_load(config *c, const char *path, bool must_exist, char *err, size_t errlen);

/* Frees the values and re-initialises. c may be NULL. */
void config_clear(config *c);

#endif
