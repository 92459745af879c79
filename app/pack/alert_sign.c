/* hiroba-pack alert sign-cap, and the signing publish and cancel share: a
 * minisign secret key loaded as sign.c loads one (unencrypted, or a password
 * from --password-file or HIROBA_KEY_PASSWORD), a detached FILE.minisig
 * written atomically. sign-cap signs a CAP document exactly as it is, after
 * checking that a kiosk can read it, for kiosks that take CAP from the city's
 * relay (the pack's feeds.cap URL + ".minisig"). Never prints or keeps a
 * secret. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/core/alert.h"
#include "app/core/alerts.h"
#include "app/core/trust.h"
#include "app/pack/pack.h"

static void sign_cap_usage(FILE *to)
{
    fprintf(to, "usage: hiroba-pack alert sign-cap FILE --key SECRET [--password-file FILE]\n"
                "Checks that a kiosk can read the CAP document FILE and signs it as it is into\n"
                "FILE.minisig (the stock minisign -Vm verifies it). Serve both at the pack's\n"
                "feeds.cap URL and that URL + \".minisig\". An encrypted key's password comes\n"
                "from --password-file or HIROBA_KEY_PASSWORD.\n");
}

trust_secret_key *pack_alert_load_key(const char *cmd, const char *key_path, const char *pw_file)
{
    char *password = NULL, err[TRUST_MESSAGE_MAX];
    if (pack_password_get(pw_file, &password, err, sizeof err) != 0) {
        fprintf(stderr, "hiroba-pack alert %s: %s\n", cmd, err);
        return NULL;
    }
    trust_secret_key *key = trust_secret_key_load(key_path, password, err, sizeof err);
    bool had_password = password != NULL;
    pack_password_free(password);
    if (!key)
        fprintf(stderr, "hiroba-pack alert %s: %s%s\n", cmd, err,
                strstr(err, "password is needed") && !had_password
                    ? " (give --password-file or set HIROBA_KEY_PASSWORD)"
                    : "");
    return key;
}

int pack_alert_sign_write(const char *cmd, const trust_secret_key *key, const char *path,
                          const char *text, size_t len, const char *comment, bool write_doc)
{
    char sig_path[PACK_PATH_MAX], err[TRUST_MESSAGE_MAX];
    if (snprintf(sig_path, sizeof sig_path, "%s.minisig", path) >= (int)sizeof sig_path) {
        fprintf(stderr, "hiroba-pack alert %s: %s: path too long\n", cmd, path);
        return -1;
    }
    char *sig = NULL;
    trust_sign_options so = {.trusted_comment = comment,
                             .untrusted_comment = "signature from hiroba-pack secret key"};
    if (trust_sign(key, text, len, &so, &sig, err, sizeof err) != 0) {
        fprintf(stderr, "hiroba-pack alert %s: %s\n", cmd, err);
        return -1;
    }
    /* The signature first: a kiosk polling the JSON with If-None-Match sees
     * it unchanged until the JSON itself is replaced, and then finds the new
     * signature already beside it. */
    int rc = pack_write_atomic(sig_path, sig, strlen(sig), 0644, err, sizeof err);
    if (rc == 0 && write_doc)
        rc = pack_write_atomic(path, text, len, 0644, err, sizeof err);
    free(sig);
    if (rc != 0) {
        fprintf(stderr, "hiroba-pack alert %s: %s\n", cmd, err);
        return -1;
    }
    return 0;
}

int pack_alert_sign_cap(int argc, char **argv)
{
    const char *file = NULL, *key_path = NULL, *pw_file = NULL;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            sign_cap_usage(stdout);
            return PACK_EXIT_OK;
        }
        bool has_value = i + 1 < argc;
        if (strcmp(arg, "--key") == 0 && has_value)
            key_path = argv[++i];
        else if (strcmp(arg, "--password-file") == 0 && has_value)
            pw_file = argv[++i];
        else if (!file && (arg[0] != '-' || !arg[1]))
            file = arg;
        else {
            fprintf(stderr, "hiroba-pack alert sign-cap: unexpected or incomplete argument '%s'\n",
                    arg);
            sign_cap_usage(stderr);
            return PACK_EXIT_USAGE;
        }
    }
    if (!file || !key_path) {
        fprintf(stderr, "hiroba-pack alert sign-cap: FILE and --key are required\n");
        sign_cap_usage(stderr);
        return PACK_EXIT_USAGE;
    }
    char *text = NULL, err[ALERT_REASON_MAX];
    size_t len;
    if (pack_read_file(file, ALERT_MAX_BYTES, &text, &len, err, sizeof err) != 0) {
        fprintf(stderr, "hiroba-pack alert sign-cap: %s: %s\n", file, err);
        return PACK_EXIT_PROBLEMS;
    }
    alert *a = NULL;
    if (alert_parse_cap(text, len, &a, err, sizeof err) != 0) {
        fprintf(stderr, "hiroba-pack alert sign-cap: %s: kiosks would refuse it: %s: not signed\n",
                file, err);
        free(text);
        return PACK_EXIT_PROBLEMS;
    }
    int status = PACK_EXIT_PROBLEMS;
    trust_secret_key *key = pack_alert_load_key("sign-cap", key_path, pw_file);
    char comment[TRUST_COMMENT_MAX + 1];
    if (strpbrk(a->identifier, "\r\n") || strlen(a->identifier) > 900) {
        fprintf(stderr, "hiroba-pack alert sign-cap: %s: identifier unfit for a signature\n", file);
    } else if (key) {
        snprintf(comment, sizeof comment, ALERTS_COMMENT_CAP, a->identifier);
        if (pack_alert_sign_write("sign-cap", key, file, text, len, comment, false) == 0) {
            char key_id[TRUST_KEY_ID_SIZE];
            trust_secret_key_key_id(key, key_id);
            printf("signed CAP %s (%s %s) with key %s\nwrote %s.minisig\n", a->identifier,
                   alert_status_name(a->status), alert_msg_type_name(a->msg_type), key_id, file);
            status = PACK_EXIT_OK;
        }
    }
    trust_secret_key_destroy(key);
    alert_destroy(a);
    free(text);
    if (fflush(stdout) != 0 || ferror(stdout))
        return PACK_EXIT_PROBLEMS;
    return status;
}
