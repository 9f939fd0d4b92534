# gawk with child processes: totals piped through `sort -n` (print | "cmd"),
# close() waiting for sort before the next section, a command read with
# getline, and system(). Run as: gawk -f sum.awk data.csv (with /usr/bin/sort copied).
BEGIN { FS = "," }
NR == 1 { next }
{
    quantity[$1] += $3
    value[$1] += $3 * $4
    items[$2]++
    rows++
}
END {
    print "rows:", rows
    print "-- quantity by region, ascending (sort -n)"
    for (region in quantity)
        printf "%d %s\n", quantity[region], region | "sort -n"
    close("sort -n")
    print "-- value by region, descending (sort -k2,2nr)"
    for (region in value)
        printf "%s %.2f\n", region, value[region] | "sort -k2,2nr"
    close("sort -k2,2nr")
    print "-- item counts, by name"
    for (item in items)
        print item, items[item] | "sort"
    status = close("sort")
    print "sort's close status:", status
    while (("printf 'a\\nb\\nc\\n' | sort -r" | getline line) > 0)
        got = got line
    close("printf 'a\\nb\\nc\\n' | sort -r")
    print "getline from a command:", got
    fflush()
    rc = system("exit 3")
    print "system status:", rc
    print "to stderr" > "/dev/stderr"
}
