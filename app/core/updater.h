/* updater: the kiosk's network thread. Polls the channel's source every
 * poll interval (after failures: exponential backoff with full jitter,
 * capped), publishes each outcome and every newly activated pack to the hub.
 * It opens its own store and objects handles (one SQLite connection per
 * thread) and never touches anything of the UI thread's but the hub. */
#ifndef HIROBA_APP_CORE_UPDATER_H
#define HIROBA_APP_CORE_UPDATER_H

#include <stddef.h>
#include <stdint.h>

#include "app/core/clock.h"
#include "app/core/hub.h"

#define UPDATER_MAX_KEYS 8

typedef struct updater_config {
    const char *data_dir, *channel, *source, *ca_file; /* copied */
    const char *trust[UPDATER_MAX_KEYS];               /* public key files, copied */
    size_t n_trust;
    const clock_source *clock; /* borrowed until stop; NULL: system clock */
    hub *hub;                  /* borrowed until stop */
    uint32_t poll_ms;          /* 0: 60 s */
    uint32_t backoff_cap_ms;   /* 0: 30 min */
    uint32_t first_delay_ms;   /* before the first poll */
} updater_config;

typedef struct updater updater;

/* Starts the thread. NULL (logged) if it cannot start. */
updater *updater_start(const updater_config *cfg);
/* Polls now (the staff view's "sync now"). */
void updater_poke(updater *u);
/* Stops the thread (an ongoing transfer ends at its next progress check)
 * and frees everything. NULL is a no-op. */
void updater_stop(updater *u);

#endif
