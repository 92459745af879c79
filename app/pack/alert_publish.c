/* hiroba-pack alert publish | cancel: the staff side of emergency alerts. publish and cancel write
 * PUBLISH/alerts/<channel>.json, one native alert (alert.h), and its minisign signature
 * <channel>.json.minisig beside it; the pack's feeds.alerts URL points at the JSON and kiosks fetch
 * the signature at the same URL + ".minisig". A new alert while one is current becomes an Update of
 * it (references the whole chain), so kiosks replace it rather than show two; cancel references the
 * chain too (sign-cap and the signing they share: alert_sign.c). Every document is read back with
 * the kiosk's own parser before it is signed: a signature always vouches for something a kiosk
 * accepts. Never prints or keeps a secret. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "app/core/alert.h"
#include "app/core/alerts.h"
#include "app/core/clock.h"
#include "app/core/model.h"
#include "app/core/trust.h"
#include "app/core/tz.h"
#include "app/pack/pack.h"

#define TEXT_KINDS      5
#define SHELTERS_MAX    ALERT_MAX_SHELTERS
#define FOR_MINUTES_MAX (60 * 24 * 14)

static const char *const text_kinds[TEXT_KINDS] = {"title", "body", "instruction", "area", "event"};

struct alert_opts {
    const char *cmd; /* "publish", "cancel" */
    const char *publish, *channel, *key, *password_file;
    const char *id, *sender, *severity, *urgency, *certainty, *expires, *url, *at;
    int64_t for_minutes; /* 0: not given */
    bool drill;
    const char *text[TEXT_KINDS][MODEL_LANG_COUNT];
    const char *shelter[MODEL_LANG_COUNT][SHELTERS_MAX];
    size_t n_shelter[MODEL_LANG_COUNT];
};

static void publish_usage(FILE *to)
{
    fprintf(to,
            "usage: hiroba-pack alert publish PUBLISH_DIR --channel NAME --key SECRET\n"
            "         --title-ja TEXT [--title-en TEXT ...] --severity S --urgency U\n"
            "         [--body-ja TEXT] [--instruction-ja TEXT] [--area-ja TEXT] [--event-ja TEXT]\n"
            "         [--shelter-ja NAME[@ADDRESS] ...] [--expires ISO-TIME | --for MINUTES]\n"
            "         [--drill] [--url https://...] [--id ID] [--sender NAME] [--certainty C]\n"
            "         [--at ISO-TIME] [--password-file FILE]\n"
            "       hiroba-pack alert cancel PUBLISH_DIR --channel NAME --key SECRET [--id ID]\n"
            "         [--at ISO-TIME] [--password-file FILE]\n"
            "       hiroba-pack alert sign-cap FILE --key SECRET [--password-file FILE]\n"
            "publish writes PUBLISH_DIR/alerts/NAME.json (a signed native alert) and\n"
            "NAME.json.minisig; the pack's feeds.alerts URL must point at that JSON. While an\n"
            "alert is current, a new one is published as its Update. Texts exist per language\n"
            "(-ja required; -en, -zh, -ko, -ja-easy); a shelter given again per language is\n"
            "matched by its position. S: Extreme|Severe|Moderate|Minor|Unknown; U: Immediate|\n"
            "Expected|Future|Past|Unknown; Extreme or Severe with Immediate or Expected takes\n"
            "over the whole screen, the rest is a banner. Without --expires or --for, the\n"
            "alert stays until cancelled. --drill publishes an exercise (shown as 訓練 only by\n"
            "kiosks that allow drills). cancel withdraws the current alert. sign-cap signs a\n"
            "CAP document (FILE.minisig) for kiosks reading the pack's feeds.cap URL.\n"
            "An encrypted key's password comes from --password-file or HIROBA_KEY_PASSWORD.\n");
}

/* ---- Options ------------------------------------------------------------------------- */

/* "--title-en" -> kind 0, language en. */
static bool text_option(const char *opt, int *kind, model_lang *lang)
{
    for (int k = 0; k < TEXT_KINDS; k++) {
        size_t n = strlen(text_kinds[k]);
        if (strncmp(opt + 2, text_kinds[k], n) != 0 || opt[2 + n] != '-')
            continue;
        *kind = k;
        *lang = model_lang_from_code(opt + 3 + n);
        return *lang != MODEL_LANG_NONE;
    }
    return false;
}

static int usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "hiroba-pack alert %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    return -1;
}

static int parse_opts(int argc, char **argv, struct alert_opts *o)
{
    const char *cmd = o->cmd;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            publish_usage(stdout);
            exit(PACK_EXIT_OK);
        }
        if (arg[0] != '-' || !arg[1]) {
            if (o->publish)
                return usage_error(cmd, "unexpected argument '%s'", arg);
            o->publish = arg;
            continue;
        }
        if (strcmp(arg, "--drill") == 0 && strcmp(cmd, "publish") == 0) {
            o->drill = true;
            continue;
        }
        if (i + 1 >= argc)
            return usage_error(cmd, "%s needs a value", arg);
        const char *v = argv[++i];
        int kind;
        model_lang lang;
        const char **slot = NULL;
        bool publish_only = true;
        if (strcmp(arg, "--channel") == 0) {
            slot = &o->channel;
            publish_only = false;
        } else if (strcmp(arg, "--key") == 0) {
            slot = &o->key;
            publish_only = false;
        } else if (strcmp(arg, "--password-file") == 0) {
            slot = &o->password_file;
            publish_only = false;
        } else if (strcmp(arg, "--id") == 0) {
            slot = &o->id;
            publish_only = false;
        } else if (strcmp(arg, "--at") == 0) {
            slot = &o->at;
            publish_only = false;
        } else if (strcmp(arg, "--sender") == 0) {
            slot = &o->sender;
        } else if (strcmp(arg, "--severity") == 0) {
            slot = &o->severity;
        } else if (strcmp(arg, "--urgency") == 0) {
            slot = &o->urgency;
        } else if (strcmp(arg, "--certainty") == 0) {
            slot = &o->certainty;
        } else if (strcmp(arg, "--expires") == 0) {
            slot = &o->expires;
        } else if (strcmp(arg, "--url") == 0) {
            slot = &o->url;
        } else if (strcmp(arg, "--for") == 0 && strcmp(cmd, "publish") == 0) {
            if (pack_parse_i64(v, 1, FOR_MINUTES_MAX, &o->for_minutes) != 0)
                return usage_error(cmd, "--for takes 1..20160 minutes, not '%s'", v);
            continue;
        } else if (strncmp(arg, "--shelter-", 10) == 0 &&
                   (lang = model_lang_from_code(arg + 10)) != MODEL_LANG_NONE) {
            if (strcmp(cmd, "publish") != 0)
                return usage_error(cmd, "unknown option '%s'", arg);
            if (o->n_shelter[lang] == SHELTERS_MAX)
                return usage_error(cmd, "at most 32 shelters (%s)", arg);
            o->shelter[lang][o->n_shelter[lang]++] = v;
            continue;
        } else if (text_option(arg, &kind, &lang)) {
            slot = &o->text[kind][lang];
        } else {
            return usage_error(cmd, "unknown option '%s'", arg);
        }
        if (publish_only && strcmp(cmd, "publish") != 0)
            return usage_error(cmd, "unknown option '%s'", arg);
        if (*slot)
            return usage_error(cmd, "%s given twice", arg);
        *slot = v;
    }
    if (!o->publish || !o->channel || !o->key)
        return usage_error(cmd, "PUBLISH_DIR, --channel and --key are required");
    if (!pack_channel_name_ok(o->channel))
        return usage_error(cmd, "--channel: '%s' is not a channel name", o->channel);
    if (strcmp(cmd, "publish") == 0) {
        if (!o->text[0][MODEL_LANG_JA] || !o->severity || !o->urgency)
            return usage_error(cmd, "--title-ja, --severity and --urgency are required");
        if (o->expires && o->for_minutes)
            return usage_error(cmd, "give --expires or --for, not both");
        for (int l = 1; l < MODEL_LANG_COUNT; l++)
            if (o->n_shelter[l] > o->n_shelter[MODEL_LANG_JA])
                return usage_error(cmd, "more --shelter-%s than --shelter-ja",
                                   model_lang_code((model_lang)l));
        /* Every other language falls back to Japanese, so Japanese comes first. */
        for (int k = 0; k < TEXT_KINDS; k++)
            for (int l = 1; l < MODEL_LANG_COUNT; l++)
                if (o->text[k][l] && !o->text[k][MODEL_LANG_JA])
                    return usage_error(cmd, "--%s-%s needs --%s-ja (Japanese first)", text_kinds[k],
                                       model_lang_code((model_lang)l), text_kinds[k]);
    }
    return 0;
}

/* A CAP enumeration value in any case ("extreme" -> "Extreme"). */
static const char *enum_value(const char *v, const char *(*name)(int), const char *what)
{
    for (int i = 0; i < 5; i++)
        if (strcasecmp(v, name(i)) == 0)
            return name(i);
    fprintf(stderr, "hiroba-pack alert publish: --%s: '%s' is not one of %s|%s|%s|%s|%s\n", what, v,
            name(0), name(1), name(2), name(3), name(4));
    return NULL;
}

static const char *severity_name(int i)
{
    return alert_severity_name((alert_severity)i);
}
static const char *urgency_name(int i)
{
    return alert_urgency_name((alert_urgency)i);
}
static const char *certainty_name(int i)
{
    return alert_certainty_name((alert_certainty)i);
}

/* ---- The current alert and the new one ------------------------------------------------ */

/* An identifier the kiosk accepts: 1..256 printable bytes, no space or comma. */
static bool id_ok(const char *id)
{
    size_t n = strlen(id);
    if (n == 0 || n > ALERT_MAX_SHORT)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)id[i];
        if (c <= ' ' || c == ',' || c == 0x7F)
            return false;
    }
    return true;
}

/* CHANNEL-YYYYMMDD-HHMMSS-xxxx: unique without asking anyone. */
static void make_id(const char *channel, int64_t sent, const tz_zone *zone, char *out, size_t size)
{
    struct tm tm;
    if (tz_zone_local(zone, sent, &tm) != 0)
        memset(&tm, 0, sizeof tm);
    snprintf(out, size, "%s-%04d%02d%02d-%02d%02d%02d-%04x", channel, tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
             (unsigned)randombytes_uniform(0x10000));
}

/* The alert now published for the channel: NULL when there is none (*bad
 * set when there is a file a kiosk would not read). */
static alert *current_alert(const char *path, bool *bad)
{
    char *text = NULL, err[ALERT_REASON_MAX];
    size_t len;
    *bad = false;
    if (pack_read_file(path, ALERT_MAX_BYTES, &text, &len, err, sizeof err) != 0) {
        if (errno == ENOENT)
            return NULL;
        fprintf(stderr, "%s: %s\n", path, err);
        *bad = true;
        return NULL;
    }
    alert *a = NULL;
    if (alert_parse_native(text, len, &a, err, sizeof err) != 0) {
        fprintf(stderr, "%s: not a readable alert (%s); move it away to start afresh\n", path, err);
        *bad = true;
    }
    free(text);
    return a;
}

/* The references of a message after cur: cur and everything cur referenced,
 * so a kiosk that missed part of the chain still ends all of it. */
static json_t *chain_of(const alert *cur, const char *new_id, const char *cmd)
{
    json_t *refs = json_array();
    if (!refs || json_array_append_new(refs, json_string(cur->identifier)) != 0) {
        json_decref(refs);
        return NULL;
    }
    for (size_t i = 0; i < cur->n_references && json_array_size(refs) < ALERT_MAX_REFERENCES; i++)
        json_array_append_new(refs, json_string(cur->references[i].identifier));
    for (size_t i = 0; i < json_array_size(refs); i++) {
        if (strcmp(json_string_value(json_array_get(refs, i)), new_id) == 0) {
            fprintf(stderr, "hiroba-pack alert %s: --id %s is already used in this chain\n", cmd,
                    new_id);
            json_decref(refs);
            return NULL;
        }
    }
    return refs;
}

static int add_texts(json_t *root, const struct alert_opts *o)
{
    for (int k = 0; k < TEXT_KINDS; k++) {
        if (!o->text[k][MODEL_LANG_JA])
            continue;
        json_t *t = json_object();
        for (int l = 0; l < MODEL_LANG_COUNT; l++)
            if (o->text[k][l])
                json_object_set_new(t, model_lang_code((model_lang)l), json_string(o->text[k][l]));
        json_object_set_new(root, text_kinds[k], t);
    }
    if (!o->n_shelter[MODEL_LANG_JA])
        return 0;
    json_t *list = json_array();
    for (size_t i = 0; i < o->n_shelter[MODEL_LANG_JA]; i++) {
        json_t *name = json_object(), *addr = json_object();
        for (int l = 0; l < MODEL_LANG_COUNT; l++) {
            if (i >= o->n_shelter[l])
                continue;
            const char *v = o->shelter[l][i];
            const char *at = strchr(v, '@');
            size_t n = at ? (size_t)(at - v) : strlen(v);
            json_object_set_new(name, model_lang_code((model_lang)l), json_stringn(v, n));
            if (at && at[1])
                json_object_set_new(addr, model_lang_code((model_lang)l), json_string(at + 1));
        }
        json_t *s = json_pack("{so}", "name", name);
        if (json_object_size(addr) && json_object_get(addr, "ja"))
            json_object_set_new(s, "address", addr);
        else
            json_decref(addr);
        json_array_append_new(list, s);
    }
    json_object_set_new(root, "shelters", list);
    return 0;
}

/* ---- Writing -------------------------------------------------------------------------- */

/* Parses text as a kiosk will and says what kiosks will do with it at sent. */
static int check_as_kiosk(const char *cmd, const char *text, size_t len, int64_t sent,
                          alert_decision *d, alert **out)
{
    char err[ALERT_REASON_MAX];
    if (alert_parse_native(text, len, out, err, sizeof err) != 0) {
        fprintf(stderr, "hiroba-pack alert %s: a kiosk would refuse this alert: %s\n", cmd, err);
        return -1;
    }
    alert_decide(*out, &(alert_policy){.allow_drills = true, .language = "ja"}, sent, d);
    return 0;
}

static int write_alert(struct alert_opts *o, bool cancel)
{
    const char *cmd = o->cmd;
    char dir[PACK_PATH_MAX], path[PACK_PATH_MAX], err[TRUST_MESSAGE_MAX];
    if (snprintf(dir, sizeof dir, "%s/alerts", o->publish) >= (int)sizeof dir ||
        snprintf(path, sizeof path, "%s/%s.json", dir, o->channel) >= (int)sizeof path) {
        fprintf(stderr, "hiroba-pack alert %s: %s: path too long\n", cmd, o->publish);
        return PACK_EXIT_USAGE;
    }
    const char *why = NULL;
    tz_zone *zone = tz_zone_load(CLOCK_DEFAULT_TZ, &why); /* NULL: times in UTC */
    int64_t sent = clock_now(NULL).sec, expires = 0;
    if (o->at && pack_parse_time(o->at, &sent) != 0) {
        fprintf(stderr,
                "hiroba-pack alert %s: --at wants an ISO time with a zone, like "
                "2026-11-24T10:00:00+09:00\n",
                cmd);
        tz_zone_destroy(zone);
        return PACK_EXIT_USAGE;
    }
    if (o->expires && pack_parse_time(o->expires, &expires) != 0) {
        fprintf(stderr, "hiroba-pack alert publish: --expires wants an ISO time with a zone\n");
        tz_zone_destroy(zone);
        return PACK_EXIT_USAGE;
    }
    if (o->for_minutes)
        expires = sent + o->for_minutes * 60;
    if ((o->expires || o->for_minutes) && expires <= sent) {
        fprintf(stderr, "hiroba-pack alert publish: the alert would expire before it is sent\n");
        tz_zone_destroy(zone);
        return PACK_EXIT_USAGE;
    }
    const char *severity = NULL, *urgency = NULL, *certainty = NULL;
    if (!cancel &&
        (!(severity = enum_value(o->severity, severity_name, "severity")) ||
         !(urgency = enum_value(o->urgency, urgency_name, "urgency")) ||
         (o->certainty && !(certainty = enum_value(o->certainty, certainty_name, "certainty"))))) {
        tz_zone_destroy(zone);
        return PACK_EXIT_USAGE;
    }
    if (o->url && strncmp(o->url, "https://", 8) != 0) {
        fprintf(stderr, "hiroba-pack alert publish: --url must start with https://\n");
        tz_zone_destroy(zone);
        return PACK_EXIT_USAGE;
    }
    char id[ALERT_MAX_SHORT + 1];
    if (o->id)
        snprintf(id, sizeof id, "%s", o->id);
    else
        make_id(o->channel, sent, zone, id, sizeof id);
    if (!id_ok(id) || (o->id && strlen(o->id) > ALERT_MAX_SHORT)) {
        fprintf(stderr, "hiroba-pack alert %s: --id: 1..256 bytes without spaces or commas\n", cmd);
        tz_zone_destroy(zone);
        return PACK_EXIT_USAGE;
    }

    trust_secret_key *key = pack_alert_load_key(cmd, o->key, o->password_file);
    if (!key) {
        tz_zone_destroy(zone);
        return PACK_EXIT_PROBLEMS;
    }
    int status = PACK_EXIT_PROBLEMS, lock = -1;
    alert *cur = NULL, *check = NULL;
    json_t *root = NULL;
    char *text = NULL;
    if (pack_make_dirs(dir, err, sizeof err) != 0) {
        fprintf(stderr, "hiroba-pack alert %s: %s\n", cmd, err);
        goto done;
    }
    /* Two publishes at once would both chain to the same current alert. */
    if ((lock = pack_channel_lock(dir, err, sizeof err)) < 0) {
        fprintf(stderr, "hiroba-pack alert %s: %s\n", cmd, err);
        goto done;
    }
    bool bad;
    cur = current_alert(path, &bad);
    if (bad)
        goto done;
    bool chained = cur && cur->msg_type != ALERT_MSG_CANCEL;
    if (cancel && !chained) {
        fprintf(stderr, "hiroba-pack alert cancel: no current alert for channel %s (%s)\n",
                o->channel, cur ? "the last one was already cancelled" : "nothing published");
        goto done;
    }
    if (chained && !cancel && cur->status == ALERT_STATUS_ACTUAL && o->drill) {
        fprintf(stderr,
                "hiroba-pack alert publish: a real alert (%s) is current: cancel it "
                "before publishing a drill\n",
                cur->identifier);
        goto done;
    }
    if (chained && o->sender && strcmp(o->sender, cur->sender) != 0) {
        fprintf(stderr,
                "hiroba-pack alert %s: the current alert was sent as '%s': keep that "
                "--sender, or cancel it first\n",
                cmd, cur->sender);
        goto done;
    }
    if (cur && sent < cur->sent) {
        fprintf(stderr,
                "hiroba-pack alert %s: sent before the current alert (%s): kiosks "
                "would refuse it\n",
                cmd, cur->identifier);
        goto done;
    }
    if (cur && strcmp(cur->identifier, id) == 0) {
        fprintf(stderr, "hiroba-pack alert %s: --id %s is the current alert's\n", cmd, id);
        goto done;
    }
    const char *sender = o->sender ? o->sender : cur ? cur->sender : o->channel;
    const char *msg_type = cancel ? "Cancel" : chained ? "Update" : "Alert";
    bool exercise = cancel ? cur->status == ALERT_STATUS_EXERCISE : o->drill;
    char sent_s[48], exp_s[48];
    pack_format_time(sent, zone, sent_s, sizeof sent_s);
    root = json_pack("{si ss ss ss ss ss}", "format", 1, "id", id, "sender", sender, "sent", sent_s,
                     "status", exercise ? "Exercise" : "Actual", "msgType", msg_type);
    if (!root)
        goto nomem;
    if (chained) {
        json_t *refs = chain_of(cur, id, cmd);
        if (!refs)
            goto done;
        json_object_set_new(root, "references", refs);
    }
    if (!cancel) {
        json_object_set_new(root, "severity", json_string(severity));
        json_object_set_new(root, "urgency", json_string(urgency));
        if (certainty)
            json_object_set_new(root, "certainty", json_string(certainty));
        if (o->expires || o->for_minutes) {
            pack_format_time(expires, zone, exp_s, sizeof exp_s);
            json_object_set_new(root, "expires", json_string(exp_s));
        }
        if (add_texts(root, o) != 0)
            goto done;
        if (o->url)
            json_object_set_new(root, "url", json_string(o->url));
    }
    text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (!text)
        goto nomem;
    size_t len = strlen(text);
    char *grown = realloc(text, len + 2);
    if (!grown)
        goto nomem;
    text = grown;
    text[len++] = '\n';
    text[len] = '\0';
    alert_decision d;
    if (check_as_kiosk(cmd, text, len, sent, &d, &check) != 0)
        goto done;
    char comment[TRUST_COMMENT_MAX + 1];
    snprintf(comment, sizeof comment, ALERTS_COMMENT_NATIVE, o->channel, id);
    if (pack_alert_sign_write(cmd, key, path, text, len, comment, true) != 0)
        goto done;
    char key_id[TRUST_KEY_ID_SIZE];
    trust_secret_key_key_id(key, key_id);
    if (cancel)
        printf("cancelled %s on channel %s with %s (signed with key %s)\n", cur->identifier,
               o->channel, id, key_id);
    else
        printf("published %s on channel %s%s%s: %s%s (signed with key %s)\n", id, o->channel,
               chained ? ", an update of " : "", chained ? cur->identifier : "",
               alert_action_name(d.action),
               d.action == ALERT_ACTION_DRILL ? (d.full_screen ? " (full screen)" : " (banner)")
                                              : "",
               key_id);
    if (!cancel && !o->expires && !o->for_minutes)
        printf("no expiry: kiosks show it until it is cancelled\n");
    printf("wrote %s and %s.minisig\n", path, path);
    status = PACK_EXIT_OK;
    goto done;
nomem:
    fprintf(stderr, "hiroba-pack alert %s: out of memory\n", cmd);
done:
    if (lock >= 0)
        close(lock);
    free(text);
    json_decref(root);
    alert_destroy(check);
    alert_destroy(cur);
    tz_zone_destroy(zone);
    trust_secret_key_destroy(key);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "hiroba-pack alert %s: cannot write output\n", cmd);
        return PACK_EXIT_PROBLEMS;
    }
    return status;
}

int pack_alert_publish(int argc, char **argv)
{
    struct alert_opts o = {.cmd = "publish"};
    if (parse_opts(argc, argv, &o) != 0) {
        publish_usage(stderr);
        return PACK_EXIT_USAGE;
    }
    return write_alert(&o, false);
}

int pack_alert_cancel(int argc, char **argv)
{
    struct alert_opts o = {.cmd = "cancel"};
    if (parse_opts(argc, argv, &o) != 0) {
        publish_usage(stderr);
        return PACK_EXIT_USAGE;
    }
    return write_alert(&o, true);
}
