# The SQL tests' transcript format (tests/sql/README.md), read by tests/sql/run.sh.
# A transcript is a sqlite3 shell script whose expected output sits under the
# statements, one "-- => " line per line the shell prints: a block of such lines is
# what every statement since the previous block prints, and after the last block
# nothing may be printed.
#   awk -v mode=feed -v mark=M T.sql      the script the shell runs: each block's first
#                                         line becomes ".print M <n>", its others blank
#                                         lines, so "near line N" still points into T.sql
#   awk -v mode=check -v mark=M -v name=N T.sql OUTPUT
#                                         compares OUTPUT (the shell's stdout and stderr)
#                                         block by block: prints what ran, what was
#                                         expected and what came for each block that
#                                         differs, then "queries <blocks> <failed>"
#   awk -v mode=accept -v mark=M T.sql OUTPUT
#                                         T.sql with each block rewritten from OUTPUT
# Error lines lose their line number ("Runtime error near line 12: x" reads
# "Runtime error: x"): the block they fall into says which statement failed.

# The transcript (first file): for block n, its lines want[n, 1..n_want[n]], the line
# where it starts, and the statements since the previous block with their first line.
FNR == NR {
	if ($0 ~ /^-- =>( |$)/) {
		if (!in_block) {
			in_block = 1
			start[++n] = FNR
			stmts[n] = pending
			stmts_line[n] = pending_line
			pending = ""
			pending_line = 0
			text[++n_text] = "\001" n
			if (mode == "feed")
				print ".print " mark " " n
		} else if (mode == "feed")
			print ""
		line = substr($0, 6)
		sub(/^ /, "", line)
		want[n, ++n_want[n]] = line
		next
	}
	in_block = 0
	text[++n_text] = $0
	if (mode == "feed")
		print
	if ($0 !~ /^[ \t]*(--.*)?$/) {
		if (!pending_line)
			pending_line = FNR
		pending = pending (pending == "" ? "" : "\n") $0
	}
	next
}

# The shell's output (second file): mark k ends block k; what follows the last mark
# is block n + 1, which must be empty.
FNR == 1 { block = 1 }
index($0, mark " ") == 1 {
	k = substr($0, length(mark) + 2) + 0
	reached[k] = 1
	block = k + 1
	next
}
{
	line = $0
	if (match(line, /^[A-Za-z]+ error near line [0-9]+: /))
		line = substr(line, 1, index(line, " near line ") - 1) ": " substr(line, RLENGTH + 1)
	got[block, ++n_got[block]] = line
}

function print_got(b,   i) {
	for (i = 1; i <= n_got[b]; i++)
		print (got[b, i] == "" ? "-- =>" : "-- => " got[b, i])
}

function show(label, kind, b, count,   i) {
	print "     " label (count ? ":" : ": nothing")
	for (i = 1; i <= count; i++)
		print "       | " (kind == "want" ? want[b, i] : got[b, i])
}

function differs(b,   i) {
	if (n_want[b] != n_got[b])
		return 1
	for (i = 1; i <= n_want[b]; i++)
		if (want[b, i] != got[b, i])
			return 1
	return 0
}

END {
	if (mode == "feed")
		exit 0
	if (mode == "accept") {
		for (i = 1; i <= n_text; i++)
			if (substr(text[i], 1, 1) == "\001")
				print_got(substr(text[i], 2) + 0)
			else
				print text[i]
		print_got(n + 1)
		exit 0
	}
	stmts[n + 1] = pending
	stmts_line[n + 1] = pending_line
	failed = 0
	for (b = 1; b <= n + 1; b++) {
		stopped = b <= n && !(b in reached)
		if (!stopped && !differs(b))
			continue
		failed++
		print "  " name ".sql:" (stmts_line[b] ? stmts_line[b] : start[b])
		m = split(stmts[b], s, "\n")
		for (i = 1; i <= m; i++)
			print "       " s[i]
		if (b <= n)
			show("expected (line " start[b] ")", "want", b, n_want[b])
		show(b <= n ? "actual" : "printed after the last expected line", "got", b, n_got[b])
		if (stopped) {
			print "     the shell stopped in this block; " n - b " later block(s) not reached"
			failed += n - b
			break
		}
	}
	print "queries " n " " failed
}
