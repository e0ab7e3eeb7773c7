# learnlog in your daily shell: short aliases and a prompt segment.
#
# Source it from ~/.bashrc or ~/.zshrc:
#     . ~/path/to/learnlog.sh
#
# Then, a day of learning looks like:
#     ll-in ml 45m            log 45 minutes on the course `ml` (either order)
#     ll-in                   log default_minutes (30) of general study
#     ll-s                    one line: streak, today, this week, what is at risk
#     ll-undo                 made a typo? reverse the last change

alias ll-in='learnlog checkin'
alias ll-st='learnlog status'
alias ll-s='learnlog status --short'
alias ll-ls='learnlog list sessions --limit 10'
alias ll-streak='learnlog streak'
alias ll-undo='learnlog undo'
alias ll-units='learnlog progress'   # ll-units ml 5: five units of `ml` done

# The prompt segment: "streak 12d · today 45m · week 3h10/5h · 1 at risk".
# Quiet (and quick) when learnlog is missing or has nothing to say, so a
# prompt never shows an error. Output is captured, not a terminal, so it
# carries no colour escapes that would confuse line editing.
learnlog_prompt() {
    command -v learnlog >/dev/null 2>&1 || return 0
    learnlog status --short 2>/dev/null
}

# To show it in the prompt, uncomment the line for your shell:
#   bash: PS1='[$(learnlog_prompt)] \w \$ '
#   zsh:  setopt PROMPT_SUBST; PROMPT='[$(learnlog_prompt)] %~ %# '
