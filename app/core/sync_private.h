/* sync_private: what sync.c and sync_fetch.c share. Not for other modules. */
#ifndef HIROBA_APP_CORE_SYNC_PRIVATE_H
#define HIROBA_APP_CORE_SYNC_PRIVATE_H

#include "app/core/model.h"
#include "app/core/net.h"
#include "app/core/sync.h"

#define SYNC_BASE_MAX 1700 /* "etag:" + the manifest URL must fit STORE_KV_KEY_MAX */

struct sync_engine {
    store *store;
    objects *objects;
    const trust_keyring *keys;
    const clock_source *clock;
    net *net;
    bool remote; /* http(s): validators and Range apply */
    char channel[STORE_CHANNEL_MAX];
    char base[SYNC_BASE_MAX];
    char manifest_url[1920];
    char sig_url[1940];
    char key_etag[STORE_KV_KEY_MAX];
    char key_lastmod[STORE_KV_KEY_MAX];
    /* This cycle's tallies. */
    uint64_t bytes;
    unsigned fetched;
};

typedef struct sync_download sync_download;

/* The objects of one manifest, fetched all at once at channel_accept's
 * first fetch call (by then the manifest has passed every check that does
 * not need the objects). */
typedef struct sync_fetch_state {
    sync_engine *s;
    const char *manifest; /* borrowed: the verified text */
    size_t manifest_len;
    bool started;
    model_pack *pack;
    sync_download *dl;
    size_t n_dl;
} sync_fetch_state;

/* A channel_fetch_fn; user is a sync_fetch_state. */
int sync_fetch_object(void *user, objects *objs, const model_object *obj, uint64_t *bytes,
                      char *err, size_t errlen);
/* Frees what the fetches allocated (writers are all closed by then). */
void sync_fetch_state_clear(sync_fetch_state *fs);

#endif
