/* app_live: the loop's hand-over of live data. The network threads publish
 * new packs, feed snapshots and alert snapshots through the hub; each step
 * here puts the newest on screen and retires the one it replaces, which
 * app_handle_retired frees once the screen's next update has dropped its
 * pointers into it. UI thread only. */
#include "app/app_private.h"
#include "app/core/log.h"

/* A newer pack from the network thread goes on screen; the one it replaces
 * lives until the screen's next update has dropped its pointers into it. */
void app_handle_hub(struct app *a)
{
    if (!a->hub)
        return;
    model_pack *p = hub_take_pack(a->hub);
    if (!p)
        return;
    model_pack_destroy(a->retired);
    a->retired = a->pack;
    a->pack = p;
    a->ctx.pack = p;
    feeder_set_urls(a->feeder, &p->feeds);
    alerter_set_urls(a->alerter, &p->feeds);
    LOG_INFO("main", "now showing %s version %lld", p->manifest.channel,
             (long long)p->manifest.version);
    ui_frame_invalidate(&a->frame);
}

/* New live-feed snapshots go on screen like packs: the one replaced lives
 * until the screen's next update. A status that says nothing is shown (the
 * pack has no such feed, or names a new URL with nothing cached for it)
 * drops the snapshot on screen, and one taken with it (published for the
 * old URL before the change): another place's numbers never stay. */
void app_handle_feeds(struct app *a)
{
    if (!a->hub)
        return;
    bool changed = false;
    feeds_queue *q;
    feeds_vacancy *v;
    hub_feed_status st;
    if (hub_take_queue(a->hub, &q, &st)) {
        bool nothing = !st.configured || st.fetched_at_ms == 0;
        if (nothing) {
            feeds_queue_destroy(q);
            q = NULL;
        }
        if (q || nothing) {
            feeds_queue_destroy(a->retired_queue);
            a->retired_queue = a->queue;
            a->queue = q;
            a->feeds.queue = q;
        }
        a->feeds.queue_status = st;
        changed = true;
    }
    if (hub_take_vacancy(a->hub, &v, &st)) {
        bool nothing = !st.configured || st.fetched_at_ms == 0;
        if (nothing) {
            feeds_vacancy_destroy(v);
            v = NULL;
        }
        if (v || nothing) {
            feeds_vacancy_destroy(a->retired_vacancy);
            a->retired_vacancy = a->vacancy;
            a->vacancy = v;
            a->feeds.vacancy = v;
        }
        a->feeds.vacancy_status = st;
        changed = true;
    }
    if (changed) {
        a->feeds.serial++;
        ui_frame_invalidate(&a->frame);
    }
}

/* A new alerts snapshot goes on screen at once (the frame is redrawn this
 * turn); the one it replaces is released after the screen's next update.
 * The loop also wakes when an alert's time is up, so that it leaves the
 * screen on time even when nothing new is published. */
void app_handle_alerts(struct app *a)
{
    if (!a->hub)
        return;
    alerts_snapshot *s = hub_take_alerts(a->hub);
    if (s) {
        alerts_snapshot_unref(a->retired_alerts);
        a->retired_alerts = a->alerts;
        a->alerts = s;
        a->ctx.alerts = s;
        ui_frame_invalidate(&a->frame);
    }
    int64_t next = alerts_snapshot_next_change(a->alerts);
    if (next == ALERTS_MONO_NEVER || next == a->alerts_change_seen)
        return;
    if (a->ctx.now_ms >= next) {
        a->alerts_change_seen = next;
        ui_frame_invalidate(&a->frame);
    } else {
        int64_t in = next - a->ctx.now_ms;
        ui_frame_wake_in(&a->frame, (uint32_t)(in < 60000 ? in : 60000));
    }
}

/* After the screen's update: nothing points into the retired snapshots any
 * more. */
void app_handle_retired(struct app *a)
{
    model_pack_destroy(a->retired);
    a->retired = NULL;
    feeds_queue_destroy(a->retired_queue);
    a->retired_queue = NULL;
    feeds_vacancy_destroy(a->retired_vacancy);
    a->retired_vacancy = NULL;
    alerts_snapshot_unref(a->retired_alerts);
    a->retired_alerts = NULL;
}
