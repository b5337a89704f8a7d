# bash completion for ebtop: its options, pane and theme names, files.
# Options and panes are read from ebtop --help, so they follow the binary.
_ebtop()
{
	local cur=${COMP_WORDS[COMP_CWORD]} opt=${COMP_WORDS[COMP_CWORD - 1]}
	local help dir

	# "--view=c" comes as three words: --view, =, c
	if [[ $cur == = ]]; then
		cur=""
	elif [[ $opt == = && $COMP_CWORD -ge 2 ]]; then
		opt=${COMP_WORDS[COMP_CWORD - 2]}
	fi
	help=$("${COMP_WORDS[0]}" --help 2>/dev/null)
	case $opt in
	-v | --view)
		COMPREPLY=($(compgen -W "$(sed -n 's/.*first pane: \(.*\) (default.*/\1/p' <<<"$help" |
			tr -d ,)" -- "$cur"))
		return
		;;
	-t | --theme)
		# where ebtop looks: the user's folder, then beside the binary
		local names="default mono" bin
		bin=$(type -P "${COMP_WORDS[0]}")
		bin=${bin%/*}
		for dir in "${XDG_CONFIG_HOME:-$HOME/.config}/ebtop/themes" "$bin/../share/ebtop/themes" \
			"$bin/themes"; do
			for f in "$dir"/*.theme; do
				[[ -e $f ]] && f=${f##*/} && names+=" ${f%.theme}"
			done
		done
		COMPREPLY=($(compgen -W "$names" -- "$cur") $(compgen -f -- "$cur"))
		return
		;;
	-j | --json | -r | --replay | --record | --config)
		COMPREPLY=($(compgen -f -- "$cur"))
		return
		;;
	--snapshot-dir)
		COMPREPLY=($(compgen -d -- "$cur"))
		return
		;;
	-p | --pid)
		COMPREPLY=($(compgen -W "$(cd /proc && compgen -G '[0-9]*')" -- "$cur"))
		return
		;;
	-c | --cgroup)
		COMPREPLY=($(compgen -d -- "$cur"))
		return
		;;
	-d | --delay | -n | --iterations | --runq-slow | --listen | --metrics-top | --history | \
		--record-max | --record-keep | --at | --from | --to)
		return # a number, a size, a time: nothing to offer
		;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(grep -oE '(^|[ ,])--?[a-zA-Z][a-z-]*' <<<"$help" |
			tr -d ' ,' | sort -u)" -- "$cur"))
	fi
}
complete -F _ebtop ebtop ebtop-static
