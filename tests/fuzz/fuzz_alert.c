/* fuzz_alert: libFuzzer target for the alert parsers (CAP XML through libxml2,
 * native JSON through jansson) and the decision. Any bytes go in as CAP, as
 * native, and through the sniffing alert_parse; the promises of alert.h are
 * checked and a broken one aborts with a line saying which. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/core/alert.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_alert: invariant failed: %s (line %d)\n", #cond, __LINE__);      \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

static bool utf8_ok(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned c = *p;
        size_t len = c < 0x80                 ? 1
                     : c >= 0xC2 && c <= 0xDF ? 2
                     : c >= 0xE0 && c <= 0xEF ? 3
                     : c >= 0xF0 && c <= 0xF4 ? 4
                                              : 0;
        if (!len)
            return false;
        for (size_t k = 1; k < len; k++)
            if ((p[k] & 0xC0) != 0x80)
                return false;
        p += len;
    }
    return true;
}

static void check_str(const char *s, size_t max, bool nonempty)
{
    CHECK(s != NULL);
    size_t n = strlen(s);
    CHECK(n <= max && (!nonempty || n > 0));
    CHECK(utf8_ok(s));
    /* Trimmed. */
    CHECK(n == 0 || (s[0] != ' ' && s[0] != '\n' && s[n - 1] != ' ' && s[n - 1] != '\n'));
}

static void check_alert(const alert *a)
{
    check_str(a->identifier, ALERT_MAX_SHORT, true);
    check_str(a->sender, ALERT_MAX_SHORT, true);
    CHECK(a->sent >= 0);
    CHECK(alert_status_name(a->status)[0] && alert_msg_type_name(a->msg_type)[0]);
    CHECK(a->source == ALERT_SOURCE_CAP
              ? (a->cap_version == 10 || a->cap_version == 11 || a->cap_version == 12)
              : a->cap_version == 0);
    CHECK(a->n_references <= ALERT_MAX_REFERENCES);
    if (a->msg_type == ALERT_MSG_UPDATE || a->msg_type == ALERT_MSG_CANCEL)
        CHECK(a->n_references >= 1);
    for (size_t i = 0; i < a->n_references; i++) {
        check_str(a->references[i].identifier, ALERT_MAX_SHORT * 64, true);
        check_str(a->references[i].sender, ALERT_MAX_SHORT * 64, false);
    }
    CHECK(a->n_info <= ALERT_MAX_INFO);
    for (size_t i = 0; i < a->n_info; i++) {
        const alert_info *in = &a->info[i];
        check_str(in->language, ALERT_MAX_SHORT, true);
        check_str(in->category, ALERT_MAX_SHORT, a->source == ALERT_SOURCE_CAP);
        check_str(in->event, ALERT_MAX_STRING, a->source == ALERT_SOURCE_CAP);
        check_str(in->headline, ALERT_MAX_STRING, a->source == ALERT_SOURCE_NATIVE);
        check_str(in->description, ALERT_MAX_STRING, false);
        check_str(in->instruction, ALERT_MAX_STRING, false);
        check_str(in->web, ALERT_MAX_STRING, false);
        check_str(in->sender_name, ALERT_MAX_STRING, false);
        CHECK(alert_severity_name(in->severity)[0] && alert_urgency_name(in->urgency)[0] &&
              alert_certainty_name(in->certainty)[0]);
        CHECK(in->n_areas <= ALERT_MAX_AREAS && in->n_shelters <= ALERT_MAX_SHELTERS);
        for (size_t k = 0; k < in->n_areas; k++)
            check_str(in->areas[k], ALERT_MAX_STRING, true);
        for (size_t k = 0; k < in->n_shelters; k++) {
            check_str(in->shelters[k].name, ALERT_MAX_STRING, true);
            check_str(in->shelters[k].address, ALERT_MAX_STRING, false);
        }
    }
    static const int64_t instants[] = {0, 1795482000, 4102444800LL};
    for (size_t t = 0; t < sizeof instants / sizeof instants[0]; t++)
        for (int drills = 0; drills < 2; drills++) {
            alert_decision d;
            alert_decide(a, &(alert_policy){.allow_drills = drills, .language = "ja"}, instants[t],
                         &d);
            CHECK(d.action != ALERT_ACTION_REJECT && d.reason[0]);
            CHECK(memchr(d.reason, '\0', sizeof d.reason) && utf8_ok(d.reason));
            bool shown = d.action == ALERT_ACTION_BANNER || d.action == ALERT_ACTION_DRILL ||
                         d.action == ALERT_ACTION_TAKEOVER;
            if (shown) {
                CHECK(d.info >= a->info && d.info < a->info + a->n_info);
                CHECK(!d.info->has_expires || d.info->expires > instants[t]);
                CHECK(a->status == ALERT_STATUS_ACTUAL ||
                      (drills && a->status == ALERT_STATUS_EXERCISE));
            }
            CHECK((d.action == ALERT_ACTION_DRILL) ==
                  (shown && a->status == ALERT_STATUS_EXERCISE));
            CHECK(d.action != ALERT_ACTION_CANCEL || a->msg_type == ALERT_MSG_CANCEL);
            CHECK(d.action != ALERT_ACTION_TAKEOVER || d.full_screen);
        }
}

typedef int (*parse_fn)(const void *, size_t, alert **, char *, size_t);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const parse_fn parsers[] = {alert_parse_cap, alert_parse_native, alert_parse};
    for (size_t p = 0; p < sizeof parsers / sizeof parsers[0]; p++) {
        alert *a = (alert *)&a; /* must come back NULL on failure */
        char err[ALERT_REASON_MAX];
        memset(err, 'x', sizeof err);
        int r = parsers[p](data, size, &a, err, sizeof err);
        CHECK(r == 0 || r == ALERT_INVALID || r == ALERT_NOMEM);
        if (r == 0) {
            CHECK(a != NULL);
            check_alert(a);
        } else {
            CHECK(a == NULL);
            CHECK(memchr(err, '\0', sizeof err) && err[0] && utf8_ok(err));
        }
        /* Same input, same answer. */
        alert *b = NULL;
        char err2[ALERT_REASON_MAX];
        int r2 = parsers[p](data, size, &b, err2, sizeof err2);
        CHECK(r2 == r);
        if (r == 0) {
            CHECK(strcmp(a->identifier, b->identifier) == 0 && a->n_info == b->n_info &&
                  a->sent == b->sent);
        } else {
            CHECK(strcmp(err, err2) == 0);
        }
        alert_destroy(b);
        alert_destroy(a);
    }
    return 0;
}
