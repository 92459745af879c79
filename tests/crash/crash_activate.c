/* crash_activate: kill -9 at random instants while objects are written and
 * versions activated, then check that what survived is the old pack or the
 * new one, complete. One program, four modes:
 *   --loop  --data DIR          import K random objects, activate version
 *                                N+1 listing them, gc, forever; prints
 *                                "activated N" once each activation returned
 *   --check --data DIR [--min-version A --max-version B]
 *                                verifies the folder independently of the
 *                                objects module (its own hashing and walk)
 *   --drive N [--data DIR] [--seed S] [--max-delay-ms M]
 *                                N times: start --loop, SIGKILL it after
 *                                1..M ms (default 50), run --check; prints
 *                                "crash: N kills, N checks passed, versions A..B"
 *   --bench [--data DIR]         activation cost for a 100-object manifest
 * It must never trust the code under test to check itself. */
#define _GNU_SOURCE /* nftw */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "app/core/clock.h"
#include "app/core/log.h"
#include "app/core/objects.h"
#include "app/core/store.h"

#define CHANNEL     "crash"
#define MAX_OBJECTS 128

struct object_ref {
    char sha[OBJECTS_HEX_SIZE];
    uint64_t size;
};

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("crash: FAIL: ", stdout);
    vprintf(fmt, ap);
    fputc('\n', stdout);
    va_end(ap);
    exit(1);
}

static void sha_hex(const void *buf, size_t len, char out[OBJECTS_HEX_SIZE])
{
    unsigned char d[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(d, buf, len);
    sodium_bin2hex(out, OBJECTS_HEX_SIZE, d, sizeof d);
}

/* Reads the object list of a manifest this program wrote. */
static size_t parse_objects(const char *json, struct object_ref *out, size_t max)
{
    size_t n = 0;
    const char *p = json;
    while (n < max && (p = strstr(p, "{\"sha256\":\"")) != NULL) {
        p += strlen("{\"sha256\":\"");
        memcpy(out[n].sha, p, OBJECTS_HEX_LEN);
        out[n].sha[OBJECTS_HEX_LEN] = '\0';
        const char *s = strstr(p, "\"size\":");
        if (!s)
            break;
        out[n].size = strtoull(s + strlen("\"size\":"), NULL, 10);
        n++;
    }
    return n;
}

/* ---- --loop ---- */

/* Writes one object the way sync would: resume whatever partial a killed
 * run left (mode 0), start afresh (1), or break off and resume in-process (2). */
static int write_object(objects *objs, const unsigned char *data, size_t len, const char *sha)
{
    uint32_t mode = randombytes_uniform(3);
    uint64_t off = 0;
    objects_writer *w;
    if (mode == 1) {
        w = objects_writer_begin(objs, sha, len);
    } else {
        w = objects_writer_resume(objs, sha, len, &off);
        if (w && mode == 2 && off < len / 2) {
            if (objects_writer_write(w, data + off, len / 2 - off) != 0)
                return -1;
            objects_writer_pause(w);
            w = objects_writer_resume(objs, sha, len, &off);
            if (w && off != len / 2)
                die("loop: resumed %.12s at %" PRIu64 ", paused at %zu", sha, off, len / 2);
        }
    }
    if (!w || off > len)
        return -1;
    for (size_t step = 4096; off < len; off += step) {
        size_t n = len - off < step ? len - off : step;
        if (objects_writer_write(w, data + off, n) != 0) {
            objects_writer_abort(w);
            return -1;
        }
    }
    return objects_writer_commit(w);
}

/* Object i of version v is the same in every run, so a run killed halfway
 * leaves work (objects, partials) that the next run finds and reuses, as
 * sync does after a restart; progress accumulates across kills. */
static size_t object_content(int64_t version, size_t i, unsigned char *buf, size_t cap)
{
    char label[64];
    unsigned char seed[crypto_hash_sha256_BYTES];
    int n = snprintf(label, sizeof label, "crash/%" PRId64 "/%zu", version, i);
    crypto_hash_sha256(seed, (const unsigned char *)label, (unsigned long long)n);
    size_t len = 1 + ((size_t)seed[0] << 8 | seed[1]) % cap;
    randombytes_buf_deterministic(buf, len, seed);
    return len;
}

struct keep_set {
    char (*sha)[OBJECTS_HEX_SIZE];
    const char **ptrs;
    size_t n, cap;
};

static int add_keep(void *ud, const store_manifest *m)
{
    struct keep_set *k = ud;
    struct object_ref refs[MAX_OBJECTS];
    size_t n = parse_objects(m->manifest_json, refs, MAX_OBJECTS);
    for (size_t i = 0; i < n && k->n < k->cap; i++) {
        memcpy(k->sha[k->n], refs[i].sha, OBJECTS_HEX_SIZE);
        k->ptrs[k->n] = k->sha[k->n];
        k->n++;
    }
    return 0;
}

static int gc_unused(objects *objs, store *st)
{
    static char sha[2 * MAX_OBJECTS][OBJECTS_HEX_SIZE];
    static const char *ptrs[2 * MAX_OBJECTS];
    struct keep_set k = {sha, ptrs, 0, 2 * MAX_OBJECTS};
    if (store_manifests_in_use(st, add_keep, &k) != 0)
        return -1;
    return objects_gc(objs, ptrs, k.n, NULL);
}

static int run_loop(const char *dir, size_t k)
{
    objects *objs = objects_open(dir);
    store *st = store_open(dir, NULL);
    if (!objs || !st)
        die("loop: cannot open %s", dir);
    store_manifest m;
    int64_t version = 0;
    struct object_ref prev[MAX_OBJECTS];
    size_t n_prev = 0;
    if (store_get_active(st, CHANNEL, &m, NULL) == 0) {
        version = m.version;
        n_prev = parse_objects(m.manifest_json, prev, MAX_OBJECTS);
    }
    store_manifest_clear(&m);
    static unsigned char data[32768];
    static char json[MAX_OBJECTS * 110 + 128];
    for (;;) {
        struct object_ref refs[MAX_OBJECTS];
        for (size_t i = 0; i < k; i++) {
            size_t len = object_content(version + 1, i, data, sizeof data);
            /* About a quarter are carried over from the active version. */
            if (n_prev && data[0] < 64) {
                refs[i] = prev[data[1] % n_prev];
                if (objects_has(objs, refs[i].sha, refs[i].size))
                    continue;
                die("loop: object %.12s of the active version is missing", refs[i].sha);
            }
            sha_hex(data, len, refs[i].sha);
            refs[i].size = len;
            if (objects_has(objs, refs[i].sha, len))
                continue; /* written by a run that was killed before activating */
            if (write_object(objs, data, len, refs[i].sha) != 0)
                die("loop: writing object %zu failed", i);
        }
        int n = snprintf(json, sizeof json,
                         "{\"channel\":\"" CHANNEL "\",\"version\":%" PRId64 ",\"objects\":[",
                         version + 1);
        for (size_t i = 0; i < k; i++)
            n += snprintf(json + n, sizeof json - (size_t)n,
                          "%s{\"sha256\":\"%s\",\"size\":%" PRIu64 "}", i ? "," : "", refs[i].sha,
                          refs[i].size);
        n += snprintf(json + n, sizeof json - (size_t)n, "]}");
        int r = store_activate(st, CHANNEL, version + 1, json, (size_t)n, "untrusted comment: x");
        if (r != 0)
            die("loop: activating %" PRId64 ": %s", version + 1, store_strerror(r));
        version++;
        /* Unbuffered: the driver must see every acknowledged activation. */
        dprintf(STDOUT_FILENO, "activated %" PRId64 "\n", version);
        if (gc_unused(objs, st) != 0)
            die("loop: gc failed");
        if (store_log_play(st, CHANNEL, version, "item", version, 1) != 0)
            die("loop: proof of play failed");
        memcpy(prev, refs, k * sizeof refs[0]);
        n_prev = k;
    }
}

/* ---- --check ---- */

static size_t g_files;

/* Every file under objects/ is objects/ab/<sha> and hashes to its name. */
static int check_file(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    const char *name = path + ftw->base;
    if (ftw->level == 0)
        return 0;
    if (ftw->level == 1) {
        if (flag != FTW_D || strlen(name) != 2 || !strchr("0123456789abcdef", name[0]) ||
            !strchr("0123456789abcdef", name[1]))
            die("check: stray entry %s", path);
        return 0;
    }
    if (ftw->level != 2 || flag != FTW_F || !S_ISREG(st->st_mode))
        die("check: unexpected %s", path);
    const char *fan = path + ftw->base - 3;
    if (!objects_valid_hex(name) || fan[0] != name[0] || fan[1] != name[1])
        die("check: misnamed object %s", path);
    FILE *fp = fopen(path, "rb");
    if (!fp)
        die("check: cannot read %s", path);
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    unsigned char buf[16384];
    size_t n, total = 0;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0) {
        crypto_hash_sha256_update(&h, buf, n);
        total += n;
    }
    fclose(fp);
    unsigned char d[crypto_hash_sha256_BYTES];
    char got[OBJECTS_HEX_SIZE];
    crypto_hash_sha256_final(&h, d);
    sodium_bin2hex(got, sizeof got, d, sizeof d);
    if (strcmp(got, name) != 0)
        die("check: %s holds content hashing to %s (%zu bytes): partial or corrupt", path, got,
            total);
    g_files++;
    return 0;
}

static void check_complete(const char *dir, const char *what, const store_manifest *m)
{
    struct object_ref refs[MAX_OBJECTS];
    size_t n = parse_objects(m->manifest_json, refs, MAX_OBJECTS);
    if (n == 0)
        die("check: %s manifest %" PRId64 " lists no objects", what, m->version);
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        struct stat st;
        if (snprintf(path, sizeof path, "%s/objects/%.2s/%s", dir, refs[i].sha, refs[i].sha) >=
            (int)sizeof path)
            die("check: path too long");
        /* The walk already proved that every file's content matches its name. */
        if (stat(path, &st) != 0 || (uint64_t)st.st_size != refs[i].size)
            die("check: %s version %" PRId64 " is incomplete: object %.12s %s", what, m->version,
                refs[i].sha, errno == ENOENT ? "missing" : "has the wrong size");
    }
}

static int run_check(const char *dir, int64_t min_version, int64_t max_version)
{
    char objdir[4096];
    snprintf(objdir, sizeof objdir, "%s/objects", dir);
    g_files = 0;
    if (access(objdir, F_OK) == 0 && nftw(objdir, check_file, 16, FTW_PHYS) != 0)
        die("check: cannot walk %s", objdir);

    store *st = store_open(dir, NULL); /* what a rebooted kiosk does: WAL recovery */
    if (!st)
        die("check: the store does not open");
    store_manifest active, prev;
    int64_t highest = 0;
    int ra = store_get_active(st, CHANNEL, &active, NULL);
    int rh = store_highest_version(st, CHANNEL, &highest);
    int rp = store_get_previous(st, CHANNEL, &prev);
    int64_t version = ra == 0 ? active.version : 0;
    if (ra != 0 && ra != STORE_ERR_NOT_FOUND)
        die("check: reading the active version: %s", store_strerror(ra));
    if (ra == 0) {
        check_complete(dir, "active", &active);
        if (rh != 0 || highest < version)
            die("check: highest trusted %" PRId64 " below active %" PRId64, highest, version);
        if (version > 1 && (rp != 0 || prev.version != version - 1))
            die("check: previous of %" PRId64 " is not %" PRId64, version, version - 1);
        if (rp == 0)
            check_complete(dir, "previous", &prev);
    } else if (rh != STORE_ERR_NOT_FOUND) {
        die("check: a trusted version without an active one");
    }
    if (version < min_version || version > max_version)
        die("check: active version %" PRId64 " outside the acknowledged %" PRId64 "..%" PRId64,
            version, min_version, max_version);
    store_manifest_clear(&active);
    store_manifest_clear(&prev);
    store_close(st);

    char dbpath[4096];
    snprintf(dbpath, sizeof dbpath, "%s/" STORE_FILE_NAME, dir);
    sqlite3 *db;
    sqlite3_stmt *stmt;
    if (sqlite3_open(dbpath, &db) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, NULL) != SQLITE_OK ||
        sqlite3_step(stmt) != SQLITE_ROW ||
        strcmp((const char *)sqlite3_column_text(stmt, 0), "ok") != 0)
        die("check: database integrity check failed");
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    printf("ok version=%" PRId64 " objects=%zu\n", version, g_files);
    return 0;
}

/* ---- --drive ---- */

static int64_t last_acknowledged(const char *progress)
{
    FILE *fp = fopen(progress, "r");
    int64_t last = 0, v;
    char line[64];
    while (fp && fgets(line, sizeof line, fp))
        if (sscanf(line, "activated %" SCNd64, &v) == 1)
            last = v;
    if (fp)
        fclose(fp);
    return last;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(path);
}

/* Runs "self --check" and reads the version it reports. */
static int spawn_check(const char *self, const char *dir, int64_t lo, int64_t hi, int64_t *version)
{
    char a[32], b[32], out[512] = "";
    snprintf(a, sizeof a, "%" PRId64, lo);
    snprintf(b, sizeof b, "%" PRId64, hi);
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        execl(self, self, "--check", "--data", dir, "--min-version", a, "--max-version", b,
              (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    ssize_t n, len = 0;
    while ((n = read(fds[0], out + len, sizeof out - 1 - (size_t)len)) > 0)
        len += n;
    out[len] = '\0';
    close(fds[0]);
    int status;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        printf("%s", out);
        return -1;
    }
    return sscanf(out, "ok version=%" SCNd64, version) == 1 ? 0 : -1;
}

static int run_drive(const char *self, const char *dir_arg, int iterations, unsigned seed,
                     int max_delay)
{
    char dir[4096], progress[4200];
    if (dir_arg) {
        snprintf(dir, sizeof dir, "%s", dir_arg);
    } else {
        const char *tmp = getenv("TMPDIR");
        snprintf(dir, sizeof dir, "%s/hiroba-crash-XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(dir))
            die("drive: cannot create a data folder");
    }
    snprintf(progress, sizeof progress, "%s/progress.log", dir);
    srand(seed);
    printf("crash: seed %u, data %s\n", seed, dir);
    fflush(stdout);
    int passed = 0;
    int64_t first = -1, version = 0, acknowledged = 0;
    int64_t t0 = clock_monotonic_ms();
    for (int i = 0; i < iterations; i++) {
        pid_t pid = fork();
        if (pid == 0) {
            int fd = open(progress, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
            if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0)
                _exit(126);
            execl(self, self, "--loop", "--data", dir, (char *)NULL);
            _exit(127);
        }
        sleep_ms(1 + rand() % max_delay);
        kill(pid, SIGKILL);
        int status;
        waitpid(pid, &status, 0);
        if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL)
            die("drive: the loop ended by itself (status %d) at kill %d", status, i + 1);
        /* What a loop acknowledged (printed after the commit returned) and
         * what an earlier check saw are durable; a run can add at most one
         * activation it had no time to announce. */
        acknowledged = last_acknowledged(progress);
        int64_t floor = acknowledged > version ? acknowledged : version;
        if (spawn_check(self, dir, floor, floor + 1, &version) != 0)
            die("drive: check failed after kill %d (data kept in %s)", i + 1, dir);
        passed++;
        if (first < 0)
            first = version;
    }
    printf("crash: %d kills, %d checks passed, versions %" PRId64 "..%" PRId64 " in %.1f s\n",
           iterations, passed, first, version, (double)(clock_monotonic_ms() - t0) / 1000.0);
    if (version < 2)
        die("drive: fewer than two versions activated: the kills proved nothing");
    if (!dir_arg)
        nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    return 0;
}

/* ---- --bench ---- */

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void report(const char *what, int64_t *us, int n)
{
    qsort(us, (size_t)n, sizeof *us, cmp_i64);
    printf("bench: %-44s median %7.2f ms  p90 %7.2f ms  max %7.2f ms  (n=%d)\n", what,
           (double)us[n / 2] / 1000.0, (double)us[n * 9 / 10] / 1000.0, (double)us[n - 1] / 1000.0,
           n);
}

/* The same manifest-sized transaction on a raw connection, to show what
 * synchronous=FULL costs over NORMAL on this disk. */
static void bench_raw(const char *dir, const char *json, size_t len, const char *sync, int64_t *us,
                      int n)
{
    char path[4200], sql[64];
    snprintf(path, sizeof path, "%s/raw-%s.db", dir, sync);
    sqlite3 *db;
    if (sqlite3_open(path, &db) != SQLITE_OK)
        die("bench: raw open");
    snprintf(sql, sizeof sql, "PRAGMA synchronous=%s", sync);
    sqlite3_exec(db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
    sqlite3_exec(db, sql, NULL, NULL, NULL);
    sqlite3_exec(db, "CREATE TABLE m (v INTEGER PRIMARY KEY, j TEXT)", NULL, NULL, NULL);
    for (int i = 0; i < n; i++) {
        sqlite3_stmt *stmt;
        int64_t t = now_us();
        sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
        sqlite3_prepare_v2(db, "INSERT INTO m VALUES (?1, ?2)", -1, &stmt, NULL);
        sqlite3_bind_int(stmt, 1, i + 1);
        sqlite3_bind_text(stmt, 2, json, (int)len, SQLITE_STATIC);
        sqlite3_step(stmt);
        sqlite3_finalize(stmt);
        sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
        us[i] = now_us() - t;
    }
    sqlite3_close(db);
}

static int run_bench(const char *dir_arg)
{
    enum { N_OBJ = 100, OBJ_BYTES = 16384, RUNS = 40 };
    char dir[4096];
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/hiroba-bench-XXXXXX",
             dir_arg       ? dir_arg
             : tmp && *tmp ? tmp
                           : "/tmp");
    if (!mkdtemp(dir))
        die("bench: cannot create a data folder");
    objects *objs = objects_open(dir);
    store *st = store_open(dir, NULL);
    if (!objs || !st)
        die("bench: open");
    static unsigned char data[OBJ_BYTES];
    static struct object_ref refs[N_OBJ];
    static int64_t us[RUNS > N_OBJ ? RUNS : N_OBJ];
    for (int i = 0; i < N_OBJ; i++) {
        randombytes_buf(data, sizeof data);
        sha_hex(data, sizeof data, refs[i].sha);
        refs[i].size = sizeof data;
        int64_t t = now_us();
        if (write_object(objs, data, sizeof data, refs[i].sha) != 0)
            die("bench: write");
        us[i] = now_us() - t;
    }
    report("object write+fsync+rename+dir fsync (16 KiB)", us, N_OBJ);

    static char json[N_OBJ * 110 + 128];
    int n = snprintf(json, sizeof json, "{\"objects\":[");
    for (int i = 0; i < N_OBJ; i++)
        n += snprintf(json + n, sizeof json - (size_t)n,
                      "%s{\"sha256\":\"%s\",\"size\":%" PRIu64 "}", i ? "," : "", refs[i].sha,
                      refs[i].size);
    n += snprintf(json + n, sizeof json - (size_t)n, "]}");
    for (int i = 0; i < RUNS; i++) {
        int64_t t = now_us();
        if (store_activate(st, CHANNEL, i + 1, json, (size_t)n, "sig") != 0)
            die("bench: activate");
        us[i] = now_us() - t;
    }
    char what[80];
    snprintf(what, sizeof what, "store_activate, %d objects (%d B JSON), FULL", N_OBJ, n);
    report(what, us, RUNS);
    for (int i = 0; i < RUNS; i++) {
        int64_t t = now_us();
        if (store_log_play(st, CHANNEL, RUNS, "item", i, 1000) != 0)
            die("bench: play");
        us[i] = now_us() - t;
    }
    report("store_log_play (NORMAL, no fsync)", us, RUNS);
    bench_raw(dir, json, (size_t)n, "FULL", us, RUNS);
    report("raw manifest-sized txn, synchronous=FULL", us, RUNS);
    bench_raw(dir, json, (size_t)n, "NORMAL", us, RUNS);
    report("raw manifest-sized txn, synchronous=NORMAL", us, RUNS);
    store_close(st);
    objects_close(objs);
    nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    return 0;
}

int main(int argc, char **argv)
{
    const char *dir = NULL, *mode = NULL;
    int iterations = 0, max_delay = 50;
    int64_t lo = 0, hi = INT64_MAX;
    unsigned seed = (unsigned)time(NULL) ^ (unsigned)getpid();
    size_t k = 4;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--loop") || !strcmp(a, "--check") || !strcmp(a, "--bench")) {
            mode = a;
        } else if (!strcmp(a, "--drive") && v) {
            mode = a;
            iterations = atoi(v);
            i++;
        } else if (!strcmp(a, "--data") && v) {
            dir = v;
            i++;
        } else if (!strcmp(a, "--min-version") && v) {
            lo = strtoll(v, NULL, 10);
            i++;
        } else if (!strcmp(a, "--max-version") && v) {
            hi = strtoll(v, NULL, 10);
            i++;
        } else if (!strcmp(a, "--seed") && v) {
            seed = (unsigned)strtoul(v, NULL, 10);
            i++;
        } else if (!strcmp(a, "--max-delay-ms") && v) {
            max_delay = atoi(v) > 0 ? atoi(v) : 50;
            i++;
        } else if (!strcmp(a, "--objects") && v) {
            k = (size_t)atoi(v);
            i++;
        } else {
            fprintf(stderr, "usage: %s --loop|--check|--drive N|--bench [--data DIR] ...\n",
                    argv[0]);
            return 2;
        }
    }
    if (!mode || sodium_init() < 0)
        return 2;
    if (k < 1 || k > MAX_OBJECTS)
        k = 4;
    log_set_level(LOG_LEVEL_WARN);
    if (!strcmp(mode, "--drive"))
        return run_drive("/proc/self/exe", dir, iterations, seed, max_delay);
    if (!strcmp(mode, "--bench"))
        return run_bench(dir);
    if (!dir)
        die("--data DIR is required");
    if (!strcmp(mode, "--loop"))
        return run_loop(dir, k);
    return run_check(dir, lo, hi);
}
