/* build_media: hiroba-pack build's checks of the media files a pack names, and their
 * import into the published object store. Everything a kiosk would stumble on (a missing
 * file, a GIF named .png, a corrupt or huge picture, a "video" libvlc cannot open) is
 * found here, at build time, and reported at the place in pack.json that names the file.
 * Never publishes a file it has not checked; never trusts an extension alone. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <SDL_image.h>
#include <sodium.h>

#include "app/pack/pack.h"
#include "ui/video.h"

#define HASH_BUF_BYTES 65536

enum image_format {
    IMAGE_UNKNOWN,
    IMAGE_PNG,
    IMAGE_JPEG,
    IMAGE_GIF,
    IMAGE_WEBP,
    IMAGE_BMP,
    IMAGE_TIFF,
    IMAGE_HEIF, /* HEIC / AVIF: what phones save */
    IMAGE_SVG,
};

static const char *const format_names[] = {"unknown", "PNG",  "JPEG",      "GIF", "WebP",
                                           "BMP",     "TIFF", "HEIF/AVIF", "SVG"};

/* By content: the first bytes, as decoders decide. */
static enum image_format sniff(const unsigned char *b, size_t n)
{
    if (n >= 8 && memcmp(b, "\x89PNG\r\n\x1a\n", 8) == 0)
        return IMAGE_PNG;
    if (n >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF)
        return IMAGE_JPEG;
    if (n >= 6 && (memcmp(b, "GIF87a", 6) == 0 || memcmp(b, "GIF89a", 6) == 0))
        return IMAGE_GIF;
    if (n >= 12 && memcmp(b, "RIFF", 4) == 0 && memcmp(b + 8, "WEBP", 4) == 0)
        return IMAGE_WEBP;
    if (n >= 2 && memcmp(b, "BM", 2) == 0)
        return IMAGE_BMP;
    if (n >= 4 && (memcmp(b, "II*\0", 4) == 0 || memcmp(b, "MM\0*", 4) == 0))
        return IMAGE_TIFF;
    if (n >= 12 && memcmp(b + 4, "ftyp", 4) == 0 &&
        (memcmp(b + 8, "heic", 4) == 0 || memcmp(b + 8, "heix", 4) == 0 ||
         memcmp(b + 8, "mif1", 4) == 0 || memcmp(b + 8, "avif", 4) == 0))
        return IMAGE_HEIF;
    size_t k = 0;
    while (k < n && k < 64 && (b[k] == ' ' || b[k] == '\t' || b[k] == '\r' || b[k] == '\n'))
        k++;
    if (n - k >= 5 && (memcmp(b + k, "<?xml", 5) == 0 || memcmp(b + k, "<svg", 4) == 0))
        return IMAGE_SVG;
    return IMAGE_UNKNOWN;
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The size in IHDR, which must be the first chunk. */
static int png_size(const unsigned char *b, size_t n, uint32_t *w, uint32_t *h)
{
    if (n < 24 || be32(b + 8) != 13 || memcmp(b + 12, "IHDR", 4) != 0)
        return -1;
    *w = be32(b + 16);
    *h = be32(b + 20);
    return 0;
}

/* The size in the first start-of-frame marker (markers before it are skipped by their
 * length, so an EXIF thumbnail's frame is not mistaken for it). *end gets where the frame
 * header ends. */
static int jpeg_size(const unsigned char *b, size_t n, uint32_t *w, uint32_t *h, size_t *end)
{
    size_t i = 2;
    while (i + 2 <= n) {
        if (b[i] != 0xFF)
            return -1;
        unsigned char m = b[i + 1];
        if (m == 0xFF) { /* fill byte */
            i++;
            continue;
        }
        i += 2;
        if (m == 0x01 || m == 0xD8 || (m >= 0xD0 && m <= 0xD7))
            continue; /* no length */
        if (m == 0xD9 || m == 0xDA || i + 2 > n)
            return -1; /* end of image or scan data before any frame header */
        size_t seg = (size_t)b[i] << 8 | b[i + 1];
        bool sof = m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
        if (sof) {
            if (seg < 7 || i + 7 > n)
                return -1;
            *h = (uint32_t)b[i + 3] << 8 | b[i + 4];
            *w = (uint32_t)b[i + 5] << 8 | b[i + 6];
            *end = i + 7;
            return 0;
        }
        if (seg < 2)
            return -1;
        i += seg;
    }
    return -1;
}

/* Whether an end-of-image marker follows the frame header. libjpeg decodes a truncated
 * file without complaint (the missing part grey); a copy cut short has no end marker. */
static bool jpeg_has_end(const unsigned char *b, size_t n, size_t from)
{
    for (size_t i = from; i + 1 < n; i++)
        if (b[i] == 0xFF && b[i + 1] == 0xD9)
            return true;
    return false;
}

static const char *extension(const char *name)
{
    const char *base = strrchr(name, '/');
    const char *dot = strrchr(base ? base : name, '.');
    return dot ? dot : "";
}

/* The last line a decoder printed, without its "libpng error: " or "Error: " prefix. */
static void last_line(FILE *f, char *out, size_t size)
{
    char line[256];
    rewind(f);
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        const char *p = line;
        const char *colon = strstr(p, "error: ");
        if (colon && colon - p < 16)
            p = colon + strlen("error: ");
        if (*p) {
            size_t n = strlen(p) < size - 1 ? strlen(p) : size - 1;
            memcpy(out, p, n);
            out[n] = '\0';
        }
    }
}

/* Decodes with SDL2_image. libpng and libjpeg print their reasons on stderr, where they
 * would break the one-line-per-problem report: they are caught and become the reason. */
static SDL_Surface *decode_quietly(const unsigned char *b, size_t n, const char *type, char *why,
                                   size_t size)
{
    FILE *caught = tmpfile();
    int saved = -1;
    fflush(stderr);
    if (caught && (saved = dup(STDERR_FILENO)) >= 0)
        dup2(fileno(caught), STDERR_FILENO);
    SDL_RWops *rw = SDL_RWFromConstMem(b, (int)n);
    SDL_Surface *s = rw ? IMG_LoadTyped_RW(rw, 1, type) : NULL;
    fflush(stderr);
    if (saved >= 0) {
        dup2(saved, STDERR_FILENO);
        close(saved);
    }
    why[0] = '\0';
    if (caught) {
        if (!s)
            last_line(caught, why, size);
        fclose(caught);
    }
    if (!s && !why[0]) {
        const char *e = IMG_GetError();
        snprintf(why, size, "SDL2_image cannot decode it (%s)", e && *e ? e : "no reason given");
    }
    return s;
}

/* Checks an image already read into b[0..n): what it is by content, that its name says
 * the same, its size, and that SDL2_image decodes it. NULL or the problem in msg. */
static const char *check_image(const char *name, const unsigned char *b, size_t n, char *msg,
                               size_t size)
{
    enum image_format f = sniff(b, n);
    if (f != IMAGE_PNG && f != IMAGE_JPEG) {
        if (f == IMAGE_UNKNOWN)
            snprintf(msg, size, "\"%s\": unsupported image format (not PNG or JPEG)", name);
        else
            snprintf(msg, size, "\"%s\": unsupported image format (%s); use PNG or JPEG", name,
                     format_names[f]);
        return msg;
    }
    const char *ext = extension(name);
    bool named_png = strcasecmp(ext, ".png") == 0;
    if ((f == IMAGE_PNG) != named_png) {
        snprintf(msg, size, "\"%s\": a %s image named %s; rename it to %s", name, format_names[f],
                 ext, f == IMAGE_PNG ? ".png" : ".jpg");
        return msg;
    }
    uint32_t w = 0, h = 0;
    size_t header_end = 0;
    if ((f == IMAGE_PNG ? png_size(b, n, &w, &h) : jpeg_size(b, n, &w, &h, &header_end)) != 0 ||
        w == 0 || h == 0) {
        snprintf(msg, size, "\"%s\": damaged %s (no valid image header)", name, format_names[f]);
        return msg;
    }
    if (f == IMAGE_JPEG && !jpeg_has_end(b, n, header_end)) {
        snprintf(msg, size, "\"%s\": damaged JPEG (cut short: no end marker)", name);
        return msg;
    }
    /* Before decoding: a small file can claim a picture that fills all memory. */
    if (w > PACK_IMAGE_MAX_SIDE || h > PACK_IMAGE_MAX_SIDE) {
        snprintf(msg, size, "\"%s\": %" PRIu32 "x%" PRIu32 " pixels; images may be at most %dx%d",
                 name, w, h, PACK_IMAGE_MAX_SIDE, PACK_IMAGE_MAX_SIDE);
        return msg;
    }
    char why[160];
    SDL_Surface *s = decode_quietly(b, n, f == IMAGE_PNG ? "PNG" : "JPG", why, sizeof why);
    if (!s) {
        snprintf(msg, size, "\"%s\": damaged %s: %s", name, format_names[f], why);
        return msg;
    }
    bool same = (uint32_t)s->w == w && (uint32_t)s->h == h;
    SDL_FreeSurface(s);
    if (!same) {
        snprintf(msg, size, "\"%s\": damaged %s (its header and its data disagree on the size)",
                 name, format_names[f]);
        return msg;
    }
    return NULL;
}

/* The checks for one file. NULL when it is fine, else the problem in msg. */
static const char *check_media(const model_media *m, const char *path, char *msg, size_t size)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            snprintf(msg, size, "\"%s\": no such file in the pack folder", m->name);
        else
            snprintf(msg, size, "\"%s\": cannot read it: %s", m->name, strerror(errno));
        return msg;
    }
    if (S_ISDIR(st.st_mode)) {
        snprintf(msg, size, "\"%s\" is a folder, not a file", m->name);
        return msg;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(msg, size, "\"%s\" is not a regular file", m->name);
        return msg;
    }
    if (st.st_size == 0) {
        snprintf(msg, size, "\"%s\" is empty", m->name);
        return msg;
    }
    if ((uint64_t)st.st_size > PACK_JSON_MAX_OBJECT_SIZE) {
        snprintf(msg, size, "\"%s\": %" PRIu64 " bytes; a pack's files may be at most 16 GiB",
                 m->name, (uint64_t)st.st_size);
        return msg;
    }
    if (m->kind == MODEL_MEDIA_VIDEO) {
        int w, h;
        int64_t ms;
        char why[256];
        if (ui_video_probe(path, &w, &h, &ms, why, sizeof why) != 0) {
            snprintf(msg, size, "\"%s\": %.200s", m->name, why);
            return msg;
        }
        return NULL;
    }
    if ((uint64_t)st.st_size > PACK_IMAGE_MAX_BYTES) {
        snprintf(msg, size, "\"%s\": %" PRIu64 " bytes; images may be at most %u MiB", m->name,
                 (uint64_t)st.st_size, PACK_IMAGE_MAX_BYTES >> 20);
        return msg;
    }
    char *data = NULL, why[200];
    size_t n;
    if (pack_read_file(path, PACK_IMAGE_MAX_BYTES, &data, &n, why, sizeof why) != 0) {
        snprintf(msg, size, "\"%s\": %s", m->name, why);
        return msg;
    }
    const char *problem = check_image(m->name, (const unsigned char *)data, n, msg, size);
    free(data);
    return problem;
}

static int media_path(const char *src, const char *name, char *buf, size_t size)
{
    int n = snprintf(buf, size, "%s/%s", src, name);
    return n < 0 || (size_t)n >= size ? -1 : 0;
}

size_t pack_media_check(const model_pack *pack, const char *src, const char *text, size_t len,
                        pack_json_errors *errs)
{
    size_t problems = 0;
    bool images = false;
    for (size_t i = 0; i < pack->n_media; i++)
        images = images || pack->media[i].kind == MODEL_MEDIA_IMAGE;
    if (images)
        IMG_Init(IMG_INIT_PNG | IMG_INIT_JPG); /* a format it cannot load fails per file */
    for (size_t i = 0; i < pack->n_media; i++) {
        const model_media *m = &pack->media[i];
        char path[PACK_PATH_MAX], msg[sizeof errs->list[0].message];
        const char *problem = msg;
        if (media_path(src, m->name, path, sizeof path) != 0)
            snprintf(msg, sizeof msg, "\"%s\": path too long", m->name);
        else
            problem = check_media(m, path, msg, sizeof msg);
        if (problem) {
            pack_json_errors_add(errs, text, len, m->where, "%s", problem);
            problems++;
        }
    }
    if (images)
        IMG_Quit();
    return problems;
}

/* ---- import ---- */

static int hash_file(const char *path, char sha[OBJECTS_HEX_SIZE], uint64_t *size, char *err,
                     size_t errlen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    unsigned char *buf = malloc(HASH_BUF_BYTES);
    if (!buf) {
        close(fd);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    uint64_t total = 0;
    int rc = 0;
    for (;;) {
        ssize_t n = read(fd, buf, HASH_BUF_BYTES);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            snprintf(err, errlen, "%s: %s", path, strerror(errno));
            rc = -1;
            break;
        }
        if (n == 0)
            break;
        crypto_hash_sha256_update(&h, buf, (unsigned long long)n);
        total += (uint64_t)n;
    }
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&h, digest);
    sodium_bin2hex(sha, OBJECTS_HEX_SIZE, digest, sizeof digest);
    *size = total;
    free(buf);
    close(fd);
    return rc;
}

int pack_media_import(const model_pack *pack, const char *src, objects *objs, json_t *objects_out,
                      pack_import_stats *stats, char *err, size_t errlen)
{
    *stats = (pack_import_stats){0};
    for (size_t i = 0; i < pack->n_media; i++) {
        const model_media *m = &pack->media[i];
        char path[PACK_PATH_MAX], sha[OBJECTS_HEX_SIZE];
        uint64_t size;
        if (media_path(src, m->name, path, sizeof path) != 0) {
            snprintf(err, errlen, "%s: path too long", m->name);
            return -1;
        }
        /* Hash first: an object already published intact is not copied again. */
        if (hash_file(path, sha, &size, err, errlen) != 0)
            return -1;
        if (!(objects_has(objs, sha, size) && objects_verify(objs, sha) == 0)) {
            char got[OBJECTS_HEX_SIZE];
            uint64_t got_size;
            int rc = objects_import_file(objs, path, got, &got_size);
            if (rc != 0) {
                snprintf(err, errlen, "%s: cannot copy it into the objects: %s", path,
                         objects_strerror(rc));
                return -1;
            }
            if (strcmp(got, sha) != 0 || got_size != size) {
                snprintf(err, errlen, "%s changed while it was being published: build again", path);
                return -1;
            }
            stats->added++;
            stats->added_bytes += size;
        }
        stats->objects++;
        stats->bytes += size;
        json_t *o = json_pack("{s:s, s:I}", "sha256", sha, "size", (json_int_t)size);
        if (!o || json_object_set_new(objects_out, m->name, o) != 0) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
    }
    return 0;
}
