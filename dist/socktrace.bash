# bash completion for socktrace(8)
# The long options are those of `socktrace --help`; tests/package.sh checks that
# this list, the help and the man page name the same ones.

_socktrace()
{
	local cur prev
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD - 1]}
	local opts="--pid --port --tcp --udp --ipv4 --ipv6 --comm --uid --events --fail --dns
		--json --no-header --duration --summary --stream --top --udp-idle
		--metrics --metrics-max-series --backend --probe --buffer-size --verbose --version --help"

	case $prev in
	-b | --backend)
		COMPREPLY=($(compgen -W "fentry kprobe tracepoint auto" -- "$cur"))
		return
		;;
	-e | --events)
		# a comma-separated list: complete the last item
		local done=${cur%"${cur##*,}"}
		COMPREPLY=($(compgen -P "$done" -W "connect accept udp close fail listen dns" \
			-- "${cur##*,}"))
		compopt -o nospace 2>/dev/null || :
		return
		;;
	-p | --pid | -P | --port | -c | --comm | -U | --uid | -d | --duration | --udp-idle | \
		--metrics | --metrics-max-series | --buffer-size)
		return	# a value of the user's
		;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
	fi
}
complete -F _socktrace socktrace
