/* publish: what keygen, build, sign and verify share: bounded file reads, atomic
 * replacement of published files, the channel folder and its lock, passwords and times.
 * A published file is only ever replaced whole (temp, fsync, rename): a kiosk or nginx
 * reading the folder never sees half a manifest. Never prints: callers report. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "app/core/clock.h"
#include "app/core/trust.h"
#include "app/core/tz.h"
#include "app/pack/pack.h"

int pack_read_file(const char *path, size_t max, char **out, size_t *len, char *err, size_t errlen)
{
    char *buf = NULL;
    int saved_errno;
    *out = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        snprintf(err, errlen, "cannot read it: %s", strerror(errno));
        goto fail;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "not a regular file");
        errno = EINVAL;
        goto fail;
    }
    if ((uint64_t)st.st_size > max) {
        snprintf(err, errlen, "%" PRIu64 " bytes, more than the %zu allowed", (uint64_t)st.st_size,
                 max);
        errno = EFBIG;
        goto fail;
    }
    buf = malloc(max + 1);
    if (!buf) {
        snprintf(err, errlen, "out of memory");
        errno = ENOMEM;
        goto fail;
    }
    size_t got = 0;
    for (;;) { /* the file may grow between fstat and read: read to max + 1 */
        ssize_t n = read(fd, buf + got, max + 1 - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            snprintf(err, errlen, "read failed: %s", strerror(errno));
            goto fail;
        }
        if (n == 0)
            break;
        got += (size_t)n;
        if (got > max) {
            snprintf(err, errlen, "more than the %zu bytes allowed", max);
            errno = EFBIG;
            goto fail;
        }
    }
    close(fd);
    buf[got] = '\0';
    *out = buf;
    *len = got;
    return 0;

fail:
    saved_errno = errno;
    free(buf);
    if (fd >= 0)
        close(fd);
    errno = saved_errno;
    return -1;
}

static int fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

/* The folder holding path, into buf. */
static void parent_of(const char *path, char *buf, size_t size)
{
    char tmp[PACK_PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s", path);
    snprintf(buf, size, "%s", dirname(tmp));
}

static int write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int pack_write_atomic(const char *path, const void *data, size_t len, mode_t mode, char *err,
                      size_t errlen)
{
    char tmp[PACK_PATH_MAX], dir[PACK_PATH_MAX];
    if (snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", path) >= (int)sizeof tmp) {
        snprintf(err, errlen, "%s: path too long", path);
        return -1;
    }
    int fd = mkstemp(tmp);
    if (fd < 0) {
        snprintf(err, errlen, "cannot create a file next to %s: %s", path, strerror(errno));
        return -1;
    }
    (void)fcntl(fd, F_SETFD, FD_CLOEXEC);
    /* Web servers derive ETag and Last-Modified from mtime (nginx: mtime and
     * size, to the second): a file replaced within the same second by one of
     * the same size would look unchanged and kiosks would get a 304 forever.
     * So a replacement's mtime is always at least a second after the old one. */
    struct stat old;
    struct timespec times[2] = {{0, UTIME_OMIT}, {0, UTIME_NOW}};
    if (stat(path, &old) == 0) {
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        if (now.tv_sec <= old.st_mtim.tv_sec)
            times[1] = (struct timespec){old.st_mtim.tv_sec + 1, 0};
    }
    if (fchmod(fd, mode) != 0 || write_all(fd, data, len) != 0 || futimens(fd, times) != 0 ||
        fsync(fd) != 0) {
        snprintf(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
        goto fail;
    }
    if (close(fd) != 0) {
        fd = -1;
        snprintf(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
        goto fail;
    }
    fd = -1;
    if (rename(tmp, path) != 0) {
        snprintf(err, errlen, "cannot rename %s to %s: %s", tmp, path, strerror(errno));
        goto fail;
    }
    parent_of(path, dir, sizeof dir);
    if (fsync_dir(dir) != 0) {
        snprintf(err, errlen, "cannot fsync %s: %s", dir, strerror(errno));
        return -1; /* the file is in place; only its durability is in doubt */
    }
    return 0;

fail:
    if (fd >= 0)
        close(fd);
    unlink(tmp);
    return -1;
}

int pack_remove_file(const char *path, char *err, size_t errlen)
{
    if (unlink(path) != 0) {
        if (errno == ENOENT)
            return 0;
        snprintf(err, errlen, "cannot remove %s: %s", path, strerror(errno));
        return -1;
    }
    char dir[PACK_PATH_MAX];
    parent_of(path, dir, sizeof dir);
    if (fsync_dir(dir) != 0) {
        snprintf(err, errlen, "cannot fsync %s: %s", dir, strerror(errno));
        return -1;
    }
    return 1;
}

int pack_make_dirs(const char *path, char *err, size_t errlen)
{
    char buf[PACK_PATH_MAX];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
        snprintf(err, errlen, "%s: path too long", path);
        return -1;
    }
    size_t n = strlen(buf);
    while (n > 1 && buf[n - 1] == '/')
        buf[--n] = '\0';
    /* Each prefix ending before a '/', then the whole path. */
    for (size_t i = 1; i <= n; i++) {
        if (i < n && buf[i] != '/')
            continue;
        char saved = buf[i];
        buf[i] = '\0';
        if (mkdir(buf, 0755) == 0) {
            char parent[PACK_PATH_MAX];
            parent_of(buf, parent, sizeof parent);
            if (fsync_dir(parent) != 0) {
                snprintf(err, errlen, "cannot fsync %s: %s", parent, strerror(errno));
                return -1;
            }
        } else if (errno != EEXIST) {
            snprintf(err, errlen, "cannot create %s: %s", buf, strerror(errno));
            return -1;
        }
        buf[i] = saved;
    }
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "%s is not a folder", path);
        return -1;
    }
    return 0;
}

bool pack_channel_name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n < 1 || n > PACK_JSON_MAX_ID)
        return false;
    for (size_t i = 0; i < n; i++) {
        char ch = name[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
              (i > 0 && (ch == '_' || ch == '-'))))
            return false;
    }
    return true;
}

int pack_channel_path(const char *publish, const char *channel, const char *file, char *buf,
                      size_t size)
{
    int n = snprintf(buf, size, "%s/channels/%s%s%s", publish, channel, file ? "/" : "",
                     file ? file : "");
    return n < 0 || (size_t)n >= size ? -1 : 0;
}

int pack_channel_lock(const char *channel_dir, char *err, size_t errlen)
{
    int fd = open(channel_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "cannot open %s: %s", channel_dir, strerror(errno));
        return -1;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        close(fd);
        if (e == EWOULDBLOCK)
            snprintf(err, errlen, "another hiroba-pack is working on %s: try again when it is done",
                     channel_dir);
        else
            snprintf(err, errlen, "cannot lock %s: %s", channel_dir, strerror(e));
        return -1;
    }
    return fd;
}

/* ---- passwords ---- */

static char *password_copy(const char *s, size_t len, char *err, size_t errlen)
{
    if (len == 0) {
        snprintf(err, errlen, "empty password (give none for an unencrypted key)");
        return NULL;
    }
    if (len > TRUST_PASSWORD_MAX) {
        snprintf(err, errlen, "password longer than %d bytes", TRUST_PASSWORD_MAX);
        return NULL;
    }
    if (memchr(s, '\0', len)) {
        snprintf(err, errlen, "the password holds a NUL byte");
        return NULL;
    }
    char *pw = sodium_malloc(len + 1);
    if (!pw) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    memcpy(pw, s, len);
    pw[len] = '\0';
    return pw;
}

int pack_password_get(const char *file, char **out, char *err, size_t errlen)
{
    *out = NULL;
    if (sodium_init() < 0) {
        snprintf(err, errlen, "libsodium failed to initialise");
        return -1;
    }
    if (!file) {
        const char *env = getenv("HIROBA_KEY_PASSWORD");
        if (!env || !*env)
            return 0;
        *out = password_copy(env, strlen(env), err, errlen);
        return *out ? 0 : -1;
    }
    /* Room for the longest password, a CR LF, and one byte to notice more. */
    enum { CAP = TRUST_PASSWORD_MAX + 3 };
    char *buf = sodium_malloc(CAP);
    if (!buf) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    size_t len = 0;
    int fd = open(file, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s: %s", file, fd < 0 ? strerror(errno) : "not a regular file");
        goto fail;
    }
    for (;;) {
        ssize_t n = read(fd, buf + len, CAP - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            snprintf(err, errlen, "%s: %s", file, strerror(errno));
            goto fail;
        }
        if (n == 0)
            break;
        len += (size_t)n;
        if (len == CAP) {
            snprintf(err, errlen, "%s: password longer than %d bytes", file, TRUST_PASSWORD_MAX);
            goto fail;
        }
    }
    close(fd);
    fd = -1;
    /* Editors end the last line; that newline is not part of the password. */
    if (len > 0 && buf[len - 1] == '\n')
        len--;
    if (len > 0 && buf[len - 1] == '\r')
        len--;
    char why[160];
    *out = password_copy(buf, len, why, sizeof why);
    if (!*out) {
        snprintf(err, errlen, "%s: %s", file, why);
        goto fail;
    }
    sodium_free(buf);
    return 0;

fail:
    if (fd >= 0)
        close(fd);
    sodium_free(buf);
    return -1;
}

void pack_password_free(char *password)
{
    if (password)
        sodium_free(password); /* wipes */
}

/* ---- times and numbers ---- */

int pack_parse_time(const char *s, int64_t *out)
{
    clock_time t;
    if (!s || clock_parse_iso8601(s, &t) != 0)
        return -1;
    *out = t.sec;
    return 0;
}

void pack_format_time(int64_t t, const tz_zone *zone, char *buf, size_t size)
{
    int32_t off = tz_zone_offset(zone, t, NULL);
    if (off % 60 != 0) /* local mean time of a past century: say it in UTC */
        off = 0;
    struct tm tm;
    if (tz_zone_local(off ? zone : NULL, t, &tm) != 0) {
        snprintf(buf, size, "@%" PRId64, t);
        return;
    }
    char zbuf[16] = "Z";
    if (off)
        snprintf(zbuf, sizeof zbuf, "%c%02d:%02d", off < 0 ? '-' : '+', abs(off) / 3600,
                 abs(off) / 60 % 60);
    snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d%s", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, zbuf);
}

int pack_parse_i64(const char *s, int64_t lo, int64_t hi, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}
