/* status: what the staff view shows about the kiosk, as plain data with
 * fixed-size strings (a report can be copied, kept by a screen and compared
 * in tests). Main fills the parts it owns (pack, sync, feeds, alerts);
 * status_collect_system adds what the system knows: network addresses
 * (getifaddrs), free space in the data folder (statvfs), and the recent
 * problems (log.h's ring and the store's rejections, newest first).
 * Never includes SDL or ui/. status_collect_system makes a few system calls
 * and one small SQLite query: for the staff view's refresh every few
 * seconds, not for every frame. */
#ifndef HIROBA_APP_CORE_STATUS_H
#define HIROBA_APP_CORE_STATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/core/hub.h"
#include "app/core/log.h"
#include "app/core/store.h"

#define STATUS_TEXT_MAX   64
#define STATUS_ADDRS_MAX  6
#define STATUS_ERRORS_MAX 6

typedef struct status_feed {
    bool configured;
    int64_t fetched_at_s; /* 0: nothing shown yet */
    bool failing;
    char error[HUB_FEED_ERROR_MAX];
} status_feed;

typedef struct status_problem {
    int64_t at_s;                /* epoch seconds of the latest occurrence */
    uint32_t count;              /* occurrences in a row */
    bool error;                  /* an error (else a warning or a refusal) */
    char source[LOG_MODULE_MAX]; /* log module, or the rejection's source */
    char text[LOG_MESSAGE_MAX];
} status_problem;

typedef struct status_report {
    char kiosk_id[STATUS_TEXT_MAX];
    char version[STATUS_TEXT_MAX];
    char channel[STATUS_TEXT_MAX];
    int64_t pack_version; /* 0: no pack */
    int64_t pack_issued_s;
    bool have_sync; /* a sync ended since start */
    bool sync_ok;   /* updated or current */
    int64_t sync_at_s;
    char sync_result[256]; /* "updated, version 3", "failed: ..." */
    status_feed queue, vacancy;
    size_t alerts_live;
    bool alert_takeover;
    char alert_headline[LOG_MESSAGE_MAX]; /* the first live alert's, "" when none */
    size_t n_addrs;
    char addrs[STATUS_ADDRS_MAX][STATUS_TEXT_MAX]; /* "eth0 192.0.2.10" */
    int64_t disk_free_bytes;                       /* -1: unknown */
    int64_t disk_total_bytes;
    size_t n_problems;
    status_problem problems[STATUS_ERRORS_MAX]; /* newest first */
} status_report;

/* The kiosk's name: configured (config kiosk_id) when set, else the host
 * name. Copied into out, one line. */
void status_kiosk_id(char *out, size_t cap, const char *configured);

/* Fills r's addresses (interfaces up, not loopback, IPv4 then IPv6 without
 * link-local ones; at most STATUS_ADDRS_MAX), disk (statvfs of data_dir) and
 * problems (log_recent and, when st is not NULL, store_rejections, merged
 * newest first). Leaves the other fields as they are. */
void status_collect_system(status_report *r, const char *data_dir, store *st);

#endif
