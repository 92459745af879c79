/* test_trust: minisign compatibility, proven both ways against the real `minisign`
 * binary (a test dependency: apt-get install minisign): its keys (unencrypted and with a
 * password) load here, its signatures (prehashed and legacy) verify here, and it accepts
 * our signatures and our key files. Also the keyring (rotation), signing options and the
 * API's edges. Broken inputs are in test_trust_inputs.c. */
#include "trust_fixture.h"

#include <errno.h>
#include <sys/wait.h>

/* name + suffix in a rotating static buffer (test names are short). */
static const char *with_suffix(const char *name, const char *suffix)
{
    static char bufs[4][128];
    static int next;
    char *b = bufs[next++ % 4];
    snprintf(b, sizeof bufs[0], "%s%s", name, suffix);
    return b;
}

/* Runs argv (NULL-terminated) with stdin_text on stdin; stdout and stderr go to out.
 * Returns the exit status, or -1 if it did not exit normally. */
static int run(const char *stdin_text, char *out, size_t out_size, const char *const argv[])
{
    int in_pipe[2], out_pipe[2];
    assert_int_equal(pipe(in_pipe), 0);
    assert_int_equal(pipe(out_pipe), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(in_pipe[0], 0);
        dup2(out_pipe[1], 1);
        dup2(out_pipe[1], 2);
        close(in_pipe[0]);
        close(in_pipe[1]);
        close(out_pipe[0]);
        close(out_pipe[1]);
        execvp(argv[0], (char *const *)argv);
        _exit(127);
    }
    close(in_pipe[0]);
    close(out_pipe[1]);
    if (stdin_text != NULL) {
        assert_int_equal(write(in_pipe[1], stdin_text, strlen(stdin_text)),
                         (ssize_t)strlen(stdin_text));
    }
    close(in_pipe[1]);
    size_t n = 0;
    ssize_t r;
    while ((r = read(out_pipe[0], out + n, out_size - 1 - n)) > 0) {
        n += (size_t)r;
    }
    out[n] = '\0';
    close(out_pipe[0]);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The key id minisign wrote on line 1 of a .pub file. minisign 0.11 prints it with %lX,
 * without leading zeros; we always print 16 digits (as minisign 0.12 does). */
static void pub_file_id(const char *pub_path, char id[TRUST_KEY_ID_SIZE])
{
    char text[1024], *end = NULL;
    read_file(pub_path, text, sizeof text);
    const char *prefix = "untrusted comment: minisign public key ";
    assert_memory_equal(text, prefix, strlen(prefix));
    errno = 0;
    unsigned long long v = strtoull(text + strlen(prefix), &end, 16);
    assert_true(errno == 0 && end > text + strlen(prefix) && (*end == '\n' || *end == '\r'));
    snprintf(id, TRUST_KEY_ID_SIZE, "%016llX", v);
}

static int setup_minisign_key(void)
{
    char out[4096], pub[PATH_MAX], key[PATH_MAX], err[TRUST_MESSAGE_MAX];
    const char *const version[] = {"minisign", "-v", NULL};
    if (run(NULL, out, sizeof out, version) != 0) {
        fprintf(stderr, "test_trust: needs `minisign` on PATH (apt-get install minisign)\n");
        return -1;
    }
    const char *const gen_c[] = {
        "minisign", "-G", "-W", "-p", path_in(pub, "c.pub"), "-s", path_in(key, "c.key"), NULL};
    if (run(NULL, out, sizeof out, gen_c) != 0) {
        fprintf(stderr, "minisign -G -W: %s\n", out);
        return -1;
    }
    pub_file_id(pub, F.id_c);
    F.c = trust_secret_key_load(key, NULL, err, sizeof err);
    if (F.c == NULL) {
        fprintf(stderr, "key made by minisign -G -W: %s\n", err);
        return -1;
    }
    return 0;
}

/* cmocka skips the teardown when the setup fails: clean up here too. */
static int group_setup(void **state)
{
    *state = &F;
    if (trust_fixture_setup() != 0 || setup_minisign_key() != 0) {
        trust_fixture_teardown();
        return -1;
    }
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    return trust_fixture_teardown();
}

/* ---- Compatibility with minisign, both ways ------------------------------------------------ */

static void test_minisign_unencrypted_key_loads(void **state)
{
    (void)state;
    char pub[PATH_MAX], key[PATH_MAX], err[TRUST_MESSAGE_MAX], id[TRUST_KEY_ID_SIZE];
    char b64[TRUST_PUBKEY_B64_SIZE], text[1024];
    /* C was made by `minisign -G -W`, whose checksum field is all zero. */
    trust_secret_key_key_id(F.c, id);
    assert_string_equal(id, F.id_c);
    trust_secret_key_public_base64(F.c, b64);
    read_file(path_in(pub, "c.pub"), text, sizeof text);
    assert_non_null(strstr(text, b64));
    /* A password given for an unencrypted key is ignored. */
    trust_secret_key *again = trust_secret_key_load(path_in(key, "c.key"), "x", err, sizeof err);
    assert_non_null(again);
    trust_secret_key_destroy(again);
}

static void test_minisign_encrypted_key(void **state)
{
    (void)state;
    char pub[PATH_MAX], key[PATH_MAX], out[4096], err[TRUST_MESSAGE_MAX];
    char id[TRUST_KEY_ID_SIZE], want_id[TRUST_KEY_ID_SIZE];
    /* minisign reads the password (twice) from stdin when it is not a terminal. */
    const char *const gen[] = {
        "minisign", "-G", "-p", path_in(pub, "e.pub"), "-s", path_in(key, "e.key"), NULL};
    assert_int_equal(run(PW "\n" PW "\n", out, sizeof out, gen), 0);
    pub_file_id(pub, want_id);

    trust_secret_key *k = trust_secret_key_load(key, PW, err, sizeof err);
    if (k == NULL) {
        fail_msg("%s", err);
    }
    trust_secret_key_key_id(k, id);
    assert_string_equal(id, want_id);
    trust_secret_key_destroy(k);

    assert_null(trust_secret_key_load(key, PW "!", err, sizeof err));
    assert_non_null(strstr(err, "wrong password or corrupt key"));
    assert_non_null(strstr(err, key));
    assert_null(trust_secret_key_load(key, NULL, err, sizeof err));
    assert_non_null(strstr(err, "a password is needed"));
}

typedef struct interop_case {
    const char *name;
    bool legacy;
    const char *trusted_comment;
} interop_case;

static const interop_case interop_cases[] = {
    {"prehashed", false, TC},
    {"legacy", true, TC},
    {"prehashed, empty comment", false, ""},
    {"legacy, ascii comment", true, "timestamp:1795515350\tfile:manifest.json"},
};

static void test_minisign_signatures_verify(void **state)
{
    (void)state;
    char msg[PATH_MAX], key[PATH_MAX], sig[PATH_MAX], out[4096];
    path_in(msg, "msg.json");
    path_in(key, "c.key");
    path_in(sig, "by-minisign.minisig");
    trust_keyring *kr = keyring_of("c.pub");
    for (size_t i = 0; i < sizeof interop_cases / sizeof interop_cases[0]; i++) {
        const interop_case *c = &interop_cases[i];
        const char *const argv[] = {"minisign",
                                    "-S",
                                    "-m",
                                    msg,
                                    "-s",
                                    key,
                                    "-x",
                                    sig,
                                    "-t",
                                    c->trusted_comment,
                                    c->legacy ? "-l" : NULL,
                                    NULL};
        assert_int_equal(run(NULL, out, sizeof out, argv), 0);
        trust_result r;
        if (trust_verify_file(kr, MSG, strlen(MSG), sig, &r) != 0) {
            fail_msg("%s: %s", c->name, r.message);
        }
        assert_true(r.ok);
        assert_int_equal(r.prehashed, !c->legacy);
        assert_string_equal(r.key_id, F.id_c);
        /* minisign replaces an empty -t with its default "timestamp:...\tfile:..." */
        if (c->trusted_comment[0] != '\0') {
            assert_string_equal(r.trusted_comment, c->trusted_comment);
        } else {
            assert_non_null(strstr(r.trusted_comment, "file:msg.json\thashed"));
        }
        assert_int_equal(trust_verify_file(kr, MSG "x", strlen(MSG) + 1, sig, &r), -1);
        assert_int_equal(r.error, TRUST_ERR_BAD_SIGNATURE);
    }
    trust_keyring_destroy(kr);
}

static void test_our_signatures_verify_with_minisign(void **state)
{
    (void)state;
    char msg[PATH_MAX], pub[PATH_MAX], sig[PATH_MAX], out[4096];
    const struct {
        trust_secret_key *key;
        const char *pub;
    } keys[] = {{F.a, "a.pub"}, {F.c, "c.pub"}}; /* ours, and minisign's */
    path_in(msg, "msg.json");
    path_in(sig, "by-us.minisig");
    for (size_t k = 0; k < 2; k++) {
        path_in(pub, keys[k].pub);
        trust_keyring *kr = keyring_of(keys[k].pub);
        for (size_t i = 0; i < sizeof interop_cases / sizeof interop_cases[0]; i++) {
            const interop_case *c = &interop_cases[i];
            char *text = sign_text(keys[k].key, MSG, c->trusted_comment, c->legacy);
            write_file(sig, text, strlen(text));
            const char *const verify[] = {"minisign", "-V", "-Q", "-m", msg,
                                          "-x",       sig,  "-p", pub,  NULL};
            if (run(NULL, out, sizeof out, verify) != 0) {
                fail_msg("%s: minisign -V refused: %s", c->name, out);
            }
            char want[TRUST_COMMENT_MAX + 2];
            snprintf(want, sizeof want, "%s\n", c->trusted_comment);
            assert_string_equal(out, want); /* -Q prints the trusted comment only */
            /* -H accepts only prehashed signatures: proves which kind we wrote. */
            const char *const strict[] = {"minisign", "-V", "-H", "-m", msg,
                                          "-x",       sig,  "-p", pub,  NULL};
            assert_int_equal(run(NULL, out, sizeof out, strict) == 0, !c->legacy);
            trust_result r;
            assert_int_equal(trust_verify(kr, MSG, strlen(MSG), text, strlen(text), &r), 0);
            assert_string_equal(r.trusted_comment, c->trusted_comment);
            free(text);
        }
        trust_keyring_destroy(kr);
    }
}

static void test_keygen_accepted_by_minisign(void **state)
{
    (void)state;
    const struct {
        const char *base;
        const char *password;
    } cases[] = {{"k-plain", NULL}, {"k-pw", PW}};
    char base[PATH_MAX], pub[PATH_MAX], key[PATH_MAX], msg[PATH_MAX], sig[PATH_MAX];
    char out[4096], err[TRUST_MESSAGE_MAX], id[TRUST_KEY_ID_SIZE], id2[TRUST_KEY_ID_SIZE];
    path_in(msg, "msg.json");
    for (size_t i = 0; i < 2; i++) {
        trust_keygen_options o = {
            .password = cases[i].password,
            .kdf_opslimit = FAST_OPSLIMIT,
            .kdf_memlimit = FAST_MEMLIMIT,
        };
        path_in(base, cases[i].base);
        if (trust_keygen(base, &o, id, err, sizeof err) != 0) {
            fail_msg("%s", err);
        }
        path_in(pub, with_suffix(cases[i].base, ".pub"));
        path_in(key, with_suffix(cases[i].base, ".key"));
        path_in(sig, with_suffix(cases[i].base, ".minisig"));
        struct stat st;
        assert_int_equal(stat(key, &st), 0);
        assert_int_equal(st.st_mode & 0777, 0600);
        pub_file_id(pub, id2);
        assert_string_equal(id, id2);

        char pw_line[64];
        snprintf(pw_line, sizeof pw_line, "%s\n", cases[i].password ? cases[i].password : "");
        const char *const sign[] = {"minisign", "-S", "-m", msg, "-s", key,
                                    "-x",       sig,  "-t", TC,  NULL};
        if (run(pw_line, out, sizeof out, sign) != 0) {
            fail_msg("%s: minisign -S refused our key: %s", cases[i].base, out);
        }
        const char *const verify[] = {"minisign", "-V", "-m", msg, "-x", sig, "-p", pub, NULL};
        if (run(NULL, out, sizeof out, verify) != 0) {
            fail_msg("%s: minisign -V refused our public key: %s", cases[i].base, out);
        }
        trust_keyring *kr = keyring_of(strrchr(pub, '/') + 1);
        trust_result r;
        assert_int_equal(trust_verify_file(kr, MSG, strlen(MSG), sig, &r), 0);
        assert_string_equal(r.key_id, id);
        assert_string_equal(r.trusted_comment, TC);
        trust_keyring_destroy(kr);

        trust_secret_key *k = trust_secret_key_load(key, cases[i].password, err, sizeof err);
        assert_non_null(k);
        trust_secret_key_destroy(k);
        if (cases[i].password != NULL) {
            assert_null(trust_secret_key_load(key, "wrong", err, sizeof err));
            assert_non_null(strstr(err, "wrong password or corrupt key"));
        }
        /* Like minisign -G: never overwrite a key, unless asked. */
        assert_int_equal(trust_keygen(base, &o, NULL, err, sizeof err), -1);
        assert_non_null(strstr(err, "already exists"));
        o.overwrite = true;
        assert_int_equal(trust_keygen(base, &o, id2, err, sizeof err), 0);
        assert_string_not_equal(id, id2);
        assert_int_equal(stat(key, &st), 0);
        assert_int_equal(st.st_mode & 0777, 0600);
    }
}

/* ---- Keyring, signing options, files -------------------------------------------------------- */

static void test_keyring_rotation(void **state)
{
    (void)state;
    char err[TRUST_MESSAGE_MAX], id[TRUST_KEY_ID_SIZE], path[PATH_MAX];
    trust_keyring *kr = keyring_of("a.pub");
    assert_int_equal(trust_keyring_add_file(kr, path_in(path, "b.pub"), err, sizeof err), 0);
    assert_int_equal(trust_keyring_count(kr), 2);
    const struct {
        trust_secret_key *key;
        const char *id;
        int rc;
    } signers[] = {{F.a, F.id_a, 0}, {F.b, F.id_b, 0}, {F.c, F.id_c, -1}};
    for (size_t i = 0; i < 3; i++) {
        char *text = sign_text(signers[i].key, MSG, TC, i == 1);
        trust_result r;
        assert_int_equal(trust_verify(kr, MSG, strlen(MSG), text, strlen(text), &r), signers[i].rc);
        assert_string_equal(r.key_id, signers[i].id);
        if (signers[i].rc != 0) {
            assert_int_equal(r.error, TRUST_ERR_UNKNOWN_KEY);
            assert_non_null(strstr(r.message, F.id_a));
            assert_non_null(strstr(r.message, F.id_b));
        }
        free(text);
    }
    /* The same key twice is a no-op; another key under a trusted id is refused. */
    assert_int_equal(trust_keyring_add_file(kr, path_in(path, "a.pub"), err, sizeof err), 0);
    assert_int_equal(trust_keyring_count(kr), 2);
    assert_int_equal(trust_keyring_key_id(kr, 1, id), 0);
    assert_string_equal(id, F.id_b);
    assert_int_equal(trust_keyring_key_id(kr, 2, id), -1);
    /* At most TRUST_KEYRING_MAX keys. */
    for (size_t i = 2; i < TRUST_KEYRING_MAX + 1; i++) {
        unsigned char blob[42], sk[64];
        char b64[TRUST_PUBKEY_B64_SIZE];
        memcpy(blob, "Ed", 2);
        randombytes_buf(blob + 2, 8);
        crypto_sign_keypair(blob + 10, sk);
        sodium_bin2base64(b64, sizeof b64, blob, sizeof blob, sodium_base64_VARIANT_ORIGINAL);
        int rc = trust_keyring_add_base64(kr, b64, err, sizeof err);
        assert_int_equal(rc, i < TRUST_KEYRING_MAX ? 0 : -1);
    }
    assert_non_null(strstr(err, "at most 16 keys"));
    trust_keyring_destroy(kr);
}

static void test_sign_rejects_bad_comments(void **state)
{
    (void)state;
    char long_tc[TRUST_COMMENT_MAX + 2], max_tc[TRUST_COMMENT_MAX + 1], err[TRUST_MESSAGE_MAX];
    memset(long_tc, 'x', sizeof long_tc - 1);
    long_tc[sizeof long_tc - 1] = '\0';
    memset(max_tc, 'y', sizeof max_tc - 1);
    max_tc[sizeof max_tc - 1] = '\0';
    const struct {
        const char *trusted, *untrusted, *error;
    } cases[] = {
        {"two\nlines", NULL, "trusted comment must be one line"},
        {"cr\r", NULL, "trusted comment must be one line"},
        {"ok", "un\ntrusted", "untrusted comment must be one line"},
        {long_tc, NULL, "trusted comment longer than 1024 bytes"},
        {max_tc, "fits", NULL},
    };
    trust_keyring *kr = keyring_of("a.pub");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        trust_sign_options o = {.trusted_comment = cases[i].trusted,
                                .untrusted_comment = cases[i].untrusted};
        char *text = (char *)"untouched";
        int rc = trust_sign(F.a, MSG, strlen(MSG), &o, &text, err, sizeof err);
        if (cases[i].error != NULL) {
            assert_int_equal(rc, -1);
            assert_null(text);
            assert_non_null(strstr(err, cases[i].error));
        } else {
            assert_int_equal(rc, 0);
            trust_result r;
            assert_int_equal(trust_verify(kr, MSG, strlen(MSG), text, strlen(text), &r), 0);
            assert_string_equal(r.trusted_comment, max_tc);
            free(text);
        }
    }
    trust_keyring_destroy(kr);
}

static void test_verify_file_and_arguments(void **state)
{
    (void)state;
    char path[PATH_MAX], big[TRUST_FILE_MAX + 100];
    trust_keyring *kr = keyring_of("a.pub");
    trust_result r;
    assert_int_equal(trust_verify_file(kr, MSG, strlen(MSG), path_in(path, "none.minisig"), &r),
                     -1);
    assert_int_equal(r.error, TRUST_ERR_IO);
    memset(big, 'x', sizeof big);
    write_file(path_in(path, "big.minisig"), big, sizeof big);
    assert_int_equal(trust_verify_file(kr, MSG, strlen(MSG), path, &r), -1);
    assert_int_equal(r.error, TRUST_ERR_FORMAT);
    assert_int_equal(trust_verify(NULL, MSG, 1, "x", 1, &r), -1);
    assert_int_equal(r.error, TRUST_ERR_INTERNAL);
    assert_int_equal(trust_verify(kr, NULL, 0, NULL, 0, &r), -1);
    assert_int_equal(r.error, TRUST_ERR_FORMAT);
    /* An empty message can be signed and verified like any other. */
    char *text = NULL, err[TRUST_MESSAGE_MAX];
    assert_int_equal(trust_sign(F.a, NULL, 0, NULL, &text, err, sizeof err), 0);
    assert_int_equal(trust_verify(kr, NULL, 0, text, strlen(text), &r), 0);
    assert_string_equal(r.trusted_comment, "");
    free(text);
    assert_string_equal(trust_error_name(TRUST_ERR_BAD_GLOBAL_SIGNATURE), "bad-global-signature");
    trust_keyring_destroy(kr);
    trust_keyring_destroy(NULL);
    trust_secret_key_destroy(NULL);
    char err2[8];
    assert_int_equal(trust_keygen("", NULL, NULL, err2, sizeof err2), -1);
    trust_keygen_options o = {.password = ""};
    assert_int_equal(trust_keygen(path_in(path, "nopw"), &o, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "empty password"));
    assert_int_equal(access(path_in(path, "nopw.key"), F_OK), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_minisign_unencrypted_key_loads),
        cmocka_unit_test(test_minisign_encrypted_key),
        cmocka_unit_test(test_minisign_signatures_verify),
        cmocka_unit_test(test_our_signatures_verify_with_minisign),
        cmocka_unit_test(test_keygen_accepted_by_minisign),
        cmocka_unit_test(test_keyring_rotation),
        cmocka_unit_test(test_sign_rejects_bad_comments),
        cmocka_unit_test(test_verify_file_and_arguments),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
