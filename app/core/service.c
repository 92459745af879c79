/* service: sd_notify for the kiosk's systemd unit (see service.h). Must never
 * block the UI loop, never send a status that could smuggle in another
 * field, and never fail the kiosk because systemd is not listening. */
#include "app/core/service.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <systemd/sd-daemon.h>

#include "app/core/log.h"

struct service {
    bool supervised;        /* $NOTIFY_SOCKET was set at create */
    bool ready_sent;        /* READY=1 went out once */
    uint64_t watchdog_usec; /* 0: no watchdog for this process */
    int64_t last_ping_ms;   /* when WATCHDOG=1 last went out */
    bool pinged;            /* last_ping_ms is meaningful */
};

service *service_create(void)
{
    service *s = calloc(1, sizeof *s);
    if (!s) {
        LOG_ERROR("service", "out of memory");
        return NULL;
    }
    const char *socket = getenv("NOTIFY_SOCKET");
    s->supervised = socket && *socket;
    uint64_t usec = 0;
    /* > 0 only when $WATCHDOG_USEC is a positive number and $WATCHDOG_PID,
     * if set, is this process: a watchdog inherited from a parent is not ours. */
    int rc = sd_watchdog_enabled(0, &usec);
    if (rc > 0 && s->supervised)
        s->watchdog_usec = usec;
    else if (rc < 0)
        LOG_WARN("service", "ignoring the systemd watchdog settings: %s", strerror(-rc));
    if (s->supervised)
        LOG_INFO("service", "under systemd; watchdog %s (%llu ms)", s->watchdog_usec ? "on" : "off",
                 (unsigned long long)(s->watchdog_usec / 1000));
    return s;
}

void service_destroy(service *s)
{
    free(s);
}

bool service_supervised(const service *s)
{
    return s && s->supervised;
}

uint64_t service_watchdog_usec(const service *s)
{
    return s ? s->watchdog_usec : 0;
}

/* The length of the valid UTF-8 sequence at p (n bytes left), or 0 when the
 * bytes there are not one (overlong forms, surrogates and code points past
 * U+10FFFF included, as RFC 3629 says). */
static size_t utf8_sequence(const unsigned char *p, size_t n)
{
    unsigned char c = p[0];
    size_t len;
    uint32_t cp;
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf) {
        len = 2;
        cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3f);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
        (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

size_t service_status_clean(char *out, size_t size, const char *status)
{
    if (!out || size == 0)
        return 0;
    if (size > SERVICE_STATUS_MAX)
        size = SERVICE_STATUS_MAX;
    size_t o = 0;
    const unsigned char *p = (const unsigned char *)(status ? status : "");
    size_t n = strlen((const char *)p);
    size_t i = 0;
    while (i < n) {
        size_t len = utf8_sequence(p + i, n - i);
        if (o + (len ? len : 1) >= size)
            break; /* never half a character: stop before it */
        if (len == 0) {
            out[o++] = '?';
            i++;
        } else if (len == 1 && (p[i] < 0x20 || p[i] == 0x7f)) {
            out[o++] = ' ';
            i++;
        } else {
            memcpy(out + o, p + i, len);
            o += len;
            i += len;
        }
    }
    out[o] = '\0';
    return o;
}

/* Sends one notification; 1 sent, 0 nobody listening, -1 failed (logged,
 * de-duplicated by log.c when it keeps failing). */
static int notify(service *s, const char *message)
{
    if (!s || !s->supervised)
        return 0;
    int rc = sd_notify(0, message);
    if (rc < 0) {
        /* Only the first line: the rest is a status text. */
        LOG_WARN("service", "sd_notify(%.*s) failed: %s", (int)strcspn(message, "\n"), message,
                 strerror(-rc));
        return -1;
    }
    return rc > 0 ? 1 : 0;
}

/* "PREFIX\nSTATUS=clean(status)" into buf. */
static void with_status(char *buf, size_t size, const char *prefix, const char *status)
{
    char clean[SERVICE_STATUS_MAX];
    service_status_clean(clean, sizeof clean, status);
    snprintf(buf, size, "%s%sSTATUS=%s", prefix, *prefix ? "\n" : "", clean);
}

int service_ready(service *s, const char *status)
{
    if (!s || !s->supervised)
        return 0;
    char buf[SERVICE_STATUS_MAX + 32];
    if (s->ready_sent) {
        if (!status)
            return 0;
        with_status(buf, sizeof buf, "", status);
    } else if (status) {
        with_status(buf, sizeof buf, "READY=1", status);
    } else {
        snprintf(buf, sizeof buf, "READY=1");
    }
    int rc = notify(s, buf);
    if (rc > 0)
        s->ready_sent = true;
    return rc;
}

int service_status(service *s, const char *status)
{
    if (!s || !s->supervised)
        return 0;
    char buf[SERVICE_STATUS_MAX + 32];
    with_status(buf, sizeof buf, "", status);
    return notify(s, buf);
}

int service_watchdog(service *s, int64_t now_ms)
{
    if (!s || !s->watchdog_usec)
        return 0;
    /* Half the interval, as sd_watchdog_enabled(3) advises; at least every
     * millisecond for an interval too short to halve in milliseconds. */
    int64_t half_ms = (int64_t)(s->watchdog_usec / 2000);
    if (s->pinged && now_ms - s->last_ping_ms < half_ms && now_ms >= s->last_ping_ms)
        return 0;
    int rc = notify(s, "WATCHDOG=1");
    /* A failed ping is retried on the next turn, not half an interval later. */
    if (rc > 0) {
        s->last_ping_ms = now_ms;
        s->pinged = true;
    }
    return rc;
}

int service_stopping(service *s)
{
    return notify(s, "STOPPING=1");
}
