# bash completion for migrate and its migrate-* tools. Every answer comes from
# `migrate __complete` (commands, flags, --env names, revisions): this only hands it the
# command line, keeps the answers that start with what is typed, quoted as the shell must read
# them (never through compgen -W, which would expand a file name's $(…)), and offers files
# when there is none (a path after --database).
_migrate() {
  local typed=${COMP_WORDS[COMP_CWORD]} candidate
  COMPREPLY=()
  while IFS= read -r candidate; do
    if [[ $candidate == "$typed"* ]]; then
      COMPREPLY+=("$(printf '%q' "$candidate")")
    fi
  done < <(migrate __complete words "$COMP_CWORD" "${COMP_WORDS[@]}" 2>/dev/null)
}
complete -o default -F _migrate migrate $(migrate __complete commands 2>/dev/null |
  awk -F '\t' '$2 !~ /^= / { print "migrate-" $1 }')
