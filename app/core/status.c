/* status: the system's part of the staff view's report (see status.h). */
#include "app/core/status.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "app/core/service.h"

void status_kiosk_id(char *out, size_t cap, const char *configured)
{
    char host[256] = "";
    if (!configured || !*configured) {
        if (gethostname(host, sizeof host - 1) != 0)
            snprintf(host, sizeof host, "?");
        host[sizeof host - 1] = '\0';
        configured = host;
    }
    char clean[SERVICE_STATUS_MAX];
    service_status_clean(clean, sizeof clean, configured);
    snprintf(out, cap, "%s", clean);
}

static void collect_addrs(status_report *r)
{
    r->n_addrs = 0;
    struct ifaddrs *list = NULL;
    if (getifaddrs(&list) != 0)
        return;
    /* IPv4 first: what staff type into a browser or ssh; then global IPv6. */
    for (int pass = 0; pass < 2; pass++) {
        for (struct ifaddrs *i = list; i && r->n_addrs < STATUS_ADDRS_MAX; i = i->ifa_next) {
            if (!i->ifa_addr || !(i->ifa_flags & IFF_UP) || (i->ifa_flags & IFF_LOOPBACK))
                continue;
            int family = i->ifa_addr->sa_family;
            char text[INET6_ADDRSTRLEN] = "";
            if (pass == 0 && family == AF_INET) {
                const struct sockaddr_in *a = (const struct sockaddr_in *)(const void *)i->ifa_addr;
                inet_ntop(AF_INET, &a->sin_addr, text, sizeof text);
            } else if (pass == 1 && family == AF_INET6) {
                const struct sockaddr_in6 *a =
                    (const struct sockaddr_in6 *)(const void *)i->ifa_addr;
                if (IN6_IS_ADDR_LINKLOCAL(&a->sin6_addr))
                    continue;
                inet_ntop(AF_INET6, &a->sin6_addr, text, sizeof text);
            }
            if (!text[0])
                continue;
            snprintf(r->addrs[r->n_addrs++], sizeof r->addrs[0], "%.16s %s", i->ifa_name, text);
        }
    }
    freeifaddrs(list);
}

static void collect_disk(status_report *r, const char *data_dir)
{
    struct statvfs vfs;
    r->disk_free_bytes = r->disk_total_bytes = -1;
    if (!data_dir || statvfs(data_dir, &vfs) != 0)
        return;
    /* f_bavail: what an unprivileged user (the kiosk) may still write. */
    r->disk_free_bytes = (int64_t)vfs.f_bavail * (int64_t)vfs.f_frsize;
    r->disk_total_bytes = (int64_t)vfs.f_blocks * (int64_t)vfs.f_frsize;
}

/* Inserts p into the newest-first list, dropping the oldest when full. */
static void add_problem(status_report *r, const status_problem *p)
{
    size_t at = 0;
    while (at < r->n_problems && r->problems[at].at_s >= p->at_s)
        at++;
    if (at >= STATUS_ERRORS_MAX)
        return;
    size_t n = r->n_problems < STATUS_ERRORS_MAX ? r->n_problems : STATUS_ERRORS_MAX - 1;
    memmove(&r->problems[at + 1], &r->problems[at], (n - at) * sizeof r->problems[0]);
    r->problems[at] = *p;
    if (r->n_problems < STATUS_ERRORS_MAX)
        r->n_problems++;
}

static int on_rejection(void *user, const store_rejection *rej)
{
    status_report *r = user;
    status_problem p = {.at_s = rej->last_at_ms / 1000,
                        .count = rej->count > UINT32_MAX ? UINT32_MAX : (uint32_t)rej->count};
    snprintf(p.source, sizeof p.source, "%s", rej->source ? rej->source : "?");
    service_status_clean(p.text, sizeof p.text, rej->reason);
    /* A refusal is logged when it happens too: list it once, from the log,
     * while the log still remembers it (the store keeps it after restarts). */
    for (size_t i = 0; i < r->n_problems; i++)
        if (p.text[0] && strstr(r->problems[i].text, p.text))
            return 0;
    add_problem(r, &p);
    return 0;
}

void status_collect_system(status_report *r, const char *data_dir, store *st)
{
    collect_addrs(r);
    collect_disk(r, data_dir);
    r->n_problems = 0;
    log_entry recent[STATUS_ERRORS_MAX];
    size_t n = log_recent(recent, STATUS_ERRORS_MAX);
    for (size_t i = 0; i < n; i++) {
        status_problem p = {.at_s = recent[i].last_sec,
                            .count = recent[i].count,
                            .error = recent[i].level == LOG_LEVEL_ERROR};
        snprintf(p.source, sizeof p.source, "%s", recent[i].module);
        snprintf(p.text, sizeof p.text, "%s", recent[i].message);
        add_problem(r, &p);
    }
    if (st)
        store_rejections(st, STATUS_ERRORS_MAX, on_rejection, r);
}
