/* test_alert: the alert parsers and the decision, over the real CAP samples
 * in ../shared/cap-samples (read in place), our Japanese fixtures in
 * tests/fixtures/alerts, and hostile mutations (malformed XML, external
 * entities, billion laughs, huge documents, wrong namespace, missing
 * elements, bad dates). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <cmocka.h>
#include <dirent.h>

#include "app/core/alert.h"
#include "app/core/clock.h"

static char *path_join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *p = malloc(n);
    assert_non_null(p);
    snprintf(p, n, "%s/%s", a, b);
    return p;
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    char *buf = malloc(ALERT_MAX_BYTES + 1);
    assert_non_null(buf);
    *len = fread(buf, 1, ALERT_MAX_BYTES + 1, f);
    fclose(f);
    return buf;
}

static const char *source_dir(void)
{
    const char *s = getenv("HIROBA_SOURCE_DIR");
    return s && s[0] ? s : ".";
}

static int64_t at(const char *iso)
{
    clock_time t;
    if (clock_parse_iso8601(iso, &t) != 0)
        fail_msg("bad time in test: %s", iso);
    return t.sec;
}

/* ---- The agencies' samples ------------------------------------------------------------ */

struct sample_case {
    const char *file;
    const char *action;   /* at the alert's sent time, kiosk in Japanese, drills off */
    const char *msg_type; /* "" for reject */
    const char *language; /* of the chosen block; "" when none */
    const char *reason;   /* substring of the reason (or the parse error) */
    bool expires;         /* has an expiry: ignored (expired) in 2026 */
};

static const struct sample_case samples[] = {
    {"australia.cap", "banner", "Alert", "en-AU", "Minor Expected", true},
    {"canada.cap", "banner", "Update", "en-CA", "Minor Past", true},
    /* Parseable XML, but <references/> is empty on an Update: CAP says invalid. */
    {"canada_errors.cap", "reject", "", "", "<references>: present but empty", false},
    /* Enveloped XML-DSig signatures: other namespace, skipped. */
    {"canada_signed.cap", "banner", "Update", "en-CA", "Moderate Future", true},
    {"earthquake-iso8859-1.cap", "banner", "Alert", "en-US", "Unknown Past", true},
    {"earthquake.cap", "banner", "Alert", "en-US", "Unknown Past", true},
    {"earthquake_signed.cap", "banner", "Alert", "en-US", "Unknown Past", true},
    /* Well-formed, but <scope> (required since CAP 1.1) is missing. */
    {"invalid.cap", "reject", "", "", "<scope>: required", false},
    {"no_optional_fields.cap", "ignore", "Alert", "", "no info block", false},
    /* Empty <references></references> (and empty urgency/severity/certainty). */
    {"noaa_errors.cap", "reject", "", "", "<references>: present but empty", false},
    {"wcatwc-warning.cap", "takeover", "Update", "en-US", "Extreme Immediate", true},
    {"weather.cap", "takeover", "Alert", "en-US", "Severe Expected", true},
    /* Atom feeds hold alerts but are not one: feeds are read by a later piece. */
    {"amber.atom", "reject", "", "", "is not a CAP alert", false},
    {"weather.atom", "reject", "", "", "is not a CAP alert", false},
};
#define N_SAMPLES (sizeof samples / sizeof samples[0])

static char *samples_dir(void)
{
    return path_join(source_dir(), "../shared/cap-samples");
}

static void test_samples(void **state)
{
    char *dir = samples_dir();
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        print_message("SKIPPED: no CAP samples at %s (CI keeps shared/ beside the clone)\n", dir);
        free(dir);
        skip();
    }
    alert_policy ja = {.allow_drills = false, .language = "ja"};
    for (size_t i = 0; i < N_SAMPLES; i++) {
        const struct sample_case *tc = &samples[i];
        char *path = path_join(dir, tc->file);
        size_t len;
        char *text = read_all(path, &len);
        alert *a = NULL;
        char err[ALERT_REASON_MAX];
        int r = alert_parse(text, len, &a, err, sizeof err);
        print_message("%s: %s\n", tc->file, r == 0 ? "parsed" : err);
        alert_decision d;
        alert_decide(a, &ja, a ? a->sent : 0, &d);
        assert_string_equal(alert_action_name(d.action), tc->action);
        if (r != 0) {
            assert_int_equal(r, ALERT_INVALID);
            assert_null(a);
            assert_non_null(strstr(err, tc->reason));
        } else {
            assert_int_equal(a->source, ALERT_SOURCE_CAP);
            assert_string_equal(alert_msg_type_name(a->msg_type), tc->msg_type);
            assert_string_equal(d.info ? d.info->language : "", tc->language);
            assert_non_null(strstr(d.reason, tc->reason));
            /* Today every sample has expired (or never had anything to show). */
            alert_decide(a, &ja, at("2026-11-24T10:00:00+09:00"), &d);
            assert_string_equal(alert_action_name(d.action), "ignore");
            assert_true(!tc->expires || strstr(d.reason, "expired"));
        }
        alert_destroy(a);
        free(text);
        free(path);
    }
    /* Every file in the folder has an expectation: a new sample must be judged. */
    DIR *dh = opendir(dir);
    assert_non_null(dh);
    for (struct dirent *e; (e = readdir(dh));) {
        size_t n = strlen(e->d_name);
        if (!(n > 4 && strcmp(e->d_name + n - 4, ".cap") == 0) &&
            !(n > 5 && strcmp(e->d_name + n - 5, ".atom") == 0))
            continue;
        bool known = false;
        for (size_t i = 0; i < N_SAMPLES; i++)
            known |= strcmp(samples[i].file, e->d_name) == 0;
        if (!known)
            fail_msg("sample %s has no expected action in test_alert.c", e->d_name);
    }
    closedir(dh);
    free(dir);
}

static void test_sample_details(void **state)
{
    char *dir = samples_dir();
    struct stat st;
    if (stat(dir, &st) != 0) {
        free(dir);
        skip();
    }
    /* ISO-8859-1: "Usulután" arrives as UTF-8. */
    char *path = path_join(dir, "earthquake-iso8859-1.cap");
    size_t len;
    char *text = read_all(path, &len);
    alert *a = NULL;
    char err[ALERT_REASON_MAX];
    assert_int_equal(alert_parse(text, len, &a, err, sizeof err), 0);
    assert_int_equal(a->cap_version, 12);
    assert_non_null(strstr(a->info[0].headline, "Usulut\xC3\xA1n"));
    assert_true(a->info[0].n_areas >= 1);
    assert_int_equal(a->sent, at("2012-10-14T22:53:04+00:00"));
    alert_destroy(a);
    free(text);
    free(path);
    /* Two references, parsed into sender, identifier and time. */
    path = path_join(dir, "canada.cap");
    text = read_all(path, &len);
    assert_int_equal(alert_parse(text, len, &a, err, sizeof err), 0);
    assert_int_equal(a->n_references, 2);
    assert_string_equal(a->references[1].sender, "cap@ec.gc.ca");
    assert_string_equal(a->references[1].identifier, "2.49.0.1.124.60f31a3a.2012");
    assert_int_equal(a->references[1].sent, at("2012-05-02T21:55:21-00:00"));
    /* French kiosk: the fr-CA block. */
    alert_decision d;
    alert_decide(a, &(alert_policy){.language = "fr"}, a->sent, &d);
    assert_string_equal(d.info->language, "fr-CA");
    alert_destroy(a);
    free(text);
    free(path);
    free(dir);
}

/* ---- Our fixtures ------------------------------------------------------------------------ */

struct fixture_case {
    const char *file;
    const char *lang;
    bool drills;
    const char *now;
    const char *action;
    const char *language;
    const char *headline; /* substring, or NULL */
};

static const struct fixture_case fixtures[] = {
    {"ja-evacuation.cap", "ja", false, "2026-11-24T10:05:00+09:00", "takeover", "ja-JP",
     "避難指示"},
    {"ja-evacuation.cap", "ja", false, "2026-11-24T22:00:00+09:00", "ignore", "", NULL},
    {"ja-en-two-info.cap", "ja", false, "2026-11-24T12:05:00+09:00", "takeover", "ja-JP", "津波"},
    {"ja-en-two-info.cap", "ja-JP", false, "2026-11-24T12:05:00+09:00", "takeover", "ja-JP",
     "津波"},
    {"ja-en-two-info.cap", "en", false, "2026-11-24T12:05:00+09:00", "takeover", "en-US",
     "Tsunami"},
    {"ja-en-two-info.cap", "ko", false, "2026-11-24T12:05:00+09:00", "takeover", "en-US",
     "Tsunami"},
    {"ja-drill.cap", "ja", true, "2026-11-24T10:01:00+09:00", "drill", "ja-JP", "【訓練】"},
    {"ja-drill.cap", "ja", false, "2026-11-24T10:01:00+09:00", "ignore", "", NULL},
    {"ja-drill.cap", "ja", true, "2026-11-24T11:00:00+09:00", "ignore", "", NULL},
    {"ja-update.cap", "ja", false, "2026-11-24T14:01:00+09:00", "banner", "ja-JP", "レベル3"},
    {"ja-cancel.cap", "ja", false, "2026-11-24T18:01:00+09:00", "cancel", "ja-JP", "解除"},
    {"ja-test.cap", "ja", true, "2026-11-24T10:05:00+09:00", "ignore", "", NULL},
    {"native-evacuation.json", "ja", false, "2026-11-24T10:05:00+09:00", "takeover", "ja",
     "レベル4"},
    {"native-evacuation.json", "en", false, "2026-11-24T10:05:00+09:00", "takeover", "en",
     "Level 4"},
    {"native-drill.json", "ja", true, "2026-11-24T10:05:00+09:00", "drill", "ja", "【訓練】"},
    {"native-drill.json", "ja", false, "2026-11-24T10:05:00+09:00", "ignore", "", NULL},
    {"native-cancel.json", "ja", false, "2026-11-24T18:05:00+09:00", "cancel", "", NULL},
};

static alert *load_fixture(const char *file)
{
    char *dir = path_join(source_dir(), "tests/fixtures/alerts");
    char *path = path_join(dir, file);
    size_t len;
    char *text = read_all(path, &len);
    alert *a = NULL;
    char err[ALERT_REASON_MAX];
    if (alert_parse(text, len, &a, err, sizeof err) != 0)
        fail_msg("%s: %s", file, err);
    free(text);
    free(path);
    free(dir);
    return a;
}

static void test_fixtures(void **state)
{
    for (size_t i = 0; i < sizeof fixtures / sizeof fixtures[0]; i++) {
        const struct fixture_case *tc = &fixtures[i];
        alert *a = load_fixture(tc->file);
        alert_decision d;
        alert_decide(a, &(alert_policy){.allow_drills = tc->drills, .language = tc->lang},
                     at(tc->now), &d);
        print_message("%s %s: %s (%s)\n", tc->file, tc->lang, alert_action_name(d.action),
                      d.reason);
        assert_string_equal(alert_action_name(d.action), tc->action);
        assert_string_equal(d.info ? d.info->language : "", tc->language);
        if (tc->headline)
            assert_non_null(strstr(d.info->headline, tc->headline));
        alert_destroy(a);
    }
}

static void test_update_cancel_chain(void **state)
{
    alert *first = load_fixture("ja-evacuation.cap");
    alert *update = load_fixture("ja-update.cap");
    alert *cancel = load_fixture("ja-cancel.cap");
    assert_int_equal(update->msg_type, ALERT_MSG_UPDATE);
    assert_int_equal(update->n_references, 1);
    assert_string_equal(update->references[0].identifier, first->identifier);
    assert_string_equal(update->references[0].sender, first->sender);
    assert_int_equal(update->references[0].sent, first->sent);
    assert_int_equal(cancel->n_references, 2);
    assert_string_equal(cancel->references[1].identifier, update->identifier);
    assert_true(cancel->sent > update->sent && update->sent > first->sent);
    alert_destroy(first);
    alert_destroy(update);
    alert_destroy(cancel);

    alert *n = load_fixture("native-evacuation.json");
    assert_int_equal(n->n_info, 2); /* ja, en */
    assert_string_equal(n->info[1].language, "en");
    assert_int_equal(n->info[0].n_shelters, 1);
    assert_string_equal(n->info[1].shelters[0].name, "Chuo Elementary School");
    assert_string_equal(n->info[1].shelters[0].address, "神戸市中央区1-2-3"); /* ja fallback */
    assert_string_equal(n->info[1].description, "土砂災害の危険が高まっています。");
    alert_destroy(n);
}

/* ---- Hostile and broken documents ------------------------------------------------------ */

#define CAP_HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
#define CAP_OPEN "<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">"
#define CAP_INFO                                                                                   \
    "<info><language>ja-JP</language><category>Met</category><event>大雨</event>"                \
    "<urgency>Immediate</urgency><severity>Severe</severity><certainty>Observed</certainty>"       \
    "<headline>避難</headline></info>"
#define ID     "<identifier>X-1</identifier>"
#define SENDER "<sender>city</sender>"
#define SENT   "<sent>2026-11-24T10:00:00+09:00</sent>"
#define STATUS "<status>Actual</status>"
#define MSG    "<msgType>Alert</msgType>"
#define SCOPE  "<scope>Public</scope>"
#define GOOD   CAP_HEAD CAP_OPEN ID SENDER SENT STATUS MSG SCOPE CAP_INFO "</alert>"

#define LOL(n, m)                                                                                  \
    "<!ENTITY lol" #n " \"&lol" #m ";&lol" #m ";&lol" #m ";&lol" #m ";&lol" #m ";&lol" #m          \
    ";&lol" #m ";&lol" #m ";&lol" #m ";&lol" #m ";\">"

struct bad_case {
    const char *name;
    const char *text;
    const char *reason; /* substring of the parse error */
};

static const struct bad_case bad_cases[] = {
    {"good (control)", GOOD, NULL},
    {"malformed", CAP_HEAD CAP_OPEN ID SENDER "<sent>", "invalid XML"},
    {"mismatched tag", CAP_HEAD CAP_OPEN ID "</sender></alert>", "invalid XML"},
    {"not XML", "hello", "invalid XML"},
    {"empty", "", "empty"},
    {"external entity",
     CAP_HEAD "<!DOCTYPE alert [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>" CAP_OPEN
              "<identifier>&xxe;</identifier>" SENDER SENT STATUS MSG SCOPE "</alert>",
     "DOCTYPE refused"},
    {"external DTD",
     CAP_HEAD "<!DOCTYPE alert SYSTEM \"file:///etc/passwd\">" CAP_OPEN ID SENDER SENT STATUS MSG
         SCOPE CAP_INFO "</alert>",
     "DOCTYPE refused"},
    {"parameter entity",
     CAP_HEAD "<!DOCTYPE alert [<!ENTITY % p SYSTEM \"http://127.0.0.1:9/x.dtd\"> %p;]>" CAP_OPEN ID
         SENDER SENT STATUS MSG SCOPE "</alert>",
     "DOCTYPE refused"},
    {"billion laughs",
     CAP_HEAD "<!DOCTYPE alert [<!ENTITY lol0 \"lol\">" LOL(1, 0) LOL(2, 1) LOL(3, 2) LOL(4, 3)
         LOL(5, 4) LOL(6, 5) LOL(7, 6) LOL(8, 7)
             LOL(9, 8) "]>" CAP_OPEN "<identifier>&lol9;</identifier>" SENDER SENT STATUS MSG SCOPE
                       "</alert>",
     "DOCTYPE refused"},
    {"undeclared entity",
     CAP_HEAD CAP_OPEN "<identifier>&passwd;</identifier>" SENDER SENT STATUS MSG SCOPE "</alert>",
     "invalid XML"},
    {"wrong namespace",
     CAP_HEAD
     "<alert xmlns=\"urn:oasis:names:tc:emergency:cap:9.9\">" ID SENDER SENT STATUS MSG SCOPE
     "</alert>",
     "is not a CAP alert"},
    {"no namespace", CAP_HEAD "<alert>" ID SENDER SENT STATUS MSG SCOPE "</alert>",
     "is not a CAP alert"},
    {"missing identifier", CAP_HEAD CAP_OPEN SENDER SENT STATUS MSG SCOPE "</alert>",
     "<identifier>: required"},
    {"missing sender", CAP_HEAD CAP_OPEN ID SENT STATUS MSG SCOPE "</alert>", "<sender>: required"},
    {"missing sent", CAP_HEAD CAP_OPEN ID SENDER STATUS MSG SCOPE "</alert>", "<sent>: required"},
    {"missing status", CAP_HEAD CAP_OPEN ID SENDER SENT MSG SCOPE "</alert>", "<status>: required"},
    {"missing msgType", CAP_HEAD CAP_OPEN ID SENDER SENT STATUS SCOPE "</alert>",
     "<msgType>: required"},
    {"empty identifier",
     CAP_HEAD CAP_OPEN "<identifier> </identifier>" SENDER SENT STATUS MSG SCOPE "</alert>",
     "<identifier>: empty"},
    {"repeated status", CAP_HEAD CAP_OPEN ID SENDER SENT STATUS STATUS MSG SCOPE "</alert>",
     "<status>: repeated"},
    {"bad status", CAP_HEAD CAP_OPEN ID SENDER SENT "<status>Real</status>" MSG SCOPE "</alert>",
     "not a CAP status"},
    {"bad date: Feb 30",
     CAP_HEAD CAP_OPEN ID SENDER "<sent>2026-02-30T10:00:00+09:00</sent>" STATUS MSG SCOPE
                                 "</alert>",
     "<sent>"},
    {"bad date: no zone",
     CAP_HEAD CAP_OPEN ID SENDER "<sent>2026-11-24T10:00:00</sent>" STATUS MSG SCOPE "</alert>",
     "<sent>"},
    {"bad date: words",
     CAP_HEAD CAP_OPEN ID SENDER "<sent>yesterday</sent>" STATUS MSG SCOPE "</alert>", "<sent>"},
    {"bad expires",
     CAP_HEAD CAP_OPEN ID SENDER SENT STATUS MSG SCOPE
     "<info><category>Met</category><event>e</event><urgency>Past</urgency>"
     "<severity>Minor</severity><certainty>Likely</certainty><expires>2026-11-24T25:00:00+09:00"
     "</expires></info></alert>",
     "<expires>"},
    {"info without severity",
     CAP_HEAD CAP_OPEN ID SENDER SENT STATUS MSG SCOPE
     "<info><category>Met</category><event>e</event><urgency>Past</urgency>"
     "<certainty>Likely</certainty></info></alert>",
     "<severity>: required"},
    {"cancel without references",
     CAP_HEAD CAP_OPEN ID SENDER SENT STATUS "<msgType>Cancel</msgType>" SCOPE "</alert>",
     "required for msgType Cancel"},
    {"bad reference",
     CAP_HEAD CAP_OPEN ID SENDER SENT STATUS "<msgType>Update</msgType>" SCOPE
                                             "<references>city,X-0</references></alert>",
     "not sender,identifier,sent"},
    {"native: not JSON", "{\"format\": 1,", "invalid JSON"},
    {"native: unknown key",
     "{\"format\":1,\"id\":\"a\",\"sender\":\"s\",\"sent\":\"2026-11-24T10:00:00Z\","
     "\"status\":\"Actual\",\"msgType\":\"Alert\",\"severity\":\"Minor\",\"urgency\":\"Past\","
     "\"title\":{\"ja\":\"t\"},\"colour\":\"red\"}",
     "colour: unknown key"},
    {"native: no Japanese title",
     "{\"format\":1,\"id\":\"a\",\"sender\":\"s\",\"sent\":\"2026-11-24T10:00:00Z\","
     "\"status\":\"Actual\",\"msgType\":\"Alert\",\"severity\":\"Minor\",\"urgency\":\"Past\","
     "\"title\":{\"en\":\"t\"}}",
     "\"ja\") is required"},
    {"native: bad sent",
     "{\"format\":1,\"id\":\"a\",\"sender\":\"s\",\"sent\":\"2026-11-31T10:00:00Z\","
     "\"status\":\"Actual\",\"msgType\":\"Alert\",\"severity\":\"Minor\",\"urgency\":\"Past\","
     "\"title\":{\"ja\":\"t\"}}",
     "sent:"},
    {"native: expires before sent",
     "{\"format\":1,\"id\":\"a\",\"sender\":\"s\",\"sent\":\"2026-11-24T10:00:00Z\","
     "\"status\":\"Actual\",\"msgType\":\"Alert\",\"severity\":\"Minor\",\"urgency\":\"Past\","
     "\"expires\":\"2026-11-24T09:00:00Z\",\"title\":{\"ja\":\"t\"}}",
     "expires: must be after sent"},
    {"native: update without references",
     "{\"format\":1,\"id\":\"a\",\"sender\":\"s\",\"sent\":\"2026-11-24T10:00:00Z\","
     "\"status\":\"Actual\",\"msgType\":\"Update\",\"severity\":\"Minor\",\"urgency\":\"Past\","
     "\"title\":{\"ja\":\"t\"}}",
     "references: required"},
    {"native: missing status",
     "{\"format\":1,\"id\":\"a\",\"sender\":\"s\",\"sent\":\"2026-11-24T10:00:00Z\","
     "\"msgType\":\"Alert\",\"severity\":\"Minor\",\"urgency\":\"Past\",\"title\":{\"ja\":\"t\"}}",
     "status: required"},
    {"native: http url",
     "{\"format\":1,\"id\":\"a\",\"sender\":\"s\",\"sent\":\"2026-11-24T10:00:00Z\","
     "\"status\":\"Actual\",\"msgType\":\"Alert\",\"severity\":\"Minor\",\"urgency\":\"Past\","
     "\"title\":{\"ja\":\"t\"},\"url\":\"http://x\"}",
     "https"},
};

static void test_bad_documents(void **state)
{
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        const struct bad_case *tc = &bad_cases[i];
        alert *a = (alert *)&a; /* must come back NULL */
        char err[ALERT_REASON_MAX];
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        int r = alert_parse(tc->text, strlen(tc->text), &a, err, sizeof err);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
        print_message("%-28s %s (%.2f ms)\n", tc->name, r == 0 ? "parsed" : err, ms);
        assert_true(ms < 1000); /* billion laughs: nothing expands */
        if (!tc->reason) {
            assert_int_equal(r, 0);
            alert_destroy(a);
            continue;
        }
        assert_int_equal(r, ALERT_INVALID);
        assert_null(a);
        if (!strstr(err, tc->reason))
            fail_msg("%s: reason \"%s\" lacks \"%s\"", tc->name, err, tc->reason);
        alert_decision d;
        alert_decide(NULL, NULL, 0, &d);
        assert_int_equal(d.action, ALERT_ACTION_REJECT);
    }
}

static void test_huge_document(void **state)
{
    /* A valid alert padded with a 2 MiB comment: refused before parsing. */
    size_t pad = 2u << 20;
    const char *head = CAP_HEAD CAP_OPEN ID SENDER SENT STATUS MSG SCOPE "<!--";
    const char *tail = "-->" CAP_INFO "</alert>";
    size_t len = strlen(head) + pad + strlen(tail);
    char *text = malloc(len);
    assert_non_null(text);
    memcpy(text, head, strlen(head));
    memset(text + strlen(head), 'x', pad);
    memcpy(text + strlen(head) + pad, tail, strlen(tail));
    alert *a = NULL;
    char err[ALERT_REASON_MAX];
    assert_int_equal(alert_parse(text, len, &a, err, sizeof err), ALERT_INVALID);
    assert_non_null(strstr(err, "too large"));
    assert_int_equal(alert_parse_native(text, len, &a, err, sizeof err), ALERT_INVALID);
    assert_non_null(strstr(err, "too large"));
    /* The same document within the limit parses. */
    size_t small = 4096;
    memcpy(text + strlen(head) + small, tail, strlen(tail));
    assert_int_equal(alert_parse(text, strlen(head) + small + strlen(tail), &a, err, sizeof err),
                     0);
    assert_int_equal(a->n_info, 1);
    alert_destroy(a);
    free(text);
}

static void test_xxe_not_read(void **state)
{
    /* Even where a DOCTYPE slipped through, no file content could appear: the
     * parser stops at the DOCTYPE, so no string of the (absent) alert holds it. */
    const char *doc =
        CAP_HEAD "<!DOCTYPE alert [<!ENTITY xxe SYSTEM \"file:///etc/hostname\">]>" CAP_OPEN
                 "<identifier>&xxe;</identifier>" SENDER SENT STATUS MSG SCOPE "</alert>";
    alert *a = NULL;
    char err[ALERT_REASON_MAX];
    assert_int_equal(alert_parse_cap(doc, strlen(doc), &a, err, sizeof err), ALERT_INVALID);
    assert_null(a);
    /* And a CAP 1.0 document is read (namespace http://www.incident.com/cap/1.0). */
    const char *v10 =
        CAP_HEAD "<alert xmlns=\"http://www.incident.com/cap/1.0\">" ID SENDER SENT STATUS MSG
                 "<scope>Public</scope></alert>";
    assert_int_equal(alert_parse(v10, strlen(v10), &a, err, sizeof err), 0);
    assert_int_equal(a->cap_version, 10);
    alert_destroy(a);
}

int main(void)
{
    alert_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_samples),       cmocka_unit_test(test_sample_details),
        cmocka_unit_test(test_fixtures),      cmocka_unit_test(test_update_cancel_chain),
        cmocka_unit_test(test_bad_documents), cmocka_unit_test(test_huge_document),
        cmocka_unit_test(test_xxe_not_read),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
