/* net: the kiosk's HTTP(S)/file client, a thin wrapper over one libcurl
 * multi handle. Several GETs run at once (at most max_parallel; the rest wait
 * in a queue so their deadlines start when they do). Every transfer has a
 * connect timeout, a low-speed limit and an overall deadline; TLS peers are
 * always verified; only http, https and file are spoken, and redirects may
 * only go to http or https.
 * It never buffers a body: bytes go to the caller's write function as they
 * arrive, and the caller decides when enough is enough. It never logs a
 * body and never sets the system clock (Date is only reported).
 * Threads: a net belongs to the thread that created it (the network thread). */
#ifndef HIROBA_APP_CORE_NET_H
#define HIROBA_APP_CORE_NET_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct net net;

#define NET_DEFAULT_PARALLEL          4
#define NET_DEFAULT_CONNECT_TIMEOUT_S 10
#define NET_DEFAULT_LOW_SPEED_BYTES   1024 /* per second ... */
#define NET_DEFAULT_LOW_SPEED_TIME_S  20   /* ... for this long aborts */
#define NET_ETAG_MAX                  256
#define NET_HTTP_DATE_MAX             64
#define NET_ERROR_MAX                 256

typedef struct net_config {
    unsigned max_parallel;  /* 0: NET_DEFAULT_PARALLEL */
    long connect_timeout_s; /* 0: NET_DEFAULT_CONNECT_TIMEOUT_S */
    long low_speed_bytes;   /* 0: NET_DEFAULT_LOW_SPEED_BYTES */
    long low_speed_time_s;  /* 0: NET_DEFAULT_LOW_SPEED_TIME_S */
    const char *ca_file;    /* NULL: the system's CA bundle; else only this (pinned) */
    const char *user_agent; /* NULL: "hiroba" */
    /* When set and *cancel becomes non-zero (another thread may set it),
     * every running transfer ends at its next progress check (within about
     * a second), as aborted. Borrowed until destroy. */
    const atomic_int *cancel;
} net_config;

/* What is known about a response: while it streams (write) and at the end (done). */
typedef struct net_response {
    long http_code;            /* 0 for file:// or when no response came */
    int curl_code;             /* CURLcode; 0 when the transfer completed */
    bool aborted;              /* the write function refused bytes */
    char error[NET_ERROR_MAX]; /* why it failed, "" when curl_code == 0 */
    char etag[NET_ETAG_MAX];   /* "" when absent or too long */
    char last_modified[NET_HTTP_DATE_MAX];
    int64_t date; /* the server's Date header, epoch seconds; -1 if absent */
    bool has_content_range;
    uint64_t range_start;  /* from Content-Range: bytes START-END/TOTAL */
    uint64_t header_bytes; /* bytes of headers received (every response, redirects too) */
    uint64_t body_bytes;   /* bytes of body received, including a discarded error body;
                            * when done: as on the wire (before gzip decoding) */
    /* When done: the URL the last response came from, after any redirect
     * (what a trust decision about the body must look at, not the URL asked
     * for); borrowed for the done call; NULL when unknown or while streaming. */
    const char *effective_url;
} net_response;

/* Receives len body bytes of a 2xx (or file://) response; head carries the
 * status and headers. Return true to go on, false to abort the transfer (it
 * then ends with aborted set). Bodies of other statuses are counted and
 * dropped, never passed here. */
typedef bool (*net_write_fn)(void *user, const net_response *head, const void *data, size_t len);
/* Called once per transfer when it ends, whatever the outcome; r is
 * borrowed for the call. The caller may queue new transfers from here. */
typedef void (*net_done_fn)(void *user, const net_response *r);

typedef struct net_request {
    const char *url;               /* copied */
    const char *if_none_match;     /* NULL or an ETag (copied) */
    const char *if_modified_since; /* NULL or an HTTP date (copied) */
    uint64_t range_start;          /* > 0: ask for bytes=range_start- */
    long deadline_s;               /* whole transfer; 0: 300 */
    net_write_fn write;            /* may be NULL: the body is counted and dropped */
    net_done_fn done;              /* required */
    void *user;
} net_request;

/* Calls curl_global_init once per process (not thread-safe: create the
 * first net before starting threads). Copies cfg. NULL (logged) on failure. */
net *net_create(const net_config *cfg);
/* Drops every transfer in flight or queued without calling done. */
void net_destroy(net *n);

/* Queues a GET. Returns 0, or -1 (logged) for a bad request or no memory. */
int net_get(net *n, const net_request *req);

/* Drives the transfers for up to timeout_ms (waiting in curl_multi_poll),
 * calling write and done as things happen. Returns the number of transfers
 * still in flight or queued (0: all done), or -1 on a libcurl error. */
int net_run(net *n, int timeout_ms);

/* Transfers in flight or queued. */
size_t net_busy(const net *n);

/* A response body gathered in memory, refused as soon as it passes a cap:
 * a huge or endless answer costs at most max bytes and no more time. Set
 * max before the transfer; append from a net_write_fn and return what it
 * returns (false aborts the transfer). buf is not NUL-terminated. */
typedef struct net_body {
    char *buf; /* malloc'ed; NULL while empty */
    size_t len, cap;
    size_t max;   /* the cap, bytes */
    bool too_big; /* the body passed max (nothing more was kept) */
    bool nomem;   /* growing the buffer failed */
} net_body;

/* Appends len bytes. Returns false (too_big or nomem set) to abort. */
bool net_body_append(net_body *b, const void *data, size_t len);
/* Frees the buffer and empties b (max is kept). */
void net_body_clear(net_body *b);

#endif
