/* sync_once: `hiroba --sync-once`, one sync cycle without a display: opens
 * the data folder and the keyring, polls the channel once, prints one JSON
 * line on stdout and returns the exit code. Never initialises SDL. */
#ifndef HIROBA_APP_SYNC_ONCE_H
#define HIROBA_APP_SYNC_ONCE_H

#include "app/args.h"

/* Returns 0 when the active pack is the newest acceptable one (updated or
 * current), 1 otherwise (rejected or failed). */
int sync_once_run(const struct options *o, const char *user_agent);

#endif
