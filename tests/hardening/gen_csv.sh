#!/bin/sh
# Writes a synthetic movies_metadata.csv-shaped file to stdout: N films (default 300)
# over five genres, each overview drawn from its genres' words and common filler, so
# the trainer has something to learn.  Deterministic for a given N and SEED.
#   sh tests/hardening/gen_csv.sh [N [SEED]] > films.csv
n=${1:-300}
seed=${2:-1}
exec awk -v n="$n" -v seed="$seed" 'BEGIN {
	srand(seed);
	ng = split("Horror|Comedy|Science Fiction|Romance|Drama", G, "|");
	split("ghost haunted demon blood killer cellar curse scream possessed night", W1, " ");
	split("funny wacky hilarious prank misfits chaos party roommate slacker disaster", W2, " ");
	split("alien spaceship planet robot galaxy future android colony starship time", W3, " ");
	split("love wedding kiss heart romance bride summer letters fate affair", W4, " ");
	split("family grief father struggle mother war illness memory brother prison", W5, " ");
	nf = split("the a young man woman town city must find their new old life world when after before story one two", F, " ");
	print "adult,belongs_to_collection,budget,genres,homepage,id,imdb_id,original_language,original_title,overview,popularity,poster_path,release_date,title";
	for (i = 1; i <= n; i++) {
		id = 1000 + i;
		g1 = int(rand() * ng) + 1;
		g2 = rand() < 0.3 ? int(rand() * ng) + 1 : 0;
		gl = "[{\x27id\x27: " (g1 * 7) ", \x27name\x27: \x27" G[g1] "\x27}";
		if (g2 && g2 != g1) gl = gl ", {\x27id\x27: " (g2 * 7) ", \x27name\x27: \x27" G[g2] "\x27}";
		gl = gl "]";
		ov = "";
		len = 12 + int(rand() * 30);
		for (w = 0; w < len; w++) {
			r = rand();
			g = (g2 && rand() < 0.4) ? g2 : g1;
			if (r < 0.45) {
				k = int(rand() * 10) + 1;
				word = g == 1 ? W1[k] : g == 2 ? W2[k] : g == 3 ? W3[k] : g == 4 ? W4[k] : W5[k];
			} else {
				word = F[int(rand() * nf) + 1];
			}
			ov = ov (w ? " " : "") word;
		}
		ov = toupper(substr(ov, 1, 1)) substr(ov, 2) ".";
		if (i % 17 == 0) ov = ov " \"Quoted\", with a comma.";
		gsub(/"/, "\"\"", ov);
		title = "Film " i;
		printf "False,,0,\"%s\",,%d,tt%07d,en,%s,\"%s\",1.0,/p.jpg,%04d-01-01,%s\n", gl, id, id, title, ov, 1950 + i % 70, title;
	}
}'
