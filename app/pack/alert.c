/* hiroba-pack alert: staff commands for emergency alerts. `inspect` says in
 * one JSON line what a kiosk would do with a native alert or CAP document and
 * why; it never checks signatures (that is the kiosk's job) and never writes
 * anything. publish, cancel and sign-cap (alert_publish.c) write and sign. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "app/core/alert.h"
#include "app/core/clock.h"
#include "app/pack/pack.h"

static void usage(FILE *to)
{
    fprintf(to, "usage: hiroba-pack alert inspect FILE [--lang ja] [--drills on|off] "
                "[--at ISO-TIME]\n"
                "  Reads one native alert (JSON) or CAP document and prints\n"
                "  {\"action\",\"status\",\"msgType\",\"language\",\"expires\",\"reason\"}.\n"
                "  Exit 0 when understood, 1 when rejected, 2 for bad usage.\n"
                "       hiroba-pack alert publish PUBLISH_DIR --channel NAME --key SECRET "
                "--title-ja T ...\n"
                "       hiroba-pack alert cancel PUBLISH_DIR --channel NAME --key SECRET\n"
                "       hiroba-pack alert sign-cap FILE --key SECRET\n"
                "  Write and sign alerts (hiroba-pack alert publish --help for every option).\n");
}

static int inspect(int argc, char **argv)
{
    const char *file = NULL, *lang = "ja", *at = NULL;
    bool drills = false;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            usage(stdout);
            return PACK_EXIT_OK;
        }
        bool has_value = i + 1 < argc;
        if (strcmp(arg, "--lang") == 0 && has_value) {
            lang = argv[++i];
        } else if (strcmp(arg, "--at") == 0 && has_value) {
            at = argv[++i];
        } else if (strcmp(arg, "--drills") == 0 && has_value) {
            const char *v = argv[++i];
            if (strcmp(v, "on") != 0 && strcmp(v, "off") != 0) {
                fprintf(stderr, "hiroba-pack alert inspect: --drills takes on or off\n");
                return PACK_EXIT_USAGE;
            }
            drills = strcmp(v, "on") == 0;
        } else if (arg[0] == '-' && arg[1]) {
            fprintf(stderr, "hiroba-pack alert inspect: unknown or incomplete option '%s'\n", arg);
            usage(stderr);
            return PACK_EXIT_USAGE;
        } else if (!file) {
            file = arg;
        } else {
            fprintf(stderr, "hiroba-pack alert inspect: one FILE only\n");
            return PACK_EXIT_USAGE;
        }
    }
    if (!file || !lang[0] || strlen(lang) > 35) {
        usage(stderr);
        return PACK_EXIT_USAGE;
    }
    int64_t now;
    if (at) {
        if (pack_parse_time(at, &now) != 0) {
            fprintf(stderr, "hiroba-pack alert inspect: --at wants an ISO time with a zone, "
                            "like 2026-11-24T10:00:00+09:00\n");
            return PACK_EXIT_USAGE;
        }
    } else {
        now = clock_now(NULL).sec;
    }

    char err[ALERT_REASON_MAX] = "";
    char *text = NULL;
    size_t len = 0;
    alert *a = NULL;
    /* A file over the limit is a rejected alert (reported as such), not a usage error. */
    if (pack_read_file(file, ALERT_MAX_BYTES, &text, &len, err, sizeof err) != 0) {
        if (!strstr(err, "allowed")) {
            fprintf(stderr, "hiroba-pack alert inspect: %s: %s\n", file, err);
            return PACK_EXIT_USAGE;
        }
        char why[ALERT_REASON_MAX];
        snprintf(why, sizeof why, "too large: %.200s", err);
        snprintf(err, sizeof err, "%s", why);
    } else {
        alert_parse(text, len, &a, err, sizeof err);
    }
    free(text);

    alert_decision d;
    alert_decide(a, &(alert_policy){.allow_drills = drills, .language = lang}, now, &d);
    char expires[48] = "";
    if (d.info && d.info->has_expires)
        pack_format_time(d.info->expires, NULL, expires, sizeof expires);
    json_t *line =
        json_pack("{ss ss ss ss ss ss}", "action", alert_action_name(d.action), "status",
                  a ? alert_status_name(a->status) : "", "msgType",
                  a ? alert_msg_type_name(a->msg_type) : "", "language",
                  d.info ? d.info->language : "", "expires", expires, "reason", a ? d.reason : err);
    alert_destroy(a);
    char *out = line ? json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(line);
    if (!out) {
        fprintf(stderr, "hiroba-pack alert inspect: out of memory\n");
        return PACK_EXIT_PROBLEMS;
    }
    printf("%s\n", out);
    free(out);
    return d.action == ALERT_ACTION_REJECT ? PACK_EXIT_PROBLEMS : PACK_EXIT_OK;
}

int pack_cmd_alert(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? PACK_EXIT_USAGE : PACK_EXIT_OK;
    }
    if (strcmp(argv[1], "inspect") == 0)
        return inspect(argc - 1, argv + 1);
    if (strcmp(argv[1], "publish") == 0)
        return pack_alert_publish(argc - 1, argv + 1);
    if (strcmp(argv[1], "cancel") == 0)
        return pack_alert_cancel(argc - 1, argv + 1);
    if (strcmp(argv[1], "sign-cap") == 0)
        return pack_alert_sign_cap(argc - 1, argv + 1);
    fprintf(stderr, "hiroba-pack alert: unknown subcommand '%s'\n", argv[1]);
    usage(stderr);
    return PACK_EXIT_USAGE;
}
