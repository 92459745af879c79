/* content: what the kiosk shows and where it comes from, for the UI thread.
 * Opens the data folder (store + objects), trusts the configured public keys,
 * optionally activates a channel from where it was published (hiroba
 * --source DIR|URL: one sync cycle, before the first frame), and loads the
 * active pack with its media resolved to files in the object store. The
 * network thread (sync) will feed it while running next.
 * Never blocks the UI thread after open; never shows a pack that did not pass
 * channel_accept. */
#ifndef HIROBA_APP_CORE_CONTENT_H
#define HIROBA_APP_CORE_CONTENT_H

#include <stddef.h>

#include "app/core/channel.h"
#include "app/core/clock.h"
#include "app/core/model.h"
#include "app/core/store.h"

#define CONTENT_MAX_KEYS 8

typedef struct content_config {
    const char *data_dir;                /* e.g. /var/lib/hiroba */
    const char *channel;                 /* e.g. "chuo" */
    const char *trust[CONTENT_MAX_KEYS]; /* public key files (.pub) */
    size_t n_trust;
    const char *source_dir; /* NULL, or where hiroba-pack build published: a folder,
                               file://, http:// or https:// (one sync cycle) */
    const clock_source *clock;
} content_config;

typedef struct content content;

/* Opens everything; with source_dir, runs one sync cycle from it and
 * logs the outcome (a rejected or failed offer keeps the last good pack).
 * Returns NULL (logged) only when the data folder or store cannot be used
 * or no key can be trusted. */
content *content_open(const content_config *cfg);
void content_close(content *c);

/* The outcome of the --source activation (outcome CHANNEL_CURRENT if none). */
const channel_result *content_last_result(const content *c);

/* The active pack found at open, or NULL when there is none yet; ownership
 * passes to the caller (later packs come from the network thread's hub). */
model_pack *content_take_pack(content *c);
store *content_store(content *c);

/* A screen_ctx.media_path: the object file of m in the store. user is the
 * content. Returns 0, or -1 when the pack has no object for m. */
int content_media_path(void *user, const model_media *m, char *buf, size_t cap);

#endif
