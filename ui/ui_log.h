/* ui_log: how the toolkit reports problems without knowing the application.
 * The toolkit never prints by itself; the application installs one handler
 * (main wires it to core/log). Without a handler messages go to stderr.
 * The handler is the one process-wide setting of ui/: a log sink, set once at
 * start-up before any thread runs. */
#ifndef HIROBA_UI_UI_LOG_H
#define HIROBA_UI_UI_LOG_H

#include <stdarg.h>

typedef enum ui_log_level {
    UI_LOG_ERROR = 0,
    UI_LOG_WARN = 1,
    UI_LOG_INFO = 2,
    UI_LOG_DEBUG = 3,
} ui_log_level;

/* msg is formatted, without a trailing newline, borrowed for the call. */
typedef void (*ui_log_fn)(void *userdata, ui_log_level level, const char *module, const char *msg);

/* Installs the sink (NULL restores stderr). Not thread-safe: call at start-up. */
void ui_log_set_handler(ui_log_fn fn, void *userdata);
/* Messages above this level are dropped by the stderr sink (default UI_LOG_INFO). */
void ui_log_set_level(ui_log_level level);

void ui_log(ui_log_level level, const char *module, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define UI_ERROR(mod, ...) ui_log(UI_LOG_ERROR, mod, __VA_ARGS__)
#define UI_WARN(mod, ...)  ui_log(UI_LOG_WARN, mod, __VA_ARGS__)
#define UI_INFO(mod, ...)  ui_log(UI_LOG_INFO, mod, __VA_ARGS__)
#define UI_DEBUG(mod, ...) ui_log(UI_LOG_DEBUG, mod, __VA_ARGS__)

#endif
