/* sync_once: the --sync-once runner (see sync_once.h). The JSON line is the
 * interface outside checks read: printed with jansson so that reasons are
 * escaped, and printed whatever happens, failures to start included. */
#include "app/sync_once.h"

#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "app/core/clock.h"
#include "app/core/log.h"
#include "app/core/objects.h"
#include "app/core/store.h"
#include "app/core/sync.h"
#include "app/core/trust.h"

static void print_result(const sync_result *r)
{
    const char *reason = r->reason;
    json_t *j = NULL;
    for (int attempt = 0; attempt < 2 && !j; attempt++) {
        j = json_pack("{s:s, s:I, s:I, s:I, s:s}", "result", channel_outcome_name(r->outcome),
                      "version", (json_int_t)r->version, "bytes", (json_int_t)r->bytes,
                      "objects_fetched", (json_int_t)r->objects_fetched, "reason", reason);
        reason = "(reason not valid UTF-8)"; /* jansson refuses invalid UTF-8 */
    }
    char *line = j ? json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
    if (line)
        printf("%s\n", line);
    else /* out of memory: still one line, with nothing that needs escaping */
        printf("{\"result\":\"failed\",\"version\":0,\"bytes\":0,\"objects_fetched\":0,"
               "\"reason\":\"out of memory\"}\n");
    fflush(stdout);
    free(line);
    json_decref(j);
}

int sync_once_run(const struct options *o, const char *user_agent)
{
    sync_result r = {.outcome = CHANNEL_FAILED};
    clock_source *clk = clock_create(o->clock_spec);
    store *st = clk ? store_open(o->data_dir, clk) : NULL;
    objects *objs = st ? objects_open(o->data_dir) : NULL;
    trust_keyring *keys = objs ? trust_keyring_from_files(o->trust, o->n_trust, "sync") : NULL;
    sync_engine *s = NULL;
    if (!keys) {
        snprintf(r.reason, sizeof r.reason, "cannot open the data folder %.250s", o->data_dir);
        goto done;
    }
    if (trust_keyring_count(keys) == 0) {
        snprintf(r.reason, sizeof r.reason, "no usable trust key");
        goto done;
    }
    sync_config cfg = {.source = o->source,
                       .channel = o->channel,
                       .store = st,
                       .objects = objs,
                       .keys = keys,
                       .clock = clk,
                       .ca_file = o->ca_file,
                       .user_agent = user_agent};
    s = sync_create(&cfg);
    if (!s) {
        snprintf(r.reason, sizeof r.reason, "cannot start the sync engine");
        goto done;
    }
    sync_verify_active(s); /* a corrupt cached object is fetched again */
    sync_cycle(s, &r);
    if (r.outcome == CHANNEL_UPDATED || r.outcome == CHANNEL_CURRENT)
        LOG_INFO("sync", "%s from %s: %s, version %lld", o->channel, sync_source_url(s),
                 channel_outcome_name(r.outcome), (long long)r.version);
    else
        LOG_WARN("sync", "%s from %s: %s: %s (keeping the last good pack)", o->channel,
                 sync_source_url(s), channel_outcome_name(r.outcome), r.reason);
    store_maintain(st, 0);
done:
    print_result(&r);
    sync_destroy(s);
    trust_keyring_destroy(keys);
    objects_close(objs);
    store_close(st);
    clock_destroy(clk);
    return r.outcome == CHANNEL_UPDATED || r.outcome == CHANNEL_CURRENT ? 0 : 1;
}
