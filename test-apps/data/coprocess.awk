# gawk's two-way pipe to a coprocess (|&), closing its input end with
# close(cmd, "to") and reading sort's answer back, then a second coprocess,
# and output piped to a shell command ending with an exit status.
# Run as: gawk -f coprocess.awk words.txt (with /usr/bin/sort and /usr/bin/tr copied).
{ if (length($0) == 5) print $0 |& "sort -r" }
END {
    close("sort -r", "to")
    while (("sort -r" |& getline word) > 0)
        if (++n <= 5) first = first " " word
    close("sort -r")
    print "five-letter words:", n
    print "last in order:" first
    command = "tr a-z A-Z"
    print "shout" |& command
    close(command, "to")
    command |& getline loud
    close(command)
    print "tr answered:", loud
    print "to the shell" | "cat > /dev/null; exit 7"
    print "close status:", close("cat > /dev/null; exit 7")
}
