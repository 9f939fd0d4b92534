# A dash script that forks, pipes and waits: functions, loops, pipes, read,
# here-documents, command substitution, traps, set -e and exit codes. It runs
# Debian's sort, grep, wc, tr, sed, uniq, head, cat, mkdir, rm and sleep (the
# test --copy's them) on words.txt (3000 lines) in the working directory.
# Run as: dash dash-script.sh  (the last line sets the exit status, 3)

tmp=/tmp/dash-script.$$
mkdir -p "$tmp"
trap 's=$?; rm -rf "$tmp"; echo "trap EXIT: cleaned, status $s"' EXIT

section() {
    echo "== $1"
}

# Functions: arguments, local-ish variables, return codes, recursion.
fact() {
    if [ "$1" -le 1 ]; then
        echo 1
    else
        echo $(( $1 * $(fact $(( $1 - 1 ))) ))
    fi
}
is_even() {
    return $(( $1 % 2 ))
}
section functions
echo "fact 10 = $(fact 10)"
for n in 3 8 11; do
    if is_even "$n"; then echo "$n even"; else echo "$n odd (status $?)"; fi
done

# Loops: for over words, while with a counter, until, break and continue.
section loops
total=0
i=0
while [ $i -lt 20 ]; do
    i=$((i + 1))
    [ $((i % 3)) -eq 0 ] && continue
    [ $i -gt 16 ] && break
    total=$((total + i))
done
echo "while: i=$i total=$total"
j=5
until [ $j -eq 0 ]; do printf '%s ' "$j"; j=$((j - 1)); done
echo liftoff
for word in alpha beta gamma; do
    case $word in
        a*) echo "$word starts with a" ;;
        *m*) echo "$word has an m" ;;
        *) echo "$word: other" ;;
    esac
done

# Pipes through Debian's programs.
section pipes
echo "lines: $(wc -l < words.txt)"
echo "with ab: $(grep -c ab words.txt)"
grep '^[a-c]' words.txt | sort | head -5
tr 'a-z' 'A-Z' < words.txt | sort -r | head -3
echo "letters by count:"
head -300 words.txt | tr -d '\n' | sed 's/./&\n/g' | sort | uniq -c | sort -k1,1nr -k2 | head -4
longest=$(while read -r w; do echo "${#w} $w"; done < words.txt | sort -k1,1nr -k2 | head -1)
echo "longest: $longest"

# read: fields with IFS, from a here-document and from a pipe into a loop
# (the loop runs in a subshell: its variables stay there).
section read
while IFS=: read -r name qty price; do
    echo "$name x$qty = $((qty * price))"
done <<EOF
apple:3:40
pear:5:25
plum:12:7
EOF
count=0
printf 'one\ntwo\nthree\n' | while read -r line; do count=$((count + 1)); echo "piped $count: $line"; done
echo "count after the piped loop: $count"
read -r first rest <<'EOF'
first-word and $(not expanded) rest
EOF
echo "first=$first rest=$rest"

# Here-documents: expanded, quoted, tab-stripped, into a program.
section heredoc
who=dash
cat_like() { while IFS= read -r l; do echo "| $l"; done; }
cat_like <<EOF
hello from $who, $(echo substituted), $((2 + 3))
EOF
cat_like <<'EOF'
literal $who $(echo not run)
EOF
sort <<-EOF
	zebra
	apple
	mango
	EOF

# Files and descriptors: redirections, exec with a numbered fd, append.
section files
exec 3>"$tmp/log"
echo "first" >&3
echo "second" >&3
exec 3>&-
echo "third" >> "$tmp/log"
wc -l < "$tmp/log"
{ echo x; echo y; } > "$tmp/xy"
echo "xy: $(tr '\n' ',' < "$tmp/xy")"
echo "to stderr" >&2 2>/dev/null
ls_missing=$(grep -c zzz "$tmp/xy"; echo "grep status $?")
echo "$ls_missing" | tr '\n' ' '
echo

# Background jobs and wait with statuses.
section jobs
(sleep 0.2; echo "slow job done" > "$tmp/slow") &
(exit 6) &
pid=$!
wait $pid
echo "job status $?"
for n in 1 2 3; do (echo "job $n" > "$tmp/job$n") & done
wait
cat "$tmp/slow" "$tmp/job1" "$tmp/job2" "$tmp/job3"
echo "all jobs done"

# set -e: a failing command ends the (sub)shell with its status; a failure in
# a condition or before || does not.
section set-e
(
    set -e
    false || echo "false || is fine"
    if grep -q nothing-like-this words.txt; then echo found; fi
    echo "before the failure"
    grep -q nothing-like-this words.txt
    echo "not reached"
)
echo "set -e subshell status $?"
sh_status=$(sh -c 'exit 9'; echo $?)
echo "sh -c status $sh_status"

# A signal trap in a subshell.
section signals
(
    trap 'echo "caught USR1"' USR1
    sh -c 'kill -USR1 $PPID'
    echo "after USR1"
)
( trap 'echo "caught TERM, leaving 7"; exit 7' TERM; sh -c 'kill -TERM $PPID'; echo "not reached" )
echo "TERM subshell status $?"

section done
exit 3
