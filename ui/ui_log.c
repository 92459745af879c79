/* ui_log: forwards toolkit messages to the application's sink, or stderr. */
#include "ui/ui_log.h"

#include <stdio.h>

static ui_log_fn log_fn;
static void *log_userdata;
static ui_log_level log_level = UI_LOG_INFO;

void ui_log_set_handler(ui_log_fn fn, void *userdata)
{
    log_fn = fn;
    log_userdata = userdata;
}

void ui_log_set_level(ui_log_level level)
{
    log_level = level;
}

void ui_log(ui_log_level level, const char *module, const char *fmt, ...)
{
    if (!log_fn && level > log_level)
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (log_fn) {
        log_fn(log_userdata, level, module, msg);
        return;
    }
    static const char *const names[] = {"error", "warn", "info", "debug"};
    fprintf(stderr, "[%s] %s: %s\n", names[level], module, msg);
}
