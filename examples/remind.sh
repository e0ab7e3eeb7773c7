#!/bin/sh
# learnlog reminder for cron: when today has no check-in (and it is after
# `remind.after`, 18:00 by default), show a desktop notification, or print
# the nudge (cron mails what a job prints) when notify-send is not there.
#
# crontab -e, for a nudge at 20:00 and 22:00 every day:
#     0 20,22 * * * /path/to/remind.sh
#
# cron runs jobs with a small environment. Set what learnlog and
# notify-send need at the top of the crontab, e.g.
#     PATH=/home/me/.cargo/bin:/usr/local/bin:/usr/bin:/bin
#     DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/1000/bus
# (and LEARNLOG_DB if your database is not in the default place).

nudge=$(learnlog remind --exit-code)
status=$?
case $status in
    0) exit 0 ;;  # nothing due: studied today, a rest day, or too early
    3) ;;         # a nudge was printed
    *) exit "$status" ;;  # learnlog already said what went wrong, on stderr
esac

if command -v notify-send >/dev/null 2>&1 &&
    notify-send --app-name=learnlog "learnlog" "$nudge" 2>/dev/null; then
    exit 0
fi
printf '%s\n' "$nudge"
