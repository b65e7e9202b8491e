# bash completion for migrate and its migrate-* tools. Every answer comes from
# `migrate __complete` (commands, flags, --env names, revisions): this only hands it the
# command line, and offers files when it has nothing to say (a path after --database).
_migrate() {
  local IFS=$'\n'
  local candidates
  candidates=$(migrate __complete words "$COMP_CWORD" "${COMP_WORDS[@]}" 2>/dev/null) || return
  COMPREPLY=($(compgen -W "$candidates" -- "${COMP_WORDS[COMP_CWORD]}"))
}
complete -o default -F _migrate migrate $(migrate __complete commands 2>/dev/null |
  awk -F '\t' '$2 !~ /^= / { print "migrate-" $1 }')
