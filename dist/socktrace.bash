# bash completion for socktrace(8)
# The long options are those of `socktrace --help`; tests/package.sh checks that
# this list, the help and the man page name the same ones.

_socktrace()
{
	local cur prev
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD - 1]}
	local opts="--pid --port --tcp --udp --ipv4 --ipv6 --comm --uid --cgroup --container --events --fail --dns --names
		--json --no-header --duration --summary --stream --by --top --snapshot --udp-idle
		--metrics --metrics-max-series --metrics-labels --backend --probe --buffer-size --verbose --version --help"

	case $prev in
	-b | --backend)
		COMPREPLY=($(compgen -W "fentry kprobe tracepoint auto" -- "$cur"))
		return
		;;
	-e | --events | --metrics-labels)
		# a comma-separated list: complete the last item
		local done=${cur%"${cur##*,}"} words="connect accept udp close fail listen dns"
		[[ $prev == --metrics-labels ]] && words="comm container unit pod"
		COMPREPLY=($(compgen -P "$done" -W "$words" -- "${cur##*,}"))
		compopt -o nospace 2>/dev/null || :
		return
		;;
	--by)
		COMPREPLY=($(compgen -W "pid comm unit container cgroup" -- "$cur"))
		return
		;;
	--cgroup)
		# a directory under the cgroup2 mount
		COMPREPLY=($(compgen -d -- "$cur"))
		return
		;;
	-p | --pid | -P | --port | -c | --comm | -U | --uid | -d | --duration | --udp-idle | \
		--metrics | --metrics-max-series | --buffer-size | --container)
		return	# a value of the user's
		;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
	fi
}
complete -F _socktrace socktrace
