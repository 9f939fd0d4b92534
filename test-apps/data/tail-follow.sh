# tail -f notices the lines another process appends. With a polling
# interval of 30 seconds, only inotify brings them within the three seconds
# this takes; the test --copy's tail and sleep.
# Run as: dash tail-follow.sh
printf 'first\n' > follow.log
tail -s 30 -f follow.log &
tail=$!
sleep 1
echo second >> follow.log
sleep 1
echo third >> follow.log
sleep 1
kill $tail
wait $tail
echo "tail ended: $?"
