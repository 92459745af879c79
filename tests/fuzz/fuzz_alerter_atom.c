/* fuzz_alerter_atom: libFuzzer target for the alerter's Atom reader (an
 * index of CAP entries, libxml2) and its trusted-prefix check. Byte 0 picks
 * the feed's URL (https, plain http, file); the rest is the feed. Checked:
 * the answer is 0, 1 or ALERT_NOMEM; nothing is kept unless 1; at most
 * ALERTER_ATOM_MAX links, distinct, each at most ALERTER_URL_MAX bytes with
 * no white space, control byte or backslash, no "." or ".." segment, and
 * https or of the feed's own origin; a skip has a reason; the same input
 * gives the same answer; a link is trusted under a prefix only if it starts
 * with it and is https. A broken promise aborts with a line saying which. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/core/alerter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_alerter_atom: invariant failed: %s (line %d)\n", #cond,          \
                    __LINE__);                                                                     \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

static const struct {
    const char *url;
    const char *origin;
} feeds[] = {
    {"https://relay.example.jp/cap/feed.xml", "https://relay.example.jp"},
    {"http://192.0.2.7:8080/feeds/cap.xml", "http://192.0.2.7:8080"},
    {"file:///srv/www/cap/feed.xml", "file://"},
    {"https://relay.example.jp", "https://relay.example.jp"},
};

static bool has_dot_segment(const char *url, size_t origin)
{
    const char *p = url + origin;
    size_t end = strcspn(p, "?#");
    for (size_t i = 0; i < end;) {
        size_t n = strcspn(p + i, "/");
        if (i + n > end)
            n = end - i;
        if ((n == 1 && p[i] == '.') || (n == 2 && p[i] == '.' && p[i + 1] == '.'))
            return true;
        /* Percent-encoded dots: anything made only of "." and "%2e". */
        size_t k = i, dots = 0;
        bool only = n > 0;
        while (k < i + n && only) {
            if (p[k] == '.') {
                k++;
                dots++;
            } else if (k + 3 <= i + n && p[k] == '%' && p[k + 1] == '2' &&
                       (p[k + 2] == 'e' || p[k + 2] == 'E')) {
                k += 3;
                dots++;
            } else {
                only = false;
            }
        }
        if (only && (dots == 1 || dots == 2))
            return true;
        i += n + 1;
    }
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t which = data[0] % (sizeof feeds / sizeof feeds[0]);
    const char *doc = (const char *)data + 1;
    size_t len = size - 1;
    alerter_atom a, b;
    int r = alerter_atom_parse(doc, len, feeds[which].url, &a);
    CHECK(r == 0 || r == 1 || r == ALERT_NOMEM);
    if (r != 1)
        CHECK(a.n == 0 && a.skipped == 0);
    CHECK(a.n <= ALERTER_ATOM_MAX);
    CHECK(!a.skipped || a.first_skip[0]);
    size_t olen = strlen(feeds[which].origin);
    for (size_t i = 0; i < a.n; i++) {
        const char *u = a.urls[i];
        CHECK(u && strlen(u) <= ALERTER_URL_MAX);
        for (const unsigned char *p = (const unsigned char *)u; *p; p++)
            CHECK(*p > 0x20 && *p != 0x7f && *p != '\\');
        bool https = strncmp(u, "https://", 8) == 0;
        bool same = strncmp(u, feeds[which].origin, olen) == 0 &&
                    (u[olen] == '/' || u[olen] == '?' || u[olen] == '\0');
        CHECK(https || same);
        size_t origin = strstr(u, "://") - u + 3;
        origin += strcspn(u + origin, "/?#");
        CHECK(!has_dot_segment(u, origin));
        CHECK(!strchr(u, '#'));
        for (size_t k = 0; k < i; k++)
            CHECK(strcmp(a.urls[k], u) != 0);
        /* Under its own origin as a prefix, a link is trusted only over https. */
        char prefix[ALERTER_URL_MAX + 2];
        snprintf(prefix, sizeof prefix, "%.*s/", (int)origin, u);
        if (alerter_url_trusted(prefix, u))
            CHECK(https && strncmp(u, prefix, strlen(prefix)) == 0);
    }
    int r2 = alerter_atom_parse(doc, len, feeds[which].url, &b);
    CHECK(r2 == r || r == ALERT_NOMEM || r2 == ALERT_NOMEM);
    if (r == 1 && r2 == 1) {
        CHECK(a.n == b.n && a.skipped == b.skipped);
        for (size_t i = 0; i < a.n; i++)
            CHECK(strcmp(a.urls[i], b.urls[i]) == 0);
    }
    alerter_atom_clear(&a);
    alerter_atom_clear(&b);
    /* The input itself as a URL under each prefix. */
    char *url = malloc(len + 1);
    if (url) {
        memcpy(url, doc, len);
        url[len] = '\0';
        for (size_t i = 0; i < sizeof feeds / sizeof feeds[0]; i++) {
            if (alerter_url_trusted(feeds[i].url, url)) {
                CHECK(strncmp(url, "https://", 8) == 0);
                CHECK(strncmp(url, feeds[i].url, strlen(feeds[i].url)) == 0);
            }
        }
        free(url);
    }
    return 0;
}
