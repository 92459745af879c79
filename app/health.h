/* health: the kiosk telling the city how it is doing. Two readers, one
 * picture of the running kiosk: the metrics file for Prometheus (written
 * every 15 s from the loop, app/core/metrics.h) and the staff view's
 * status page (its screen_staff callbacks: the report, sync now, restart).
 * It reads what main shows through the screen context (pack, feeds,
 * alerts) and the hub's last sync, and owns nothing of them. Lives beside
 * main (not in core) because it needs the screen context; draws nothing.
 * UI thread only. */
#ifndef HIROBA_APP_HEALTH_H
#define HIROBA_APP_HEALTH_H

#include <stdint.h>

#include "app/core/hub.h"
#include "app/core/updater.h"
#include "app/screens/screen.h"

typedef struct health_config {
    const screen_ctx *ctx; /* borrowed until destroy: pack, feeds, alerts, store, clock */
    hub *hub;              /* the last sync; NULL: none */
    updater *updater;      /* "sync now" pokes it; NULL: nothing to poke */
    const char *version;   /* copied pointers below are borrowed until destroy */
    const char *data_dir;
    const char *channel;
    const char *kiosk_id;    /* NULL: the host name */
    const char *staff_pin;   /* NULL: the staff view never opens */
    const char *metrics_dir; /* NULL: METRICS_DEFAULT_DIR; "off": no metrics */
    /* Called by the staff view's Restart: main ends its loop with
     * HEALTH_EXIT_RESTART, and systemd (Restart=always) starts it again. */
    void (*restart)(void *user);
    void *restart_user;
} health_config;

/* EX_TEMPFAIL: "try again"; the journal shows why the kiosk stopped. */
#define HEALTH_EXIT_RESTART 75

typedef struct health health;

/* NULL only when out of memory (logged). */
health *health_create(const health_config *cfg);
void health_destroy(health *h);

/* For ctx.staff: the staff view's settings and callbacks (never NULL). */
screen_staff *health_staff(health *h);
/* A frame was drawn and presented in seconds. */
void health_frame(health *h, double seconds);
/* Writes the metrics file when due (cheap otherwise; never more than every
 * METRICS_INTERVAL_MS). */
void health_tick(health *h, int64_t now_ms);
/* The report as the staff view gets it (for tests and the metrics alike). */
void health_report(health *h, status_report *out);

#endif
