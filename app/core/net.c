/* net: libcurl multi wrapper (see net.h). Must never follow a redirect to a
 * scheme other than http(s), never turn TLS verification off, and never
 * hand the caller the body of an error response. */
#include "app/core/net.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "app/core/log.h"

#define NET_DEFAULT_DEADLINE_S 300
#define NET_ERROR_BODY_MAX     (64 * 1024) /* an error page longer than this is cut off */
#define NET_MAX_REDIRECTS      3

typedef struct net_xfer {
    struct net_xfer *next;
    net *owner;
    CURL *easy;
    struct curl_slist *headers;
    char *url, *if_none_match, *if_modified_since;
    net_request req; /* strings point at the copies above */
    net_response resp;
    char errbuf[CURL_ERROR_SIZE];
} net_xfer;

struct net {
    CURLM *multi;
    net_config cfg;
    char *ca_file, *user_agent;
    net_xfer *queued, *queued_tail; /* FIFO, not started yet */
    net_xfer *running;
    size_t n_running;
};

static void xfer_free(net_xfer *x)
{
    if (!x)
        return;
    if (x->easy) {
        if (x->owner && x->owner->multi)
            curl_multi_remove_handle(x->owner->multi, x->easy);
        curl_easy_cleanup(x->easy);
    }
    curl_slist_free_all(x->headers);
    free(x->url);
    free(x->if_none_match);
    free(x->if_modified_since);
    free(x);
}

net *net_create(const net_config *cfg)
{
    static bool global_done;
    if (!global_done) {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
            LOG_ERROR("net", "curl_global_init failed");
            return NULL;
        }
        global_done = true;
    }
    net *n = calloc(1, sizeof *n);
    if (!n)
        goto fail;
    if (cfg)
        n->cfg = *cfg;
    if (!n->cfg.max_parallel)
        n->cfg.max_parallel = NET_DEFAULT_PARALLEL;
    if (n->cfg.connect_timeout_s <= 0)
        n->cfg.connect_timeout_s = NET_DEFAULT_CONNECT_TIMEOUT_S;
    if (n->cfg.low_speed_bytes <= 0)
        n->cfg.low_speed_bytes = NET_DEFAULT_LOW_SPEED_BYTES;
    if (n->cfg.low_speed_time_s <= 0)
        n->cfg.low_speed_time_s = NET_DEFAULT_LOW_SPEED_TIME_S;
    n->ca_file = cfg && cfg->ca_file && *cfg->ca_file ? strdup(cfg->ca_file) : NULL;
    n->user_agent = strdup(cfg && cfg->user_agent ? cfg->user_agent : "hiroba");
    if ((cfg && cfg->ca_file && *cfg->ca_file && !n->ca_file) || !n->user_agent)
        goto fail;
    n->cfg.ca_file = n->ca_file;
    n->cfg.user_agent = n->user_agent;
    n->multi = curl_multi_init();
    if (!n->multi)
        goto fail;
    return n;
fail:
    LOG_ERROR("net", "cannot create the network client (out of memory?)");
    net_destroy(n);
    return NULL;
}

void net_destroy(net *n)
{
    if (!n)
        return;
    for (net_xfer *lists[2] = {n->queued, n->running}, **l = lists; l < lists + 2; l++) {
        for (net_xfer *x = *l, *next; x; x = next) {
            next = x->next;
            xfer_free(x);
        }
    }
    if (n->multi)
        curl_multi_cleanup(n->multi);
    free(n->ca_file);
    free(n->user_agent);
    free(n);
}

static void trim(const char **s, size_t *len)
{
    while (*len && (**s == ' ' || **s == '\t')) {
        (*s)++;
        (*len)--;
    }
    while (*len && ((*s)[*len - 1] == '\r' || (*s)[*len - 1] == '\n' || (*s)[*len - 1] == ' ' ||
                    (*s)[*len - 1] == '\t'))
        (*len)--;
}

/* Copies a header value, or leaves "" when it does not fit (a cut ETag
 * would never match and a cut date would lie). */
static void copy_value(char *dst, size_t cap, const char *v, size_t len)
{
    if (len < cap) {
        memcpy(dst, v, len);
        dst[len] = '\0';
    } else {
        dst[0] = '\0';
    }
}

static size_t on_header(char *buf, size_t size, size_t nitems, void *user)
{
    net_xfer *x = user;
    size_t len = size * nitems;
    x->resp.header_bytes += len;
    if (len >= 5 && strncmp(buf, "HTTP/", 5) == 0) {
        /* A new response (after a redirect or a 100): forget the last one's headers. */
        x->resp.etag[0] = x->resp.last_modified[0] = '\0';
        x->resp.date = -1;
        x->resp.has_content_range = false;
        x->resp.range_start = 0;
        return len;
    }
    const char *colon = memchr(buf, ':', len);
    if (!colon)
        return len;
    size_t name_len = (size_t)(colon - buf);
    const char *v = colon + 1;
    size_t vlen = len - name_len - 1;
    trim(&v, &vlen);
    char tmp[NET_HTTP_DATE_MAX];
    if (name_len == 4 && strncasecmp(buf, "etag", 4) == 0) {
        copy_value(x->resp.etag, sizeof x->resp.etag, v, vlen);
    } else if (name_len == 13 && strncasecmp(buf, "last-modified", 13) == 0) {
        copy_value(x->resp.last_modified, sizeof x->resp.last_modified, v, vlen);
    } else if (name_len == 4 && strncasecmp(buf, "date", 4) == 0) {
        copy_value(tmp, sizeof tmp, v, vlen);
        time_t t = tmp[0] ? curl_getdate(tmp, NULL) : -1;
        x->resp.date = t;
    } else if (name_len == 13 && strncasecmp(buf, "content-range", 13) == 0) {
        copy_value(tmp, sizeof tmp, v, vlen);
        unsigned long long start;
        if (sscanf(tmp, "bytes %llu-", &start) == 1) {
            x->resp.has_content_range = true;
            x->resp.range_start = start;
        }
    }
    return len;
}

/* Ends the transfer once the owner asked to cancel (net_config.cancel). */
static int on_progress(void *user, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
    (void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
    const net *n = user;
    return atomic_load(n->cfg.cancel) ? 1 : 0;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *user)
{
    net_xfer *x = user;
    size_t len = size * nmemb;
    x->resp.body_bytes += len;
    long code = 0;
    curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &code);
    x->resp.http_code = code;
    if (code != 0 && (code < 200 || code > 299)) {
        /* An error page: counted, never handed on, and not read forever. */
        return x->resp.body_bytes > NET_ERROR_BODY_MAX ? 0 : len;
    }
    if (!x->req.write)
        return len;
    if (!x->req.write(x->req.user, &x->resp, data, len)) {
        x->resp.aborted = true;
        return 0; /* CURLE_WRITE_ERROR */
    }
    return len;
}

static int set_protocols(CURL *e)
{
#if LIBCURL_VERSION_NUM >= 0x075500 /* 7.85.0 */
    if (curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https,file") != CURLE_OK ||
        curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https") != CURLE_OK)
        return -1;
#else
    if (curl_easy_setopt(e, CURLOPT_PROTOCOLS,
                         (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS | CURLPROTO_FILE)) != CURLE_OK ||
        curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS)) !=
            CURLE_OK)
        return -1;
#endif
    return 0;
}

static int xfer_setup(net *n, net_xfer *x)
{
    CURL *e = x->easy = curl_easy_init();
    if (!e)
        return -1;
    char hdr[NET_ETAG_MAX + 32];
    if (x->if_none_match) {
        snprintf(hdr, sizeof hdr, "If-None-Match: %s", x->if_none_match);
        struct curl_slist *l = curl_slist_append(x->headers, hdr);
        if (!l)
            return -1;
        x->headers = l;
    }
    if (x->if_modified_since) {
        snprintf(hdr, sizeof hdr, "If-Modified-Since: %s", x->if_modified_since);
        struct curl_slist *l = curl_slist_append(x->headers, hdr);
        if (!l)
            return -1;
        x->headers = l;
    }
    char range[32];
    snprintf(range, sizeof range, "%llu-", (unsigned long long)x->req.range_start);
    long deadline = x->req.deadline_s > 0 ? x->req.deadline_s : NET_DEFAULT_DEADLINE_S;
    CURLcode rc = CURLE_OK;
#define SET(opt, val)                                                                              \
    do {                                                                                           \
        if (rc == CURLE_OK)                                                                        \
            rc = curl_easy_setopt(e, opt, val);                                                    \
    } while (0)
    SET(CURLOPT_URL, x->url);
    SET(CURLOPT_PRIVATE, (void *)x);
    SET(CURLOPT_NOSIGNAL, 1L);
    SET(CURLOPT_ERRORBUFFER, x->errbuf);
    SET(CURLOPT_HEADERFUNCTION, on_header);
    SET(CURLOPT_HEADERDATA, (void *)x);
    SET(CURLOPT_WRITEFUNCTION, on_body);
    SET(CURLOPT_WRITEDATA, (void *)x);
    SET(CURLOPT_USERAGENT, n->user_agent);
    if (n->cfg.cancel) {
        SET(CURLOPT_NOPROGRESS, 0L);
        SET(CURLOPT_XFERINFOFUNCTION, on_progress);
        SET(CURLOPT_XFERINFODATA, (void *)n);
    }
    /* Manifests are JSON and compress well (a web server with gzip for
     * application/json sends a fifth of the bytes); limits apply to the
     * decoded bytes the write callback sees, so a compression bomb stops at
     * the same size as any other oversized body. */
    SET(CURLOPT_ACCEPT_ENCODING, "");
    SET(CURLOPT_CONNECTTIMEOUT, n->cfg.connect_timeout_s);
    SET(CURLOPT_LOW_SPEED_LIMIT, n->cfg.low_speed_bytes);
    SET(CURLOPT_LOW_SPEED_TIME, n->cfg.low_speed_time_s);
    SET(CURLOPT_TIMEOUT, deadline);
    SET(CURLOPT_FOLLOWLOCATION, 1L);
    SET(CURLOPT_MAXREDIRS, (long)NET_MAX_REDIRECTS);
    SET(CURLOPT_SSL_VERIFYPEER, 1L);
    SET(CURLOPT_SSL_VERIFYHOST, 2L);
    if (n->ca_file)
        SET(CURLOPT_CAINFO, n->ca_file);
    if (x->headers)
        SET(CURLOPT_HTTPHEADER, x->headers);
    if (x->req.range_start > 0)
        SET(CURLOPT_RANGE, range);
#undef SET
    if (rc != CURLE_OK || set_protocols(e) != 0)
        return -1;
    return 0;
}

static void start_queued(net *n)
{
    while (n->queued && n->n_running < n->cfg.max_parallel) {
        net_xfer *x = n->queued;
        n->queued = x->next;
        if (!n->queued)
            n->queued_tail = NULL;
        x->next = n->running;
        n->running = x;
        n->n_running++;
        if (xfer_setup(n, x) != 0 || curl_multi_add_handle(n->multi, x->easy) != CURLM_OK) {
            /* Reported as a failed transfer at the next net_run. */
            snprintf(x->errbuf, sizeof x->errbuf, "cannot set up the transfer");
            x->resp.curl_code = CURLE_FAILED_INIT;
            if (x->easy) {
                curl_easy_cleanup(x->easy);
                x->easy = NULL;
            }
        }
    }
}

int net_get(net *n, const net_request *req)
{
    if (!n || !req || !req->url || !req->done) {
        LOG_ERROR("net", "net_get: bad request");
        return -1;
    }
    net_xfer *x = calloc(1, sizeof *x);
    if (!x)
        goto fail;
    x->owner = n;
    x->req = *req;
    x->url = strdup(req->url);
    x->if_none_match =
        req->if_none_match && *req->if_none_match ? strdup(req->if_none_match) : NULL;
    x->if_modified_since =
        req->if_modified_since && *req->if_modified_since ? strdup(req->if_modified_since) : NULL;
    if (!x->url || (req->if_none_match && *req->if_none_match && !x->if_none_match) ||
        (req->if_modified_since && *req->if_modified_since && !x->if_modified_since))
        goto fail;
    x->req.url = x->url;
    x->req.if_none_match = x->if_none_match;
    x->req.if_modified_since = x->if_modified_since;
    x->resp.date = -1;
    if (n->queued_tail)
        n->queued_tail->next = x;
    else
        n->queued = x;
    n->queued_tail = x;
    start_queued(n);
    return 0;
fail:
    LOG_ERROR("net", "net_get: out of memory");
    xfer_free(x);
    return -1;
}

static void unlink_running(net *n, net_xfer *x)
{
    for (net_xfer **p = &n->running; *p; p = &(*p)->next) {
        if (*p == x) {
            *p = x->next;
            n->n_running--;
            return;
        }
    }
}

static void finish(net *n, net_xfer *x, CURLcode result)
{
    unlink_running(n, x);
    if (x->easy) {
        long code = 0;
        curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &code);
        x->resp.http_code = code;
        x->resp.curl_code = (int)result;
        /* On the wire a gzip-encoded body is smaller than what was decoded. */
        curl_off_t wire = 0;
        if (curl_easy_getinfo(x->easy, CURLINFO_SIZE_DOWNLOAD_T, &wire) == CURLE_OK && wire >= 0 &&
            (uint64_t)wire < x->resp.body_bytes)
            x->resp.body_bytes = (uint64_t)wire;
        char *effective = NULL;
        if (curl_easy_getinfo(x->easy, CURLINFO_EFFECTIVE_URL, &effective) == CURLE_OK)
            x->resp.effective_url = effective; /* owned by the handle, freed after done */
    }
    if (x->resp.curl_code != 0)
        snprintf(x->resp.error, sizeof x->resp.error, "%s",
                 x->errbuf[0] ? x->errbuf : curl_easy_strerror((CURLcode)x->resp.curl_code));
    x->req.done(x->req.user, &x->resp);
    xfer_free(x);
}

int net_run(net *n, int timeout_ms)
{
    /* Transfers that could not even start end here, outside net_get's caller. */
    for (net_xfer *x = n->running, *next; x; x = next) {
        next = x->next;
        if (!x->easy)
            finish(n, x, CURLE_FAILED_INIT);
    }
    int still = 0;
    if (curl_multi_perform(n->multi, &still) != CURLM_OK)
        return -1;
    CURLMsg *msg;
    int left;
    while ((msg = curl_multi_info_read(n->multi, &left))) {
        if (msg->msg != CURLMSG_DONE)
            continue;
        net_xfer *x = NULL;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&x);
        CURLcode result = msg->data.result;
        if (x)
            finish(n, x, result);
    }
    start_queued(n);
    if (net_busy(n) == 0)
        return 0;
    if (timeout_ms > 0 && curl_multi_poll(n->multi, NULL, 0, timeout_ms, NULL) != CURLM_OK)
        return -1;
    return (int)net_busy(n);
}

size_t net_busy(const net *n)
{
    size_t q = 0;
    for (const net_xfer *x = n->queued; x; x = x->next)
        q++;
    return n->n_running + q;
}

/* ---- bodies in memory ---- */

#define NET_BODY_FIRST_BYTES 4096

bool net_body_append(net_body *b, const void *data, size_t len)
{
    if (len > b->max - b->len) {
        b->too_big = true;
        return false;
    }
    if (b->len + len > b->cap) {
        size_t cap = b->cap ? b->cap : NET_BODY_FIRST_BYTES;
        while (cap < b->len + len)
            cap *= 2;
        if (cap > b->max)
            cap = b->max;
        char *nb = realloc(b->buf, cap);
        if (!nb) {
            b->nomem = true;
            return false;
        }
        b->buf = nb;
        b->cap = cap;
    }
    memcpy(b->buf + b->len, data, len);
    b->len += len;
    return true;
}

void net_body_clear(net_body *b)
{
    free(b->buf);
    *b = (net_body){.max = b->max};
}
