/* test_objects: core/objects: the streaming writer (good, wrong hash, too
 * much, too little, resume, rewind, one writer per hash), import, verify of
 * a corrupted object, gc and its keep set, tmp/ cleaning at open, and names
 * that must never reach the file system. */
#define _GNU_SOURCE /* nftw */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "app/core/log.h"
#include "app/core/objects.h"

struct fixture {
    char dir[64];
    objects *objs;
};

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

static void rm_rf(const char *dir)
{
    nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    snprintf(f->dir, sizeof f->dir, "/tmp/hiroba-objects-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    f->objs = objects_open(f->dir);
    if (!f->objs)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    objects_close(f->objs);
    rm_rf(f->dir);
    free(f);
    return 0;
}

static void sha_hex(const void *buf, size_t len, char out[OBJECTS_HEX_SIZE])
{
    unsigned char d[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(d, buf, len);
    sodium_bin2hex(out, OBJECTS_HEX_SIZE, d, sizeof d);
}

static unsigned char *random_bytes(size_t len)
{
    unsigned char *b = malloc(len ? len : 1);
    assert_non_null(b);
    randombytes_buf(b, len);
    return b;
}

/* Files in DATA/tmp (not counting . and ..). */
static int count_tmp(const struct fixture *f)
{
    char path[128];
    snprintf(path, sizeof path, "%s/tmp", f->dir);
    DIR *d = opendir(path);
    if (!d)
        return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

static void read_file(const char *path, unsigned char **out, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    rewind(fp);
    *out = malloc((size_t)n + 1);
    assert_non_null(*out);
    assert_int_equal(fread(*out, 1, (size_t)n, fp), (size_t)n);
    fclose(fp);
    *len = (size_t)n;
}

static void write_file(const char *path, const void *buf, size_t len)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(buf, 1, len, fp), len);
    fclose(fp);
}

/* Writes buf through a writer in chunks of step bytes and commits. */
static int write_object(objects *objs, const char *sha, uint64_t declared, const void *buf,
                        size_t len, size_t step)
{
    objects_writer *w = objects_writer_begin(objs, sha, declared);
    assert_non_null(w);
    int r = 0;
    for (size_t off = 0; off < len && r == 0; off += step) {
        size_t n = len - off < step ? len - off : step;
        r = objects_writer_write(w, (const unsigned char *)buf + off, n);
    }
    int c = objects_writer_commit(w);
    return r ? r : c;
}

static void test_good_write(void **state)
{
    struct fixture *f = *state;
    static const size_t sizes[] = {0, 1, 4095, 65536, 200001};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        unsigned char *data = random_bytes(sizes[i]);
        char sha[OBJECTS_HEX_SIZE];
        sha_hex(data, sizes[i], sha);
        assert_false(objects_has(f->objs, sha, sizes[i]));
        assert_int_equal(write_object(f->objs, sha, sizes[i], data, sizes[i], 7777), 0);
        assert_true(objects_has(f->objs, sha, sizes[i]));
        assert_false(objects_has(f->objs, sha, sizes[i] + 1));
        assert_int_equal(objects_verify(f->objs, sha), 0);

        char path[4096];
        assert_int_equal(objects_path(f->objs, sha, path, sizeof path), 0);
        char want[4096];
        snprintf(want, sizeof want, "%s/objects/%.2s/%s", f->dir, sha, sha);
        assert_string_equal(path, want);
        unsigned char *back;
        size_t back_len;
        read_file(path, &back, &back_len);
        assert_int_equal(back_len, sizes[i]);
        assert_memory_equal(back, data, sizes[i]);
        free(back);
        free(data);
    }
    assert_int_equal(count_tmp(f), 0);
}

/* Every way a download can be wrong: refused, no object, no temp file left. */
static void test_bad_writes(void **state)
{
    struct fixture *f = *state;
    static const struct {
        const char *name;
        size_t actual;   /* bytes sent */
        size_t declared; /* size in the manifest */
        bool other_hash; /* declared sha256 is another content's */
        int write_err;   /* first failing write */
        int commit_err;
    } cases[] = {
        {"wrong hash", 1000, 1000, true, 0, OBJECTS_ERR_HASH},
        {"too much data", 1001, 1000, false, OBJECTS_ERR_TOO_LONG, OBJECTS_ERR_TOO_LONG},
        {"too little data", 999, 1000, false, 0, OBJECTS_ERR_SHORT},
        {"nothing at all", 0, 1000, false, 0, OBJECTS_ERR_SHORT},
        {"empty but declared hash of other", 0, 0, true, 0, OBJECTS_ERR_HASH},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        unsigned char *data = random_bytes(cases[i].actual);
        char sha[OBJECTS_HEX_SIZE];
        if (cases[i].other_hash)
            sha_hex("something else", 14, sha);
        else
            sha_hex(data, cases[i].declared < cases[i].actual ? cases[i].declared : cases[i].actual,
                    sha);
        objects_writer *w = objects_writer_begin(f->objs, sha, cases[i].declared);
        assert_non_null(w);
        int first = 0;
        for (size_t off = 0; off < cases[i].actual; off += 100) {
            size_t n = cases[i].actual - off < 100 ? cases[i].actual - off : 100;
            int r = objects_writer_write(w, data + off, n);
            if (r && !first)
                first = r;
        }
        if (first != cases[i].write_err)
            fail_msg("%s: write returned %d", cases[i].name, first);
        /* Refused bytes are not written: the offset stops before them. */
        assert_true(objects_writer_offset(w) <= cases[i].declared);
        int c = objects_writer_commit(w);
        if (c != cases[i].commit_err)
            fail_msg("%s: commit returned %d (%s)", cases[i].name, c, objects_strerror(c));
        assert_false(objects_has(f->objs, sha, cases[i].declared));
        assert_int_equal(objects_verify(f->objs, sha), OBJECTS_ERR_NOT_FOUND);
        assert_int_equal(count_tmp(f), 0);
        free(data);
    }
    assert_string_equal(objects_strerror(OBJECTS_ERR_TOO_LONG), "more data than declared");
}

static void test_resume(void **state)
{
    struct fixture *f = *state;
    const size_t len = 300000, cut = 123457;
    unsigned char *data = random_bytes(len);
    char sha[OBJECTS_HEX_SIZE];
    sha_hex(data, len, sha);

    /* Nothing to resume: offset 0. */
    uint64_t off = 99;
    objects_writer *w = objects_writer_resume(f->objs, sha, len, &off);
    assert_non_null(w);
    assert_int_equal(off, 0);
    assert_int_equal(objects_writer_write(w, data, cut), 0);
    objects_writer_pause(w); /* the connection broke */
    assert_int_equal(count_tmp(f), 1);
    assert_false(objects_has(f->objs, sha, len));

    /* A restart: the partial is still there and counted. */
    objects_close(f->objs);
    f->objs = objects_open(f->dir);
    assert_non_null(f->objs);
    w = objects_writer_resume(f->objs, sha, len, &off);
    assert_non_null(w);
    assert_int_equal(off, cut);
    assert_int_equal(objects_writer_offset(w), cut);
    assert_int_equal(objects_writer_write(w, data + cut, len - cut), 0);
    assert_int_equal(objects_writer_commit(w), 0);
    assert_true(objects_has(f->objs, sha, len));
    assert_int_equal(objects_verify(f->objs, sha), 0);
    assert_int_equal(count_tmp(f), 0);
    free(data);
}

/* The partial's bytes count: a corrupted partial fails the final hash, one
 * longer than declared is discarded, and rewind starts over for a server
 * that answered the Range with the whole body. */
static void test_resume_edge_cases(void **state)
{
    struct fixture *f = *state;
    const size_t len = 5000;
    unsigned char *data = random_bytes(len);
    char sha[OBJECTS_HEX_SIZE], part[4200];
    sha_hex(data, len, sha);
    snprintf(part, sizeof part, "%s/tmp/%s.part", f->dir, sha);

    /* Corrupted partial: resumed, but refused at commit. */
    unsigned char *bad = malloc(len);
    memcpy(bad, data, len);
    bad[10] ^= 1;
    write_file(part, bad, 2000);
    uint64_t off;
    objects_writer *w = objects_writer_resume(f->objs, sha, len, &off);
    assert_non_null(w);
    assert_int_equal(off, 2000);
    assert_int_equal(objects_writer_write(w, data + 2000, len - 2000), 0);
    assert_int_equal(objects_writer_commit(w), OBJECTS_ERR_HASH);
    assert_int_equal(count_tmp(f), 0);

    /* Longer than declared: discarded. */
    unsigned char *big = random_bytes(len + 10);
    write_file(part, big, len + 10);
    w = objects_writer_resume(f->objs, sha, len, &off);
    assert_non_null(w);
    assert_int_equal(off, 0);
    objects_writer_abort(w);
    assert_int_equal(count_tmp(f), 0);

    /* Rewind: a 200 instead of a 206. */
    write_file(part, data, 1000);
    w = objects_writer_resume(f->objs, sha, len, &off);
    assert_int_equal(off, 1000);
    assert_int_equal(objects_writer_write(w, data, len - 1000), 0);
    assert_int_equal(objects_writer_write(w, data, len), OBJECTS_ERR_TOO_LONG);
    assert_int_equal(objects_writer_rewind(w), 0);
    assert_int_equal(objects_writer_offset(w), 0);
    assert_int_equal(objects_writer_write(w, data, len), 0);
    assert_int_equal(objects_writer_commit(w), 0);
    assert_int_equal(objects_verify(f->objs, sha), 0);

    /* Complete partial: only commit is left. */
    unsigned char *d2 = random_bytes(len);
    char sha2[OBJECTS_HEX_SIZE];
    sha_hex(d2, len, sha2);
    snprintf(part, sizeof part, "%s/tmp/%s.part", f->dir, sha2);
    write_file(part, d2, len);
    w = objects_writer_resume(f->objs, sha2, len, &off);
    assert_int_equal(off, len);
    assert_int_equal(objects_writer_commit(w), 0);
    assert_true(objects_has(f->objs, sha2, len));

    free(d2);
    free(big);
    free(bad);
    free(data);
}

/* Two writers can never interleave the same object. */
static void test_one_writer_per_hash(void **state)
{
    struct fixture *f = *state;
    unsigned char data[100];
    randombytes_buf(data, sizeof data);
    char sha[OBJECTS_HEX_SIZE];
    sha_hex(data, sizeof data, sha);
    objects_writer *a = objects_writer_begin(f->objs, sha, sizeof data);
    assert_non_null(a);
    assert_int_equal(objects_writer_write(a, data, 50), 0);
    assert_null(objects_writer_begin(f->objs, sha, sizeof data));
    uint64_t off;
    assert_null(objects_writer_resume(f->objs, sha, sizeof data, &off));
    /* The refused writer did not truncate a's file. */
    assert_int_equal(objects_writer_write(a, data + 50, 50), 0);
    assert_int_equal(objects_writer_commit(a), 0);
    assert_int_equal(objects_verify(f->objs, sha), 0);
    objects_writer *b = objects_writer_begin(f->objs, sha, sizeof data);
    assert_non_null(b);
    objects_writer_abort(b);
}

/* A good existing object is never replaced (same inode after a second
 * commit); a corrupt one is. */
static void test_never_overwrite(void **state)
{
    struct fixture *f = *state;
    unsigned char data[4096];
    randombytes_buf(data, sizeof data);
    char sha[OBJECTS_HEX_SIZE], path[4096];
    sha_hex(data, sizeof data, sha);
    assert_int_equal(write_object(f->objs, sha, sizeof data, data, sizeof data, 4096), 0);
    objects_path(f->objs, sha, path, sizeof path);
    struct stat before, after;
    assert_int_equal(stat(path, &before), 0);
    assert_int_equal(write_object(f->objs, sha, sizeof data, data, sizeof data, 1000), 0);
    assert_int_equal(stat(path, &after), 0);
    assert_int_equal(before.st_ino, after.st_ino);

    /* Same size, wrong content on disk: the next commit replaces it. */
    unsigned char junk[4096];
    randombytes_buf(junk, sizeof junk);
    write_file(path, junk, sizeof junk);
    assert_true(objects_has(f->objs, sha, sizeof data)); /* has() is only a stat */
    assert_int_equal(write_object(f->objs, sha, sizeof data, data, sizeof data, 4096), 0);
    assert_int_equal(objects_verify(f->objs, sha), 0);
    assert_int_equal(count_tmp(f), 0);
}

static void test_verify_corrupt(void **state)
{
    struct fixture *f = *state;
    unsigned char data[10000];
    randombytes_buf(data, sizeof data);
    char sha[OBJECTS_HEX_SIZE], path[4096];
    sha_hex(data, sizeof data, sha);
    assert_int_equal(write_object(f->objs, sha, sizeof data, data, sizeof data, 10000), 0);
    objects_path(f->objs, sha, path, sizeof path);

    /* Flip one bit in the middle, on disk. */
    int fd = open(path, O_RDWR);
    assert_true(fd >= 0);
    unsigned char b;
    assert_int_equal(pread(fd, &b, 1, 5000), 1);
    b ^= 0x10;
    assert_int_equal(pwrite(fd, &b, 1, 5000), 1);
    close(fd);

    assert_true(objects_has(f->objs, sha, sizeof data));
    assert_int_equal(objects_verify(f->objs, sha), OBJECTS_ERR_CORRUPT);
    assert_false(objects_has(f->objs, sha, sizeof data));
    assert_int_equal(access(path, F_OK), -1);
    assert_int_equal(objects_verify(f->objs, sha), OBJECTS_ERR_NOT_FOUND);
}

static void test_import(void **state)
{
    struct fixture *f = *state;
    const size_t len = 150000;
    unsigned char *data = random_bytes(len);
    char src[128], sha[OBJECTS_HEX_SIZE], got[OBJECTS_HEX_SIZE];
    snprintf(src, sizeof src, "%s/source.bin", f->dir);
    write_file(src, data, len);
    sha_hex(data, len, sha);

    uint64_t size = 0;
    assert_int_equal(objects_import_file(f->objs, src, got, &size), 0);
    assert_string_equal(got, sha);
    assert_int_equal(size, len);
    assert_true(objects_has(f->objs, sha, len));
    assert_int_equal(objects_verify(f->objs, sha), 0);
    /* Again: same name, still fine, nothing left behind. */
    assert_int_equal(objects_import_file(f->objs, src, got, NULL), 0);
    assert_string_equal(got, sha);
    assert_int_equal(count_tmp(f), 0);

    char missing[128];
    snprintf(missing, sizeof missing, "%s/nope", f->dir);
    assert_int_equal(objects_import_file(f->objs, missing, got, NULL), OBJECTS_ERR_NOT_FOUND);
    assert_int_equal(objects_import_file(f->objs, f->dir, got, NULL), OBJECTS_ERR_INVALID);
    free(data);
}

static void test_gc(void **state)
{
    struct fixture *f = *state;
    enum { N = 8 };
    char sha[N][OBJECTS_HEX_SIZE];
    for (int i = 0; i < N; i++) {
        unsigned char data[64];
        randombytes_buf(data, sizeof data);
        sha_hex(data, sizeof data, sha[i]);
        assert_int_equal(write_object(f->objs, sha[i], sizeof data, data, sizeof data, 64), 0);
    }
    /* A stray file in a fan-out folder goes; junk at the top is left alone. */
    char stray[4200], top[4200];
    snprintf(stray, sizeof stray, "%s/objects/%.2s/leftover.tmp", f->dir, sha[0]);
    write_file(stray, "x", 1);
    snprintf(top, sizeof top, "%s/objects/README", f->dir);
    write_file(top, "x", 1);

    const char *bad_keep[] = {sha[0], "not-a-hash"};
    size_t removed = 99;
    assert_int_equal(objects_gc(f->objs, bad_keep, 2, &removed), OBJECTS_ERR_INVALID);
    assert_int_equal(removed, 0);
    for (int i = 0; i < N; i++)
        assert_true(objects_has(f->objs, sha[i], 64));

    const char *keep[] = {sha[1], sha[4], sha[6]};
    assert_int_equal(objects_gc(f->objs, keep, 3, &removed), 0);
    assert_int_equal(removed, N - 3 + 1);
    for (int i = 0; i < N; i++)
        assert_int_equal(objects_has(f->objs, sha[i], 64), i == 1 || i == 4 || i == 6);
    assert_int_equal(access(stray, F_OK), -1);
    assert_int_equal(access(top, F_OK), 0);

    /* Empty keep set: everything goes. */
    assert_int_equal(objects_gc(f->objs, NULL, 0, &removed), 0);
    assert_int_equal(removed, 3);
}

/* objects_open keeps young resumable partials and removes everything else. */
static void test_open_cleans_tmp(void **state)
{
    struct fixture *f = *state;
    char sha_young[OBJECTS_HEX_SIZE], sha_old[OBJECTS_HEX_SIZE], p[4200];
    sha_hex("young", 5, sha_young);
    sha_hex("old", 3, sha_old);
    static const char *const junk[] = {"import-AbC123", "random.tmp", "ABCDEF.part"};
    for (size_t i = 0; i < sizeof junk / sizeof junk[0]; i++) {
        snprintf(p, sizeof p, "%s/tmp/%s", f->dir, junk[i]);
        write_file(p, "x", 1);
    }
    snprintf(p, sizeof p, "%s/tmp/%s.part", f->dir, sha_young);
    write_file(p, "yo", 2);
    snprintf(p, sizeof p, "%s/tmp/%s.part", f->dir, sha_old);
    write_file(p, "ol", 2);
    struct timeval old[2] = {{time(NULL) - OBJECTS_PARTIAL_MAX_AGE_SEC - 60, 0},
                             {time(NULL) - OBJECTS_PARTIAL_MAX_AGE_SEC - 60, 0}};
    assert_int_equal(utimes(p, old), 0);
    assert_int_equal(count_tmp(f), 5);

    objects_close(f->objs);
    f->objs = objects_open(f->dir);
    assert_non_null(f->objs);
    assert_int_equal(count_tmp(f), 1);
    snprintf(p, sizeof p, "%s/tmp/%s.part", f->dir, sha_young);
    assert_int_equal(access(p, F_OK), 0);

    /* A second open must not clean away a live writer's file, however old. */
    unsigned char live[3000];
    randombytes_buf(live, sizeof live);
    char sha_live[OBJECTS_HEX_SIZE];
    sha_hex(live, sizeof live, sha_live);
    objects_writer *w = objects_writer_begin(f->objs, sha_live, sizeof live);
    assert_non_null(w);
    assert_int_equal(objects_writer_write(w, live, 1000), 0);
    snprintf(p, sizeof p, "%s/tmp/%s.part", f->dir, sha_live);
    assert_int_equal(utimes(p, old), 0);
    objects *second = objects_open(f->dir);
    assert_non_null(second);
    assert_int_equal(access(p, F_OK), 0);
    objects_close(second);
    assert_int_equal(objects_writer_write(w, live + 1000, sizeof live - 1000), 0);
    assert_int_equal(objects_writer_commit(w), 0);
    assert_int_equal(objects_verify(f->objs, sha_live), 0);

    /* A fresh folder gets both subfolders. */
    char fresh[128];
    snprintf(fresh, sizeof fresh, "%s/fresh", f->dir);
    objects *o = objects_open(fresh);
    assert_non_null(o);
    struct stat st;
    snprintf(p, sizeof p, "%s/objects", fresh);
    assert_int_equal(stat(p, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(st.st_mode & 0777, 0755);
    snprintf(p, sizeof p, "%s/tmp", fresh);
    assert_int_equal(stat(p, &st), 0);
    objects_close(o);
    objects_close(NULL);
    assert_null(objects_open(NULL));
    assert_null(objects_open(""));
}

/* No bad name ever touches the file system. */
static void test_bad_names(void **state)
{
    struct fixture *f = *state;
    static const char *const names[] = {
        "",
        "abc",
        "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",  /* uppercase */
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85",   /* 63 */
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b8555", /* 65 */
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85g",
        "../../../../../../../../../../../../../../../../../../etc/passwd",
        "e3b0c44298fc1c149afbf4c8996fb924/7ae41e4649b934ca495991b7852b855",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85 ",
        NULL,
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *n = names[i];
        char buf[4096];
        uint64_t off;
        if (objects_valid_hex(n))
            fail_msg("accepted %s", n);
        assert_null(objects_writer_begin(f->objs, n, 0));
        assert_null(objects_writer_resume(f->objs, n, 0, &off));
        assert_false(objects_has(f->objs, n, 0));
        assert_int_equal(objects_verify(f->objs, n), OBJECTS_ERR_INVALID);
        assert_int_equal(objects_path(f->objs, n, buf, sizeof buf), OBJECTS_ERR_INVALID);
        const char *keep[] = {n};
        assert_int_equal(objects_gc(f->objs, keep, 1, NULL), OBJECTS_ERR_INVALID);
    }
    assert_int_equal(count_tmp(f), 0);
    char sha[OBJECTS_HEX_SIZE], small[20];
    sha_hex("", 0, sha);
    assert_true(objects_valid_hex(sha));
    assert_int_equal(objects_path(f->objs, sha, small, sizeof small), OBJECTS_ERR_INVALID);
    assert_string_equal(small, "");
}

int main(void)
{
    umask(022);
    log_set_level(LOG_LEVEL_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_good_write, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_writes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_resume, setup, teardown),
        cmocka_unit_test_setup_teardown(test_resume_edge_cases, setup, teardown),
        cmocka_unit_test_setup_teardown(test_one_writer_per_hash, setup, teardown),
        cmocka_unit_test_setup_teardown(test_never_overwrite, setup, teardown),
        cmocka_unit_test_setup_teardown(test_verify_corrupt, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gc, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_cleans_tmp, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_names, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
